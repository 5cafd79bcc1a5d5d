/* 16550 UART on an I/O port or memory-mapped (as ACPI SPCR may name it).
 * Every wait is bounded: a missing or stuck UART costs a bounded delay, then
 * it is marked absent and the run goes on without it. */
#ifndef SVMTEST_SERIAL_H
#define SVMTEST_SERIAL_H

#include <stdint.h>

struct uart {
    uint64_t base;          /* I/O port or MMIO address */
    uint8_t mmio;
    uint8_t reg_shift;      /* MMIO: registers 1 << reg_shift bytes apart */
    uint8_t access_bytes;   /* MMIO: 1 or 4 */
    uint8_t present;
};

/* Probe and program the UART (8N1, FIFO on; baud 0 keeps the firmware's
 * divisor); returns 1 if it answered. */
int uart_init(struct uart *u, uint32_t baud);
void uart_putc(struct uart *u, char c);

#endif
