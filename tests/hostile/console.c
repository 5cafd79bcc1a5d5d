#include "console.h"

#include <stdarg.h>
#include <stdint.h>

#include "hw.h"

#define COM1 0x3f8
#define UART_LSR 5
#define LSR_THR_EMPTY 0x20
#define UART_SEND_POLLS 100000   /* bounded wait: a missing UART drops output */

static void put(char c)
{
    for (unsigned i = 0; i < UART_SEND_POLLS && !(inb(COM1 + UART_LSR) & LSR_THR_EMPTY); i++)
        ;
    outb(COM1, (uint8_t)c);
}

static void puts_(const char *s)
{
    while (*s)
        put(*s++);
}

static void vsay(const char *prefix, const char *fmt, va_list ap)
{
    puts_(prefix);
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            put(*fmt);
            continue;
        }
        switch (*++fmt) {
        case 's': puts_(va_arg(ap, const char *)); break;
        case 'c': put((char)va_arg(ap, int)); break;
        case 'x': {
            uint32_t v = va_arg(ap, uint32_t);
            puts_("0x");
            for (int shift = 28; shift >= 0; shift -= 4)
                put("0123456789abcdef"[(v >> shift) & 0xf]);
            break;
        }
        case 'u': {
            char digits[10];
            int n = 0;
            uint32_t v = va_arg(ap, uint32_t);
            do
                digits[n++] = (char)('0' + v % 10);
            while (v /= 10);
            while (n)
                put(digits[--n]);
            break;
        }
        default: put('%'); if (*fmt) put(*fmt); else fmt--; break;
        }
    }
    puts_("\r\n");
}

void say(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsay("hostile-loader: ", fmt, ap);
    va_end(ap);
}

void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsay("hostile-loader: error: ", fmt, ap);
    va_end(ap);
    outl(DEBUG_EXIT_PORT, (LOADER_ERROR_STATUS - 1) / 2);
    for (;;)
        __asm__ volatile("cli; hlt");
}
