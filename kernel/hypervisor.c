#include "hypervisor.h"

#include "cpu.h"

#define CPUID_1_ECX_HYPERVISOR (1u << 31)
#define CPUID_HYPERVISOR_LEAF 0x40000000u

int hypervisor_present(void)
{
    return (cpuid(1, 0).ecx & CPUID_1_ECX_HYPERVISOR) != 0;
}

static int signature_is(struct cpuid_regs r, const char *sig)
{
    uint32_t w[3] = { r.ebx, r.ecx, r.edx };
    const char *p = (const char *)w;
    for (int i = 0; i < 12; i++)
        if (p[i] != sig[i])
            return 0;
    return 1;
}

int hypervisor_is_qemu_or_kvm(void)
{
    if (!hypervisor_present())
        return 0;
    struct cpuid_regs r = cpuid(CPUID_HYPERVISOR_LEAF, 0);
    return signature_is(r, "TCGTCGTCGTCG") || signature_is(r, "KVMKVMKVM\0\0\0");
}
