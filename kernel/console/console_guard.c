#include "console_guard.h"

#include "kernel/lib/fmt.h"

#define UART_REGISTERS 8
#define IO_PORT_LAST 0xffffu

/* Chipset ports no UART shares, whose accidental write does harm: a reset
 * (0x92 bit 0, 0xcf9), rerouted or unmasked interrupts, a timer reprogrammed,
 * QEMU's run ended with a wrong status. In address order. */
static const struct reserved_ports {
    uint16_t first, last;
    const char *what;
} reserved_ports[] = {
    { 0x20, 0x21, "the master PIC" },
    { 0x40, 0x43, "the PIT" },
    { 0x60, 0x60, "the keyboard controller" },
    { 0x64, 0x64, "the keyboard controller" },
    { 0x70, 0x71, "the RTC" },
    { 0x92, 0x92, "system control port A (fast reset)" },
    { 0xa0, 0xa1, "the slave PIC" },
    { 0xf4, 0xf7, "the debug-exit port" },
    { 0xcf8, 0xcff, "the PCI configuration ports" },
};

void uart_extent(const struct uart *u, uint64_t *first, uint64_t *last)
{
    unsigned width = u->access_bytes ? u->access_bytes : 1;
    *first = u->base;
    *last = u->base + ((uint64_t)(UART_REGISTERS - 1) << u->reg_shift) + width - 1;
}

static int ports_refused(uint64_t first, uint64_t last, char *why, size_t size)
{
    if (last > IO_PORT_LAST || last < first) {
        fmt_snprintf(why, size, "ports 0x%lx-0x%lx run past port 0xffff", first, last);
        return -1;
    }
    for (unsigned i = 0; i < sizeof reserved_ports / sizeof reserved_ports[0]; i++) {
        const struct reserved_ports *r = &reserved_ports[i];
        if (first <= r->last && r->first <= last) {
            int n = fmt_snprintf(why, size, "ports 0x%lx-0x%lx overlap %s (0x%x", first, last,
                                 r->what, r->first);
            if (n >= 0 && (size_t)n < size && r->last > r->first)
                fmt_snprintf(why + n, size - (size_t)n, "-0x%x)", r->last);
            else if (n >= 0 && (size_t)n < size)
                fmt_snprintf(why + n, size - (size_t)n, ")");
            return -1;
        }
    }
    return 0;
}

static int overlaps(uint64_t first, uint64_t last, uint64_t base, uint64_t len)
{
    return len && first <= base + (len - 1) && base <= last;
}

static int memory_refused(uint64_t first, uint64_t last, const struct console_memory *m, char *why,
                          size_t size)
{
    if (last < first) {
        fmt_snprintf(why, size, "0x%lx-0x%lx wraps around", first, last);
        return -1;
    }
    if (!m)
        return 0;
    if (last >= m->mmio_limit) {
        fmt_snprintf(why, size, "0x%lx-0x%lx is beyond the identity map", first, last);
        return -1;
    }
    if (m->own_end > m->own_start && overlaps(first, last, m->own_start, m->own_end - m->own_start)) {
        fmt_snprintf(why, size, "0x%lx-0x%lx is svmtest's own memory (image, page tables, stacks "
                     "0x%lx-0x%lx)", first, last, m->own_start, m->own_end - 1);
        return -1;
    }
    if (m->screen_end > m->screen_start &&
        overlaps(first, last, m->screen_start, m->screen_end - m->screen_start)) {
        fmt_snprintf(why, size, "0x%lx-0x%lx is the screen svmtest mirrors the report to "
                     "(0x%lx-0x%lx)", first, last, m->screen_start, m->screen_end - 1);
        return -1;
    }
    for (unsigned i = 0; m->info && i < m->info->ram_count; i++) {
        const struct mem_range *r = &m->info->ram[i];
        if (overlaps(first, last, r->base, r->len)) {
            fmt_snprintf(why, size, "0x%lx-0x%lx is RAM the loader's memory map lists as available "
                         "(0x%lx-0x%lx)", first, last, r->base, r->base + (r->len - 1));
            return -1;
        }
    }
    return 0;
}

int console_uart_refused(const struct uart *u, const struct console_memory *m, char *why,
                         size_t size)
{
    uint64_t first, last;
    uart_extent(u, &first, &last);
    return u->mmio ? memory_refused(first, last, m, why, size) : ports_refused(first, last, why, size);
}
