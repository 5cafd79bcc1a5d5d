#include "gdt.h"

#include <stdint.h>

#define TSS_TYPE_AVAILABLE_PRESENT 0x89
#define EMERGENCY_STACK_SIZE 16384

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
static uint8_t emergency_stack[EMERGENCY_STACK_SIZE] __attribute__((aligned(16)));

void tss_init(void)
{
    tss.ist[0] = (uint64_t)(emergency_stack + sizeof emergency_stack);
    tss.iopb_offset = sizeof tss;
    uint64_t base = (uint64_t)&tss, limit = sizeof tss - 1;
    boot_gdt[SEL_TSS / 8] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
                            ((uint64_t)TSS_TYPE_AVAILABLE_PRESENT << 40) |
                            ((limit >> 16 & 0xf) << 48) | ((base >> 24 & 0xff) << 56);
    boot_gdt[SEL_TSS / 8 + 1] = base >> 32;
    __asm__ volatile("ltr %w0" :: "r"(SEL_TSS));
}
