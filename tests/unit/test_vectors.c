/* kernel/interrupts/vectors.c: what each vector means, its IST stack, the LVT entries
 * masked for an APIC of each shape, and the verbose interrupt-count line. */
#include <stdint.h>

#include "check.h"
#include "kernel/interrupts/vectors.h"

static void kinds(void)
{
    CHECK_EQ(vector_kind(0), VECTOR_KIND_EXCEPTION);
    CHECK_EQ(vector_kind(VECTOR_NMI), VECTOR_KIND_NMI);
    CHECK_EQ(vector_kind(8), VECTOR_KIND_EXCEPTION);       /* #DF, not IRQ0 */
    CHECK_EQ(vector_kind(VECTOR_MC), VECTOR_KIND_MACHINE_CHECK);
    CHECK_EQ(vector_kind(31), VECTOR_KIND_EXCEPTION);
    CHECK_EQ(vector_kind(0x20), VECTOR_KIND_LEGACY_PIC);
    CHECK_EQ(vector_kind(0x2f), VECTOR_KIND_LEGACY_PIC);
    CHECK_EQ(vector_kind(0x30), VECTOR_KIND_STRAY);
    CHECK_EQ(vector_kind(0x40), VECTOR_KIND_STRAY);
    CHECK_EQ(vector_kind(VECTOR_TIMER), VECTOR_KIND_TIMER);
    CHECK_EQ(vector_kind(VECTOR_WAKE), VECTOR_KIND_WAKE);
    CHECK_EQ(vector_kind(VECTOR_SPURIOUS), VECTOR_KIND_SPURIOUS);
    unsigned exceptions = 0;
    for (unsigned v = 0; v < 256; v++)
        exceptions += vector_kind(v) == VECTOR_KIND_EXCEPTION;
    CHECK_EQ(exceptions, 30);   /* 32 minus NMI and #MC */
    CHECK_EQ(vector_ist(VECTOR_NMI), IST_NMI);
    CHECK_EQ(vector_ist(8), IST_FATAL);
    CHECK_EQ(vector_ist(VECTOR_MC), IST_FATAL);
    CHECK(IST_NMI != IST_FATAL);
    CHECK_EQ(vector_ist(13), 0);
    CHECK_EQ(vector_ist(VECTOR_TIMER), 0);
}

static int has(const uint16_t *regs, unsigned n, uint16_t reg)
{
    for (unsigned i = 0; i < n; i++)
        if (regs[i] == reg)
            return 1;
    return 0;
}

static void lvts(void)
{
    uint16_t r[APIC_LVT_MAX_ENTRIES];
    /* QEMU's APIC: version 0x14, MaxLVT 5 (timer, thermal, perf, LINT0/1, error) */
    unsigned n = apic_lvts_to_mask(0x00050014, 0, 0, r);
    CHECK_EQ(n, 6);
    CHECK(has(r, n, APIC_REG_LVT_TIMER) && has(r, n, APIC_REG_LVT_LINT0) &&
          has(r, n, APIC_REG_LVT_LINT1) && has(r, n, APIC_REG_LVT_ERROR) &&
          has(r, n, APIC_REG_LVT_PERF) && has(r, n, APIC_REG_LVT_THERMAL));
    CHECK(!has(r, n, APIC_REG_LVT_CMCI));
    /* MaxLVT 3: only the four every APIC has; an x2APIC access to the
     * others would fault */
    n = apic_lvts_to_mask(0x00030014, 0, 1, r);
    CHECK_EQ(n, 4);
    CHECK(!has(r, n, APIC_REG_LVT_PERF) && !has(r, n, APIC_REG_LVT_THERMAL));
    /* MaxLVT 6 (Intel): CMCI too */
    n = apic_lvts_to_mask(0x00060015, 0, 1, r);
    CHECK_EQ(n, 7);
    CHECK(has(r, n, APIC_REG_LVT_CMCI));
    /* AMD with the extended APIC space and 4 extended LVTs, xAPIC mode */
    n = apic_lvts_to_mask(0x80050010, 0x00040007, 0, r);
    CHECK_EQ(n, 10);
    CHECK(has(r, n, APIC_REG_EXT_LVT0) && has(r, n, APIC_REG_EXT_LVT0 + 0x30));
    /* ... but not in x2APIC mode */
    n = apic_lvts_to_mask(0x80050010, 0x00040007, 1, r);
    CHECK_EQ(n, 6);
    /* an absurd extended count is bounded */
    n = apic_lvts_to_mask(0x80050010, 0x00ff0007, 0, r);
    CHECK_EQ(n, 6 + APIC_EXT_LVT_MAX);
}

static void counts_line(void)
{
    static struct interrupt_counts c;
    char buf[200];
    interrupt_counts_describe(&c, buf, sizeof buf);
    CHECK_STR(buf, "nmi=0 stray=0");
    c.nmi = 10;
    c.stray[0x40] = 3;
    c.stray[0xff] = 1;
    c.stray_total = 4;
    interrupt_counts_describe(&c, buf, sizeof buf);
    CHECK_STR(buf, "nmi=10 stray=4 [vector 0x40 x3, vector 0xff x1]");
    char small[16];
    interrupt_counts_describe(&c, small, sizeof small);
    CHECK_EQ(strlen(small), sizeof small - 1);   /* cut, terminated, no overrun */
}

SUITE(vectors)
{
    kinds();
    lvts();
    counts_line();
}
