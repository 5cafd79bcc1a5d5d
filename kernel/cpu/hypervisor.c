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

#define SIGNATURE_LEN 12

void hypervisor_name(char out[HYPERVISOR_NAME_SIZE])
{
    static const struct { const char *signature, *name; } known[] = {
        { "KVMKVMKVM\0\0\0", "kvm" },
        { "TCGTCGTCGTCG", "tcg" },
    };
    const char *name = "none";
    struct cpuid_regs r = cpuid(CPUID_HYPERVISOR_LEAF, 0);
    if (hypervisor_present()) {
        name = 0;
        for (unsigned i = 0; i < sizeof known / sizeof known[0]; i++)
            if (signature_is(r, known[i].signature))
                name = known[i].name;
    }
    if (name) {
        int i = 0;
        for (; name[i]; i++)
            out[i] = name[i];
        out[i] = 0;
        return;
    }
    uint32_t w[3] = { r.ebx, r.ecx, r.edx };
    const char *p = (const char *)w;
    int n = 0;
    for (int i = 0; i < SIGNATURE_LEN; i++)
        if (p[i] > ' ' && p[i] < 0x7f && p[i] != '"')
            out[n++] = p[i];
    if (n == 0)
        out[n++] = '?';
    out[n] = 0;
}
