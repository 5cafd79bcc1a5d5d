#include "cpuinfo.h"

#include "kernel/lib/fmt.h"

#define BASE_FAMILY_EXTENDED 0xf
#define BASE_FAMILY_INTEL_P6 0x6

void cpu_signature_decode(uint32_t signature, uint32_t *family, uint32_t *model,
                          uint32_t *stepping)
{
    uint32_t base_family = (signature >> 8) & 0xf, base_model = (signature >> 4) & 0xf;
    uint32_t ext_family = (signature >> 20) & 0xff, ext_model = (signature >> 16) & 0xf;
    *stepping = signature & 0xf;
    *family = base_family;
    *model = base_model;
    if (base_family == BASE_FAMILY_EXTENDED)
        *family += ext_family;
    if (base_family == BASE_FAMILY_EXTENDED || base_family == BASE_FAMILY_INTEL_P6)
        *model |= ext_model << 4;
}

void cpu_brand_clean(const char raw[CPU_BRAND_BYTES], char name[CPU_BRAND_BYTES + 1])
{
    int start = 0, end = CPU_BRAND_BYTES, n = 0;
    for (int i = 0; i < CPU_BRAND_BYTES; i++)
        if (raw[i] == '\0') {     /* the string ends at its NUL */
            end = i;
            break;
        }
    while (end > 0 && raw[end - 1] == ' ')
        end--;
    while (start < end && raw[start] == ' ')
        start++;
    for (int i = start; i < end; i++) {
        char c = raw[i];
        name[n++] = c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? c : '?';
    }
    name[n] = '\0';
}

static int vendor_is(const char *vendor, const char *want)
{
    for (; *want; vendor++, want++)
        if (*vendor != *want)
            return 0;
    return *vendor == '\0';
}

int cpu_microcode_from_msr(const char *vendor, uint64_t msr, uint32_t *level)
{
    *level = vendor_is(vendor, "GenuineIntel") ? (uint32_t)(msr >> 32) : (uint32_t)msr;
    return *level != 0;
}

int cpu_ident_format(const struct cpu_ident *id, char *buf, size_t size)
{
    char microcode[12] = "unknown";
    if (id->microcode_known)
        fmt_snprintf(microcode, sizeof microcode, "0x%08x", id->microcode);
    return fmt_snprintf(buf, size, "vendor=%s family=0x%x model=0x%x stepping=0x%x "
                        "signature=0x%08x microcode=%s name=\"%s\"", id->vendor, id->family,
                        id->model, id->stepping, id->signature, microcode, id->name);
}

int cpu_leaves_format(const struct cpu_ident *id, char *buf, size_t size)
{
    return fmt_snprintf(buf, size, "leaf_8000000a_edx=0x%08x leaf_7_ecx=0x%08x "
                        "leaf_80000008_eax=0x%08x", id->leaf_8000000a_edx, id->leaf_7_ecx,
                        id->leaf_80000008_eax);
}
