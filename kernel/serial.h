/* 16550 UART on an I/O port. Every wait is bounded: a missing or stuck UART
 * costs a bounded delay per byte at most once, then it is marked absent. */
#ifndef SVMTEST_SERIAL_H
#define SVMTEST_SERIAL_H

#include <stdint.h>

struct uart {
    uint16_t port;
    uint8_t present;
};

/* Probe and program the UART (8N1, FIFO on); returns 1 if it answered. */
int uart_init(struct uart *u, uint16_t port, uint32_t baud);
void uart_putc(struct uart *u, char c);

#endif
