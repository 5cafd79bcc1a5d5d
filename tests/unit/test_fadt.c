/* kernel/acpi/fadt.c (PM timer, reset register), kernel/report/reboot.c (the order of
 * the reboot methods) and kernel/timecalc.c (calibration arithmetic and the
 * guest bound) on synthetic tables and figures. */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "kernel/acpi/fadt.h"
#include "kernel/report/reboot.h"
#include "kernel/timecalc.h"

#define FADT_V1_LEN 116
#define FADT_V6_LEN 276
#define LIMIT_4G (4ull << 30)

static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

static void gas(uint8_t *p, uint8_t space, uint8_t width, uint8_t offset, uint8_t access, uint64_t a)
{
    p[0] = space;
    p[1] = width;
    p[2] = offset;
    p[3] = access;
    put64(p + 4, a);
}

/* A FADT with a PM timer at pm_port (PM_TMR_LEN 4), flags as given, and
 * the reset register at 116 / value at 128 for tables that long. */
static size_t fadt(uint8_t *t, size_t len, uint32_t pm_port, uint32_t flags)
{
    memset(t, 0, FADT_V6_LEN);
    memcpy(t, "FACP", 4);
    put32(t + 4, (uint32_t)len);
    t[8] = len > FADT_V1_LEN ? 6 : 1;
    put32(t + 76, pm_port);
    t[91] = 4;
    put32(t + 112, flags);
    return len;
}

static void pm_timer(void)
{
    uint8_t t[FADT_V6_LEN];
    struct fadt_info f;
    const char *why = NULL;
    CHECK_EQ(fadt_parse(t, fadt(t, FADT_V1_LEN, 0xb008, 0), &f, &why), 0);
    CHECK_EQ(f.pm_timer_port, 0xb008);
    CHECK_EQ(f.pm_timer_bits, 24);
    CHECK_EQ(f.reset_supported, 0);

    CHECK_EQ(fadt_parse(t, fadt(t, FADT_V6_LEN, 0x608, 1u << 8), &f, &why), 0);
    CHECK_EQ(f.pm_timer_bits, 32);      /* TMR_VAL_EXT */
    CHECK_EQ(f.pm_timer_port, 0x608);
    gas(t + 208, 1, 32, 0, 3, 0x1808);  /* X_PM_TMR_BLK wins */
    CHECK_EQ(fadt_parse(t, FADT_V6_LEN, &f, &why), 0);
    CHECK_EQ(f.pm_timer_port, 0x1808);
    gas(t + 208, 0, 32, 0, 3, 0xfed80000u);  /* in memory: not used, the I/O block is */
    CHECK_EQ(fadt_parse(t, FADT_V6_LEN, &f, &why), 0);
    CHECK_EQ(f.pm_timer_port, 0x608);

    CHECK_EQ(fadt_parse(t, fadt(t, FADT_V6_LEN, 0x608, 1u << 20), &f, &why), 0);
    CHECK_EQ(f.pm_timer_port, 0);       /* hardware-reduced ACPI: no PM timer */
    fadt(t, FADT_V1_LEN, 0x608, 0);
    t[91] = 0;                          /* PM_TMR_LEN 0: none */
    CHECK_EQ(fadt_parse(t, FADT_V1_LEN, &f, &why), 0);
    CHECK_EQ(f.pm_timer_port, 0);

    CHECK_EQ(fadt_parse(t, 100, &f, &why), -1);
    CHECK_HAS(why, "116 bytes");
    memcpy(t, "APIC", 4);
    CHECK_EQ(fadt_parse(t, FADT_V1_LEN, &f, &why), -1);
}

