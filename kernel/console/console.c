#include "console.h"

#include "kernel/cpu/cpu.h"
#include "kernel/cpu/hypervisor.h"
#include "kernel/lib/fmt.h"
#include "screen.h"
#include "serial.h"

#define DEBUGCON_PORT 0xe9

static struct uart uart;
static int debugcon;

void console_init(const struct uart *u, uint32_t baud)
{
    uart = *u;
    uart_init(&uart, baud);
    /* QEMU's and Bochs' debug console reads back 0xe9; only look under a
     * hypervisor, never poke ports of unknown hardware */
    debugcon = hypervisor_present() && inb(DEBUGCON_PORT) == DEBUGCON_PORT;
}

void console_drain(void)
{
    uart_drain(&uart);
}

static void raw_putc(char c)
{
    uart_putc(&uart, c);
    screen_putc(c);
    if (debugcon)
        outb(DEBUGCON_PORT, (uint8_t)c);
}

static int mid_line;

void console_putc(char c)
{
    if (c == '\n')
        raw_putc('\r');
    raw_putc(c);
    mid_line = c != '\n';
}

void console_fresh_line(void)
{
    if (mid_line)
        console_putc('\n');
}

void console_write(const char *s, unsigned long n)
{
    while (n--)
        console_putc(*s++);
}

static void sink(void *ctx, char c)
{
    (void)ctx;
    console_putc(c);
}

void console_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fmt_vformat(sink, 0, fmt, ap);
    va_end(ap);
}
