/* Kernel output: the serial console plus, under QEMU, its debug console
 * (port 0xe9). Lines end in CRLF on the wire. */
#ifndef SVMTEST_CONSOLE_H
#define SVMTEST_CONSOLE_H

#include <stdint.h>

#include "serial.h"

/* Start the console on this UART (see serial.h); baud 0 keeps the
 * firmware's setting. */
void console_init(const struct uart *u, uint32_t baud);
void console_putc(char c);
/* Wait (bounded) until the UART has sent everything: before halt or reset. */
void console_drain(void);
void console_write(const char *s, unsigned long n);
/* End a line cut short (an exception or machine check arriving mid-line),
 * so that what follows starts a line of its own. */
void console_fresh_line(void);
void console_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