static void reboot_order(void)
{
    uint8_t t[FADT_V6_LEN];
    struct fadt_info f;
    const char *why = NULL;
    enum reboot_method m[REBOOT_METHODS];

    /* no FADT, or one without RESET_REG_SUP: the three legacy ways */
    CHECK_EQ(reboot_plan(NULL, LIMIT_4G, m), 3);
    CHECK_EQ(m[0], REBOOT_PORT_CF9);
    CHECK_EQ(m[1], REBOOT_KBC);
    CHECK_EQ(m[2], REBOOT_TRIPLE_FAULT);
    fadt(t, FADT_V6_LEN, 0x608, 0);
    gas(t + 116, 1, 8, 0, 1, 0xcf9);
    t[128] = 0x06;
    CHECK_EQ(fadt_parse(t, FADT_V6_LEN, &f, &why), 0);
    CHECK_EQ(reboot_plan(&f, LIMIT_4G, m), 3);
    CHECK_EQ(m[0], REBOOT_PORT_CF9);

    /* RESET_REG_SUP with an I/O register (QEMU q35: 0xcf9 = 0x0f) */
    fadt(t, FADT_V6_LEN, 0x608, 1u << 10);
    gas(t + 116, 1, 8, 0, 1, 0xcf9);
    t[128] = 0x0f;
    CHECK_EQ(fadt_parse(t, FADT_V6_LEN, &f, &why), 0);
    CHECK_EQ(f.reset_supported, 1);
    CHECK_EQ(f.reset_reg.space, ACPI_SPACE_IO);
    CHECK_EQ(f.reset_reg.address, 0xcf9);
    CHECK_EQ(f.reset_value, 0x0f);
    CHECK_EQ(reboot_plan(&f, LIMIT_4G, m), 4);
    CHECK_EQ(m[0], REBOOT_FADT_RESET_REG);
    CHECK_EQ(m[1], REBOOT_PORT_CF9);
    CHECK_EQ(m[2], REBOOT_KBC);
    CHECK_EQ(m[3], REBOOT_TRIPLE_FAULT);
    CHECK_STR(reboot_method_name(m[0]), "fadt-reset-register");
    CHECK_STR(reboot_method_name(m[3]), "triple-fault");

    /* memory: below the identity map only */
    gas(t + 116, 0, 8, 0, 1, 0xfed80d00u);
    CHECK_EQ(fadt_parse(t, FADT_V6_LEN, &f, &why), 0);
    CHECK_EQ(reboot_plan(&f, LIMIT_4G, m), 4);
    CHECK_EQ(reboot_plan(&f, 0xfed80d00u, m), 3);
    /* PCI configuration space, bus 0 device 0x1f function 0 offset 0x44 */
    gas(t + 116, 2, 8, 0, 1, (0x1full << 32) | 0x44);
    CHECK_EQ(fadt_parse(t, FADT_V6_LEN, &f, &why), 0);
    CHECK_EQ(reboot_plan(&f, LIMIT_4G, m), 4);
    gas(t + 116, 2, 8, 0, 1, (0x20ull << 32) | 0x44);   /* no device 32 */
    CHECK_EQ(fadt_parse(t, FADT_V6_LEN, &f, &why), 0);
    CHECK_EQ(reboot_plan(&f, LIMIT_4G, m), 3);
    /* not 8 bits at offset 0, another space, no address: skipped */
    gas(t + 116, 1, 16, 0, 2, 0xcf9);
    CHECK_EQ(fadt_parse(t, FADT_V6_LEN, &f, &why), 0);
    CHECK_EQ(reboot_plan(&f, LIMIT_4G, m), 3);
    gas(t + 116, 1, 8, 1, 1, 0xcf9);
    CHECK_EQ(fadt_parse(t, FADT_V6_LEN, &f, &why), 0);
    CHECK_EQ(reboot_plan(&f, LIMIT_4G, m), 3);
    gas(t + 116, 0x7f, 8, 0, 1, 0xcf9);
    CHECK_EQ(fadt_parse(t, FADT_V6_LEN, &f, &why), 0);
    CHECK_EQ(reboot_plan(&f, LIMIT_4G, m), 3);
    gas(t + 116, 1, 8, 0, 1, 0);
    CHECK_EQ(fadt_parse(t, FADT_V6_LEN, &f, &why), 0);
    CHECK_EQ(reboot_plan(&f, LIMIT_4G, m), 3);
    /* an ACPI 1.0 FADT has no reset register even with the flag */
    fadt(t, FADT_V1_LEN, 0x608, 1u << 10);
    CHECK_EQ(fadt_parse(t, FADT_V1_LEN, &f, &why), 0);
    CHECK_EQ(f.reset_supported, 0);
    CHECK_EQ(reboot_plan(&f, LIMIT_4G, m), 3);
}

