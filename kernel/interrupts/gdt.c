#include "gdt.h"

#include <stdint.h>

#include "vectors.h"

#define TSS_TYPE_AVAILABLE_PRESENT 0x89
#define IST_STACK_SIZE 16384

struct tss {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iopb_offset;
} __attribute__((packed));
_Static_assert(sizeof(struct tss) == 104, "64-bit TSS");

extern uint64_t boot_gdt[];
static struct tss tss;
/* IST_NMI and IST_FATAL (kernel/interrupts/vectors.h): an NMI while a machine check
 * or #DF is being reported must not overwrite that report's stack */
static uint8_t nmi_stack[IST_STACK_SIZE] __attribute__((aligned(16)));
static uint8_t fatal_stack[IST_STACK_SIZE] __attribute__((aligned(16)));

static void tss_install(uint64_t *gdt, struct tss *t, uint8_t *nmi, uint8_t *fatal)
{
    *t = (struct tss){ .iopb_offset = sizeof *t };
    t->ist[IST_NMI - 1] = (uint64_t)(nmi + IST_STACK_SIZE);
    t->ist[IST_FATAL - 1] = (uint64_t)(fatal + IST_STACK_SIZE);
    uint64_t base = (uint64_t)t, limit = sizeof *t - 1;
    gdt[SEL_TSS / 8] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
                       ((uint64_t)TSS_TYPE_AVAILABLE_PRESENT << 40) |
                       ((limit >> 16 & 0xf) << 48) | ((base >> 24 & 0xff) << 56);
    gdt[SEL_TSS / 8 + 1] = base >> 32;
}

void tss_init(void)
{
    tss_install(boot_gdt, &tss, nmi_stack, fatal_stack);
    __asm__ volatile("ltr %w0" :: "r"(SEL_TSS));
}

/* One application processor runs at a time (kernel/smp.c), so one set. */
static uint64_t ap_gdt[GDT_BYTES / 8] __attribute__((aligned(16)));
static struct tss ap_tss;
static uint8_t ap_nmi_stack[IST_STACK_SIZE] __attribute__((aligned(16)));
static uint8_t ap_fatal_stack[IST_STACK_SIZE] __attribute__((aligned(16)));

const void *gdt_prepare_ap(void)
{
    for (unsigned i = 0; i < GDT_BYTES / 8; i++)
        ap_gdt[i] = boot_gdt[i];
    tss_install(ap_gdt, &ap_tss, ap_nmi_stack, ap_fatal_stack);
    return ap_gdt;
}
