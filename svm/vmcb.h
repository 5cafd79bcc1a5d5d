/* The VMCB (AMD APM vol. 2, appendix B), fields named as the APM names them,
 * offsets checked at compile time; intercept bits, exit codes and #NPF
 * EXITINFO1 bits as named constants. */
#ifndef SVMTEST_VMCB_H
#define SVMTEST_VMCB_H

#include <stddef.h>
#include <stdint.h>

/* intercept vector 3 (offset 0x0c) */
#define INTERCEPT_INTR        (1u << 0)
#define INTERCEPT_NMI         (1u << 1)
#define INTERCEPT_SMI         (1u << 2)
#define INTERCEPT_INIT        (1u << 3)
#define INTERCEPT_CPUID       (1u << 18)
#define INTERCEPT_HLT         (1u << 24)
#define INTERCEPT_IOIO_PROT   (1u << 27)
#define INTERCEPT_MSR_PROT    (1u << 28)
#define INTERCEPT_SHUTDOWN    (1u << 31)
/* intercept vector 4 (offset 0x10) */
#define INTERCEPT_VMRUN       (1u << 0)
#define INTERCEPT_VMMCALL     (1u << 1)
#define INTERCEPT_VMLOAD      (1u << 2)
#define INTERCEPT_VMSAVE      (1u << 3)
#define INTERCEPT_STGI        (1u << 4)
#define INTERCEPT_CLGI        (1u << 5)
#define INTERCEPT_SKINIT      (1u << 6)

#define INT_CTL_V_INTR_MASKING (1u << 24)
#define NESTED_CTL_NP_ENABLE   (1ull << 0)
#define TLB_CONTROL_FLUSH_ALL  1

/* exit codes */
#define VMEXIT_EXCP_BASE      0x040
#define VMEXIT_INTR           0x060
#define VMEXIT_NMI            0x061
#define VMEXIT_SMI            0x062
#define VMEXIT_INIT           0x063
#define VMEXIT_VINTR          0x064
#define VMEXIT_CPUID          0x072
#define VMEXIT_HLT            0x078
#define VMEXIT_IOIO           0x07b
#define VMEXIT_MSR            0x07c
#define VMEXIT_SHUTDOWN       0x07f
#define VMEXIT_VMRUN          0x080
#define VMEXIT_VMMCALL        0x081
#define VMEXIT_NPF            0x400
#define VMEXIT_INVALID        ((uint64_t)-1)
/* QEMU's TCG stores VMEXIT_INVALID as a 32-bit -1 */
#define VMEXIT_INVALID_32     0x00000000ffffffffull

/* EXITINTINFO / EVENTINJ (APM vol. 2, "Event Injection"): the event being
 * delivered when the #VMEXIT happened */
#define EVENT_VECTOR_MASK     0xffu
#define EVENT_TYPE_SHIFT      8
#define EVENT_TYPE_MASK       0x7u
#define EVENT_TYPE_INTR       0
#define EVENT_TYPE_NMI        2
#define EVENT_TYPE_EXCEPTION  3
#define EVENT_VALID           (1ull << 31)
/* the real-mode interrupt vector table: 4 bytes per vector from address 0 */
#define REAL_MODE_IVT_SIZE    0x400u
#define REAL_MODE_IVT_ENTRY   4u

/* #NPF EXITINFO1 */
#define NPF_PRESENT           (1ull << 0)
#define NPF_WRITE             (1ull << 1)
#define NPF_USER              (1ull << 2)
#define NPF_RESERVED          (1ull << 3)
#define NPF_FETCH             (1ull << 4)
#define NPF_SHADOW_STACK      (1ull << 6)
#define NPF_FINAL_TRANSLATION (1ull << 32)
#define NPF_PAGE_TABLE_WALK   (1ull << 33)

/* segment attributes in the VMCB's compressed form (descriptor bits 40-47
 * in 7:0, bits 52-55 in 11:8) */
#define SEG_ATTR_TYPE_MASK    0x000f
#define SEG_ATTR_S            0x0010
#define SEG_ATTR_P            0x0080
#define SEG_ATTR_L            0x0200
#define SEG_ATTR_DB           0x0400
#define SEG_ATTR_G            0x0800