static void time_arithmetic(void)
{
    /* QEMU: 1 GHz APIC clock / 16 over 50 ms of the PM timer (178978 ticks) */
    uint64_t pm50 = timecalc_ticks_in_ms(ACPI_PM_TIMER_HZ, 50);
    CHECK_EQ(pm50, 178978);
    CHECK_EQ(timecalc_rate_hz(3125000, ACPI_PM_TIMER_HZ / 20, ACPI_PM_TIMER_HZ), 62500087);
    CHECK_EQ(timecalc_rate_hz(62500000, ACPI_PM_TIMER_HZ, ACPI_PM_TIMER_HZ), 62500000);
    CHECK_EQ(timecalc_rate_hz(2, 3, 1), 1);     /* 0.67 rounds to 1 */
    CHECK_EQ(timecalc_rate_hz(1, 3, 1), 0);     /* 0.33 rounds to 0 */
    CHECK_EQ(timecalc_rate_hz(5000000, PIT_HZ / 20, PIT_HZ), 100000168);
    CHECK_EQ(timecalc_rate_hz(1, 0, PIT_HZ), 0);
    CHECK_EQ(timecalc_rate_hz(1ull << 40, 1, PIT_HZ), 0);
    CHECK_EQ(timecalc_ticks_in_ms(PIT_HZ, 50), 59660);
    /* a 24-bit PM timer wrapping */
    CHECK_EQ(timecalc_counter_delta(0xfffff0, 0x000010, 24), 0x20);
    CHECK_EQ(timecalc_counter_delta(0xfffffff0u, 0x10, 32), 0x20);
    CHECK_EQ(timecalc_counter_delta(5, 5, 24), 0);

    /* the bound: a TSC deadline, checked at APIC timer ticks every 10 ms */
    struct guest_bound b = timecalc_guest_bound(62500000, 2100000000, 2000);
    CHECK_EQ(b.initial_count, 625000);
    CHECK_EQ(b.ticks, 200);
    CHECK_EQ(b.tsc_cycles, 4200000000ull);
    CHECK_EQ(b.ms, 2000);
    b = timecalc_guest_bound(6250000, 3700000000ull, 60000);   /* a 100 MHz APIC clock */
    CHECK_EQ(b.initial_count, 62500);
    CHECK_EQ(b.tsc_cycles, 222000000000ull);
    /* TSC rate unknown: ticks of 10 ms, rounded up */
    b = timecalc_guest_bound(62500000, 0, 105);
    CHECK_EQ(b.ticks, 11);
    CHECK_EQ(b.tsc_cycles, 0);
    CHECK_EQ(b.ms, 105);
    b = timecalc_guest_bound(62500000, TSC_HZ_MAX + 1, 60000);
    CHECK_EQ(b.ticks, 6000);
    CHECK_EQ(b.tsc_cycles, 0);
    /* not calibrated, or implausible: the old 120-tick bound, no ms */
    b = timecalc_guest_bound(0, 2100000000, 2000);
    CHECK_EQ(b.initial_count, FALLBACK_INITIAL_COUNT);
    CHECK_EQ(b.ticks, 120);
    CHECK_EQ(b.tsc_cycles, 0);
    CHECK_EQ(b.ms, 0);
    b = timecalc_guest_bound(APIC_TIMER_HZ_MAX + 1, 2100000000, 2000);
    CHECK_EQ(b.ms, 0);
    b = timecalc_guest_bound(APIC_TIMER_HZ_MIN - 1, 2100000000, 2000);
    CHECK_EQ(b.ms, 0);

    /* the median of the calibration rounds: one disturbed round does not count */
    uint64_t rounds[3] = { 62541000, 53939000, 62530000 };
    CHECK_EQ(timecalc_median(rounds, 3), 62530000);
    uint64_t five[5] = { 5, 1, 4, 2, 3 };
    CHECK_EQ(timecalc_median(five, 5), 3);
    CHECK_EQ(timecalc_median(five, 0), 0);
}

SUITE(fadt)
{
    pm_timer();
    reboot_order();
    time_arithmetic();
}
