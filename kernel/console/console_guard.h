/* Before svmtest touches a console's registers: can a UART be there? A
 * console address inside svmtest's own memory (image, page tables, stacks,
 * .bss), in the screen it mirrors the report to, or in RAM the loader's map lists as available is not a UART, nor is
 * an I/O range over chipset ports whose accidental write resets, reroutes
 * interrupts or ends the run (../shared/SPEC.md, Errors). Pure: the address
 * ranges come in, a reason goes out (host-tested). */
#ifndef SVMTEST_CONSOLE_GUARD_H
#define SVMTEST_CONSOLE_GUARD_H

#include <stddef.h>
#include <stdint.h>

#include "kernel/bootinfo.h"
#include "serial.h"

/* Where no MMIO UART can be. */
struct console_memory {
    /* svmtest's own memory as loaded (the image is relocatable: its
     * addresses at run time, not the link address): [own_start, own_end) */
    uint64_t own_start, own_end;
    uint64_t screen_start, screen_end; /* what the screen mirror writes (0, 0: none) */
    const struct boot_info *info;   /* the loader's memory map; NULL: none */
    uint64_t mmio_limit;            /* the identity map's end: nothing beyond is reached */
};

/* The bytes (MMIO) or ports (I/O) the UART's 8 registers span:
 * [first, last], last = base + 7 * stride + access width - 1. */
void uart_extent(const struct uart *u, uint64_t *first, uint64_t *last);

#define CONSOLE_REFUSED_MAX 160   /* room for why */

/* 0 when svmtest may touch the UART's registers; -1 with why set (a phrase
 * naming the range and what is there, e.g. "ports 0xcf8-0xcff overlap the
 * PCI configuration ports 0xcf8-0xcff"). m is used for MMIO only (NULL: no
 * memory is known). */
int console_uart_refused(const struct uart *u, const struct console_memory *m, char *why,
                         size_t size);

#endif
