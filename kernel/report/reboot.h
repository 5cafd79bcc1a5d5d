/* exit=reboot: the reset methods, in the order they are tried. Pure (the
 * order is decided from the FADT alone) and host tested; kernel/report/exit.c
 * performs them. */
#ifndef SVMTEST_REBOOT_H
#define SVMTEST_REBOOT_H

#include <stdint.h>

#include "kernel/acpi/fadt.h"

enum reboot_method {
    REBOOT_FADT_RESET_REG,  /* the FADT's RESET_REG gets RESET_VALUE */
    REBOOT_PORT_CF9,        /* reset control register: 0x02 then 0x06 */
    REBOOT_KBC,             /* 8042 keyboard controller: pulse reset (0xfe to port 0x64) */
    REBOOT_TRIPLE_FAULT,    /* an empty IDT and an exception */
    REBOOT_METHODS
};

/* The methods to try, in order, into out (REBOOT_METHODS entries); returns
 * how many. The FADT reset register comes first when the FADT (NULL: none)
 * names a usable one: RESET_REG_SUP, 8 bits wide at bit offset 0, in I/O
 * space, in memory below mmio_limit, or in PCI configuration space on bus
 * 0. */
unsigned reboot_plan(const struct fadt_info *fadt, uint64_t mmio_limit, enum reboot_method *out);

const char *reboot_method_name(enum reboot_method m);

#endif
