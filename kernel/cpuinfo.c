#include "cpuinfo.h"

#include <string.h>

#include "cpu.h"

#define CPUID_BRAND_FIRST 0x80000002u
#define CPUID_BRAND_LAST 0x80000004u

void cpu_ident_read(struct cpu_ident *id)
{
    memset(id, 0, sizeof *id);
    struct cpuid_regs r = cpuid(0, 0);
    memcpy(id->vendor + 0, &r.ebx, 4);
    memcpy(id->vendor + 4, &r.edx, 4);
    memcpy(id->vendor + 8, &r.ecx, 4);

    uint32_t sig = cpuid(1, 0).eax;
    uint32_t base_family = (sig >> 8) & 0xf, base_model = (sig >> 4) & 0xf;
    id->stepping = sig & 0xf;
    id->family = base_family;
    id->model = base_model;
    if (base_family == 0xf)
        id->family += (sig >> 20) & 0xff;
    if (base_family == 0xf || base_family == 0x6)
        id->model |= ((sig >> 16) & 0xf) << 4;

    if (cpuid(0x80000000u, 0).eax >= CPUID_BRAND_LAST) {
        char raw[48];
        for (uint32_t leaf = CPUID_BRAND_FIRST; leaf <= CPUID_BRAND_LAST; leaf++) {
            r = cpuid(leaf, 0);
            memcpy(raw + (leaf - CPUID_BRAND_FIRST) * 16, &r, 16);
        }
        /* trim the padding; keep printable ASCII only */
        int start = 0, end = 48;
        while (end > 0 && (raw[end - 1] == ' ' || raw[end - 1] == '\0'))
            end--;
        while (start < end && raw[start] == ' ')
            start++;
        int n = 0;
        for (int i = start; i < end; i++)
            id->name[n++] = raw[i] >= 0x20 && raw[i] < 0x7f && raw[i] != '"' ? raw[i] : '?';
    }
}