struct vmcb_control_area {
    uint32_t intercept_cr;          /* 0x000: reads in 15:0, writes in 31:16 */
    uint32_t intercept_dr;          /* 0x004 */
    uint32_t intercept_exceptions;  /* 0x008 */
    uint32_t intercept_misc3;       /* 0x00c: intercept vector 3 */
    uint32_t intercept_misc4;       /* 0x010: intercept vector 4 */
    uint32_t intercept_misc5;       /* 0x014 */
    uint8_t reserved_018[0x03c - 0x018];
    uint16_t pause_filter_threshold; /* 0x03c */
    uint16_t pause_filter_count;    /* 0x03e */
    uint64_t iopm_base_pa;          /* 0x040 */
    uint64_t msrpm_base_pa;         /* 0x048 */
    uint64_t tsc_offset;            /* 0x050 */
    uint32_t guest_asid;            /* 0x058 */
    uint8_t tlb_control;            /* 0x05c */
    uint8_t reserved_05d[3];
    uint32_t int_ctl;               /* 0x060: V_TPR, V_IRQ, V_INTR_MASKING, ... */
    uint32_t int_vector;            /* 0x064 */
    uint64_t int_state;             /* 0x068: interrupt shadow */
    uint64_t exitcode;              /* 0x070 */
    uint64_t exitinfo1;             /* 0x078 */
    uint64_t exitinfo2;             /* 0x080 */
    uint64_t exitintinfo;           /* 0x088 */
    uint64_t nested_ctl;            /* 0x090: NP_ENABLE, SEV, ... */
    uint64_t avic_apic_bar;         /* 0x098 */
    uint64_t ghcb_pa;               /* 0x0a0 */
    uint64_t eventinj;              /* 0x0a8 */
    uint64_t n_cr3;                 /* 0x0b0 */
    uint64_t lbr_virtualization_enable; /* 0x0b8 */
    uint32_t vmcb_clean;            /* 0x0c0 */
    uint32_t reserved_0c4;
    uint64_t nrip;                  /* 0x0c8 */
    uint8_t guest_instruction_bytes_count; /* 0x0d0 */
    uint8_t guest_instruction_bytes[15];
    uint8_t reserved_0e0[0x400 - 0x0e0];
};

struct vmcb_seg {
    uint16_t selector;
    uint16_t attrib;
    uint32_t limit;
    uint64_t base;
};

struct vmcb_save_area {
    struct vmcb_seg es, cs, ss, ds, fs, gs, gdtr, ldtr, idtr, tr; /* 0x400.. */
    uint8_t reserved_4a0[0x4cb - 0x4a0];
    uint8_t cpl;                    /* 0x4cb */
    uint32_t reserved_4cc;
    uint64_t efer;                  /* 0x4d0 */
    uint8_t reserved_4d8[0x548 - 0x4d8];
    uint64_t cr4;                   /* 0x548 */
    uint64_t cr3;                   /* 0x550 */
    uint64_t cr0;                   /* 0x558 */
    uint64_t dr7;                   /* 0x560 */
    uint64_t dr6;                   /* 0x568 */
    uint64_t rflags;                /* 0x570 */
    uint64_t rip;                   /* 0x578 */
    uint8_t reserved_580[0x5d8 - 0x580];
    uint64_t rsp;                   /* 0x5d8 */
    uint64_t s_cet, ssp, isst_addr; /* 0x5e0 */
    uint64_t rax;                   /* 0x5f8 */
    uint64_t star, lstar, cstar, sfmask, kernel_gs_base; /* 0x600 */
    uint64_t sysenter_cs, sysenter_esp, sysenter_eip;    /* 0x628 */
    uint64_t cr2;                   /* 0x640 */
    uint8_t reserved_648[0x668 - 0x648];
    uint64_t g_pat;                 /* 0x668 */
    uint64_t dbgctl;                /* 0x670 */
    uint64_t br_from, br_to, lastexcpfrom, lastexcpto; /* 0x678 */
};

struct vmcb {
    struct vmcb_control_area control;
    struct vmcb_save_area save;
    uint8_t reserved_tail[4096 - 0x400 - sizeof(struct vmcb_save_area)];
};

#define VMCB_CHECK(field, offset) \
    _Static_assert(offsetof(struct vmcb, field) == (offset), #field " at " #offset)
VMCB_CHECK(control.intercept_misc3, 0x00c);
VMCB_CHECK(control.iopm_base_pa, 0x040);
VMCB_CHECK(control.guest_asid, 0x058);
VMCB_CHECK(control.tlb_control, 0x05c);
VMCB_CHECK(control.int_ctl, 0x060);
VMCB_CHECK(control.exitcode, 0x070);
VMCB_CHECK(control.exitinfo1, 0x078);
VMCB_CHECK(control.exitinfo2, 0x080);
VMCB_CHECK(control.nested_ctl, 0x090);
VMCB_CHECK(control.eventinj, 0x0a8);
VMCB_CHECK(control.n_cr3, 0x0b0);
VMCB_CHECK(control.vmcb_clean, 0x0c0);
VMCB_CHECK(control.nrip, 0x0c8);
VMCB_CHECK(control.guest_instruction_bytes, 0x0d1);
VMCB_CHECK(save.es, 0x400);
VMCB_CHECK(save.cs, 0x410);
VMCB_CHECK(save.gdtr, 0x460);
VMCB_CHECK(save.tr, 0x490);
VMCB_CHECK(save.cpl, 0x4cb);
VMCB_CHECK(save.efer, 0x4d0);
VMCB_CHECK(save.cr4, 0x548);
VMCB_CHECK(save.cr0, 0x558);
VMCB_CHECK(save.rip, 0x578);
VMCB_CHECK(save.rsp, 0x5d8);
VMCB_CHECK(save.rax, 0x5f8);
VMCB_CHECK(save.star, 0x600);
VMCB_CHECK(save.cr2, 0x640);
VMCB_CHECK(save.g_pat, 0x668);
VMCB_CHECK(save.lastexcpto, 0x690);
_Static_assert(sizeof(struct vmcb) == 4096, "VMCB is one page");

#endif
