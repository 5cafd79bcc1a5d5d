/* The ACPI MADT ("APIC"): which CPUs the firmware lists, by local APIC
 * (type 0) and local x2APIC (type 9) entries, with their Enabled and
 * Online Capable flags. Pure: parsed from the table's bytes, so it is tested
 * on the host on synthetic tables (kernel/acpi/acpi.h finds the table). */
#ifndef SVMTEST_MADT_H
#define SVMTEST_MADT_H

#include <stddef.h>
#include <stdint.h>

#define MADT_CPUS_MAX 4096

enum madt_cpu_state {
    MADT_CPU_ENABLED,          /* usable now: started by svmtest */
    MADT_CPU_ONLINE_CAPABLE,   /* disabled, can be hot-added later: not started */
};

struct madt_cpu {
    uint32_t apic_id;          /* xAPIC IDs are 0..254, x2APIC IDs any 32-bit value */
    uint32_t uid;              /* ACPI processor UID */
    uint8_t x2apic;            /* listed by a local x2APIC entry */
    uint8_t state;             /* enum madt_cpu_state */
};

struct madt_info {
    uint64_t lapic_addr;       /* the xAPIC MMIO base (override applied) */
    unsigned count;            /* CPUs kept in cpu[], in table order */
    unsigned dropped;          /* CPUs past MADT_CPUS_MAX, not kept */
    unsigned unusable;         /* entries neither Enabled nor Online Capable */
    struct madt_cpu cpu[MADT_CPUS_MAX];
};

/* Parse a whole MADT of len bytes (as acpi_find returned it). Entries whose
 * flags say neither Enabled nor Online Capable (a bit defined from MADT
 * revision 5, ACPI 6.3, reserved before) are left out (the firmware
 * says they cannot be used); an ID listed twice (a local APIC and a local
 * x2APIC entry for the same CPU) is kept once; 0xff and 0xffffffff IDs are
 * invalid and left out. Returns 0, or -1 with why set when the table is
 * truncated or an entry's length is wrong (nothing is trusted then). */
int madt_parse(const uint8_t *table, uint32_t len, struct madt_info *out, const char **why);

/* CPUs of state st in the table, the one with skip_id (the boot CPU) left out. */
unsigned madt_count_state(const struct madt_info *m, enum madt_cpu_state st, uint32_t skip_id);

/* "APIC 2, 3, 4, 5, 6 and 3992 more": the first `shown` of n IDs, then how
 * many more (the one-line summary at verbose=0, whatever the MADT lists). */
int madt_format_ids(char *buf, size_t size, const uint32_t *ids, unsigned n, unsigned shown);

#endif
