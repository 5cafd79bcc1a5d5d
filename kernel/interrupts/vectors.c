#include "vectors.h"

#include "kernel/lib/fmt.h"

#define VECTOR_DF 8
#define EXCEPTION_VECTORS 32

enum vector_kind vector_kind(unsigned vector)
{
    if (vector == VECTOR_NMI)
        return VECTOR_KIND_NMI;
    if (vector == VECTOR_MC)
        return VECTOR_KIND_MACHINE_CHECK;
    if (vector < EXCEPTION_VECTORS)
        return VECTOR_KIND_EXCEPTION;
    if (vector == VECTOR_TIMER)
        return VECTOR_KIND_TIMER;
    if (vector == VECTOR_WAKE)
        return VECTOR_KIND_WAKE;
    if (vector == VECTOR_SPURIOUS)
        return VECTOR_KIND_SPURIOUS;
    if (vector >= LEGACY_PIC_VECTOR_BASE && vector < LEGACY_PIC_VECTOR_BASE + LEGACY_PIC_VECTORS)
        return VECTOR_KIND_LEGACY_PIC;
    return VECTOR_KIND_STRAY;
}

unsigned vector_ist(unsigned vector)
{
    if (vector == VECTOR_NMI)
        return IST_NMI;
    if (vector == VECTOR_DF || vector == VECTOR_MC)
        return IST_FATAL;
    return 0;
}

const char *exception_mnemonic(unsigned vector)
{
    static const char *const names[32] = {
        "#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "#CSO", "#TS", "#NP",
        "#SS", "#GP", "#PF", "#15", "#MF", "#AC", "#MC", "#XM", "#VE", "#CP", "#22", "#23",
        "#24", "#25", "#26", "#27", "#HV", "#VC", "#SX", "#31",
    };
    return vector < 32 ? names[vector] : "interrupt";
}

unsigned apic_lvts_to_mask(uint32_t version, uint32_t ext_feature, int x2apic,
                           uint16_t regs[APIC_LVT_MAX_ENTRIES])
{
    /* MaxLVT is the number of LVT entries minus one: 3 means timer, LINT0,
     * LINT1, error (always present); 4 adds performance counters, 5
     * thermal, 6 CMCI */
    unsigned max_lvt = APIC_VERSION_MAX_LVT(version), n = 0;
    regs[n++] = APIC_REG_LVT_TIMER;
    regs[n++] = APIC_REG_LVT_LINT0;
    regs[n++] = APIC_REG_LVT_LINT1;
    regs[n++] = APIC_REG_LVT_ERROR;
    if (max_lvt >= 4)
        regs[n++] = APIC_REG_LVT_PERF;
    if (max_lvt >= 5)
        regs[n++] = APIC_REG_LVT_THERMAL;
    if (max_lvt >= 6)
        regs[n++] = APIC_REG_LVT_CMCI;
    if (!x2apic && (version & APIC_VERSION_EXT_SPACE)) {
        unsigned ext = APIC_EXT_FEATURE_LVT_COUNT(ext_feature);
        for (unsigned i = 0; i < ext && i < APIC_EXT_LVT_MAX; i++)
            regs[n++] = (uint16_t)(APIC_REG_EXT_LVT0 + 0x10 * i);
    }
    return n;
}

void interrupt_counts_describe(const struct interrupt_counts *c, char *buf, unsigned size)
{
    int n = fmt_snprintf(buf, size, "nmi=%u stray=%u", c->nmi, c->stray_total);
    const char *sep = " [";
    for (unsigned v = 0; v < 256 && n >= 0 && (unsigned)n < size; v++) {
        if (!c->stray[v])
            continue;
        n += fmt_snprintf(buf + n, size - (unsigned)n, "%svector 0x%02x x%u", sep, v, c->stray[v]);
        sep = ", ";
    }
    if (*sep == ',' && n >= 0 && (unsigned)n < size)
        fmt_snprintf(buf + n, size - (unsigned)n, "]");
}
