/* What each interrupt vector means to svmtest (its kind, IST stack and
 * name, what arrived unasked) and which local APIC LVT entries it masks:
 * pure tables, shared by the IDT, APIC and report code and tested on the
 * host. */
#ifndef SVMTEST_VECTORS_H
#define SVMTEST_VECTORS_H

#include <stdint.h>

#define VECTOR_NMI 2
#define VECTOR_MC 18
#define VECTOR_TIMER 0xf0
#define VECTOR_WAKE 0xf1       /* ends the boot CPU's nap while an AP runs (kernel/smp.c) */
#define VECTOR_SPURIOUS 0xff

enum vector_kind {
    VECTOR_KIND_EXCEPTION,     /* ends the run as an ERROR */
    VECTOR_KIND_NMI,           /* counted, the run resumes */
    VECTOR_KIND_MACHINE_CHECK, /* reported with the MCA banks, ends the run */
    VECTOR_KIND_TIMER,         /* the guest-bounding APIC timer */
    VECTOR_KIND_WAKE,          /* kernel/smp.c's wake-up: EOI, not counted */
    VECTOR_KIND_SPURIOUS,      /* APIC spurious: counted, no EOI */
    VECTOR_KIND_LEGACY_PIC,    /* remapped 8259 range: counted, EOI to the 8259 if in service */
    VECTOR_KIND_STRAY,         /* anything else: counted, APIC EOI if in service */
};

enum vector_kind vector_kind(unsigned vector);
/* The IST stack a vector runs on: NMI and #DF/#MC get stacks of their own
 * (an NMI during a machine check report must not share its stack). */
unsigned vector_ist(unsigned vector);

/* "#GP" for vector 13; "interrupt" beyond the exceptions. */
const char *exception_mnemonic(unsigned vector);

/* What arrived that svmtest did not ask for: NMIs and stray vectors. */
struct interrupt_counts {
    uint32_t nmi;
    uint32_t stray_total;
    uint32_t stray[256];    /* by vector; VECTOR_SPURIOUS included */
};
/* "nmi=N stray=M [0x40 x3, 0xff x1]" into buf (the verbose=1 line). */
void interrupt_counts_describe(const struct interrupt_counts *c, char *buf, unsigned size);

#define LEGACY_PIC_VECTOR_BASE 0x20   /* master 8259 after remapping; slave at +8 */
#define LEGACY_PIC_VECTORS 16

#define IST_NMI 1
#define IST_FATAL 2

/* Local APIC registers (xAPIC MMIO offsets; x2APIC MSR = 0x800 + offset/16) */
#define APIC_REG_ID 0x020
#define APIC_REG_VERSION 0x030
#define APIC_REG_TPR 0x080
#define APIC_REG_EOI 0x0b0
#define APIC_REG_SVR 0x0f0
#define APIC_REG_ISR0 0x100          /* 8 registers, 0x10 apart */
#define APIC_REG_IRR0 0x200
#define APIC_REG_ESR 0x280
#define APIC_REG_LVT_CMCI 0x2f0
#define APIC_REG_LVT_TIMER 0x320
#define APIC_REG_LVT_THERMAL 0x330
#define APIC_REG_LVT_PERF 0x340
#define APIC_REG_LVT_LINT0 0x350
#define APIC_REG_LVT_LINT1 0x360
#define APIC_REG_LVT_ERROR 0x370
#define APIC_REG_EXT_FEATURE 0x400   /* AMD extended APIC space (xAPIC only) */
#define APIC_REG_EXT_LVT0 0x500      /* AMD extended LVTs, 0x10 apart */

#define APIC_VERSION_MAX_LVT(v) (((v) >> 16) & 0xff)
#define APIC_VERSION_EXT_SPACE (1u << 31)
#define APIC_EXT_FEATURE_LVT_COUNT(v) (((v) >> 16) & 0xff)
#define APIC_EXT_LVT_MAX 4

#define APIC_LVT_MAX_ENTRIES 12
/* The LVT registers to mask, from the APIC's version register and (when it
 * has the AMD extended space and is in xAPIC mode) its extended feature
 * register: registers that do not exist are left out, since an x2APIC
 * access to one faults. Returns how many were written to regs. */
unsigned apic_lvts_to_mask(uint32_t version, uint32_t ext_feature, int x2apic,
                           uint16_t regs[APIC_LVT_MAX_ENTRIES]);

#endif
