/* 16550 UART on an I/O port or memory-mapped (as ACPI SPCR may name it).
 * Every wait is bounded: a missing or stuck UART costs a bounded delay, then
 * it is marked absent and the run goes on without it. */
#ifndef SVMTEST_SERIAL_H
#define SVMTEST_SERIAL_H

#include <stdint.h>

struct uart {
    uint64_t base;          /* I/O port or MMIO address */
    uint8_t mmio;
    uint8_t reg_shift;      /* registers 1 << reg_shift bytes (or ports) apart */
    uint8_t access_bytes;   /* 1, 2 or 4 (0: 1) */
    uint8_t present;
    uint32_t clock_hz;      /* input clock for the divisor; 0: 1.8432 MHz */
};

/* Probe and program the UART (8N1, FIFO on); baud 0 keeps the divisor the
 * firmware left, as does a baud the clock cannot give (callers check with
 * uart_divisor first). Returns 1 if it answered. */
int uart_init(struct uart *u, uint32_t baud);
/* Does a 16550 answer at u: its scratch register keeps two patterns and, in
 * loopback, its modem status follows its modem control both ways. Touches
 * only the UART's 8 registers (scratch, modem control, modem status), never
 * waits, leaves loopback off. Used before opening a UART the firmware named
 * (SPCR). */
int uart_answers(const struct uart *u);
void uart_putc(struct uart *u, char c);
/* Wait (bounded) until the transmitter has sent every byte, FIFO and shift
 * register both: before a reset or a halt, so the last line gets out. */
void uart_drain(struct uart *u);

#endif
