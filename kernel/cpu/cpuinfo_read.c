/* cpu_ident_read: CPUID and MSR 0x8B on the running CPU (bare metal). */
#include <string.h>

#include "cpu.h"
#include "cpuinfo.h"
#include "msr_safe.h"

#define CPUID_EXT_MAX 0x80000000u
#define CPUID_BRAND_FIRST 0x80000002u
#define CPUID_BRAND_LAST 0x80000004u
#define CPUID_SVM_FEATURES 0x8000000Au
#define CPUID_ADDRESS_SIZES 0x80000008u
#define CPUID_STRUCTURED_FEATURES 7u
#define MSR_PATCH_LEVEL 0x0000008b

void cpu_ident_read(struct cpu_ident *id)
{
    memset(id, 0, sizeof *id);
    struct cpuid_regs r = cpuid(0, 0);
    uint32_t max_basic = r.eax;
    memcpy(id->vendor + 0, &r.ebx, 4);
    memcpy(id->vendor + 4, &r.edx, 4);
    memcpy(id->vendor + 8, &r.ecx, 4);

    id->signature = cpuid(1, 0).eax;   /* also refreshes Intel's MSR 0x8B */
    cpu_signature_decode(id->signature, &id->family, &id->model, &id->stepping);
    uint64_t patch;
    if (rdmsr_safe(MSR_PATCH_LEVEL, &patch) == 0)
        id->microcode_known = cpu_microcode_from_msr(id->vendor, patch, &id->microcode);

    if (max_basic >= CPUID_STRUCTURED_FEATURES)
        id->leaf_7_ecx = cpuid(CPUID_STRUCTURED_FEATURES, 0).ecx;
    uint32_t max_ext = cpuid(CPUID_EXT_MAX, 0).eax;
    if (max_ext >= CPUID_ADDRESS_SIZES)
        id->leaf_80000008_eax = cpuid(CPUID_ADDRESS_SIZES, 0).eax;
    if (max_ext >= CPUID_SVM_FEATURES)
        id->leaf_8000000a_edx = cpuid(CPUID_SVM_FEATURES, 0).edx;
    if (max_ext >= CPUID_BRAND_LAST) {
        char raw[CPU_BRAND_BYTES];
        for (uint32_t leaf = CPUID_BRAND_FIRST; leaf <= CPUID_BRAND_LAST; leaf++) {
            r = cpuid(leaf, 0);
            memcpy(raw + (leaf - CPUID_BRAND_FIRST) * 16, &r, 16);
        }
        cpu_brand_clean(raw, id->name);
    }
}
