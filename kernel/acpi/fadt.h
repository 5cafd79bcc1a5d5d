/* The ACPI FADT ("FACP"): what svmtest uses of it, the ACPI PM timer (the
 * fixed 3.579545 MHz clock the APIC timer is calibrated against) and the
 * reset register (exit=reboot). Pure: tested on the host on synthetic
 * tables, found through kernel/acpi/acpi.h. */
#ifndef SVMTEST_FADT_H
#define SVMTEST_FADT_H

#include <stddef.h>
#include <stdint.h>

#include "acpi.h"
#include "kernel/bootinfo.h"

#define ACPI_PM_TIMER_HZ 3579545u

struct fadt_info {
    uint8_t revision;
    uint16_t pm_timer_port;     /* 0: no PM timer (hardware-reduced, or none given) */
    uint8_t pm_timer_bits;      /* 24 or 32 */
    uint8_t reset_supported;    /* RESET_REG_SUP set (revision 2+ table) */
    struct acpi_gas reset_reg;
    uint8_t reset_value;
};

/* Parse a FADT. Returns 0, or -1 with why set (too short, not a FADT). */
int fadt_parse(const uint8_t *table, size_t len, struct fadt_info *out, const char **why);

/* Find and parse the FADT from an RSDP (NULL: the BIOS area's). Returns 0,
 * or -1 with why set. */
int fadt_find(const uint8_t *rsdp, size_t rsdp_len, phys_resolver resolve, void *ctx,
              struct fadt_info *out, const char **why);

#endif
