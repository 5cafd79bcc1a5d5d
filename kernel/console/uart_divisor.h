/* The 16550 divisor latch value for a UART clock and a baud rate: the one
 * place it is computed (console=, uart_clock=, baud= and SPCR). Pure, host
 * tested. */
#ifndef SVMTEST_UART_DIVISOR_H
#define SVMTEST_UART_DIVISOR_H

#include <stdint.h>

#define UART_CLOCK_DEFAULT_HZ 1843200u  /* the PC's classic UART crystal */
#define UART_CLOCK_MIN_HZ 1000000u      /* uart_clock= range */
#define UART_CLOCK_MAX_HZ 100000000u
#define UART_OVERSAMPLING 16u           /* a 16550 samples each bit 16 times */
#define UART_DIVISOR_MAX 0xffffu
#define UART_BAUD_TOLERANCE_PERCENT 5u  /* beyond this the far end reads garbage */

/* clock / (16 * baud) rounded to the nearest integer. Returns 0 with
 * *divisor set, or -1 with why set when it is 0, above 0xffff, or gives a
 * baud rate more than 5% off (clock or baud 0 included). */
int uart_divisor(uint32_t clock_hz, uint32_t baud, uint16_t *divisor, const char **why);

#endif
