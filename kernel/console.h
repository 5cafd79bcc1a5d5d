/* Kernel output: the serial console plus, under QEMU, its debug console
 * (port 0xe9). Lines end in CRLF on the wire. */
#ifndef SVMTEST_CONSOLE_H
#define SVMTEST_CONSOLE_H

#include <stdint.h>

struct console_status {
    uint16_t port;
    uint8_t uart_present;
    uint8_t debugcon_present;
};

void console_init(uint16_t port, uint32_t baud);
void console_putc(char c);
void console_write(const char *s, unsigned long n);
void console_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
struct console_status console_status(void);

#endif
