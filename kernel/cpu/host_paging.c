#include "host_paging.h"

#include "cpu.h"

#define CPUID_7_ECX_LA57 (1u << 16)

extern uint8_t host_pml4[], host_pml5[];
void host_paging_switch(uint64_t root, uint64_t la57);

int host_paging_la57_supported(void)
{
    if (cpuid(0, 0).eax < 7)
        return 0;
    return (cpuid(7, 0).ecx & CPUID_7_ECX_LA57) != 0;
}

int host_paging_depth(void)
{
    return (read_cr4() & CR4_LA57) ? 5 : 4;
}

int host_paging_set(int depth)
{
    if (depth == 5 && !host_paging_la57_supported())
        return -1;
    if (host_paging_depth() == depth)
        return 0;
    uint64_t flags = read_rflags();
    irq_disable();
    /* with SVM on, GIF=0 holds NMIs (and SMIs) off while paging is off */
    int gif_off = (rdmsr(MSR_EFER) & EFER_SVME) != 0;
    if (gif_off)
        __asm__ volatile("clgi" ::: "memory");
    host_paging_switch((uint64_t)(depth == 5 ? host_pml5 : host_pml4), depth == 5);
    if (gif_off)
        __asm__ volatile("stgi" ::: "memory");
    if (flags & RFLAGS_IF)
        __asm__ volatile("sti");
    return host_paging_depth() == depth ? 0 : -1;
}
