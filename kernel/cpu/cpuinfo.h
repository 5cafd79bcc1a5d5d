/* The CPU's identity for the "# cpu:" line and the raw CPUID leaves the
 * answer depends on for the "# features:" line: enough for two labs to
 * compare machines from their reports alone. */
#ifndef SVMTEST_CPUINFO_H
#define SVMTEST_CPUINFO_H

#include <stddef.h>
#include <stdint.h>

#define CPU_BRAND_BYTES 48

struct cpu_ident {
    char vendor[13];
    char name[CPU_BRAND_BYTES + 1];
    uint32_t signature;            /* CPUID Fn0000_0001_EAX */
    uint32_t family, model, stepping;
    int microcode_known;           /* 0: the MSR read #GP'd, or read 0 (a hypervisor) */
    uint32_t microcode;            /* MSR 0x8B PATCH_LEVEL */
    uint32_t leaf_8000000a_edx;    /* SVM features (NP, NRIPS, ...); 0 when absent */
    uint32_t leaf_7_ecx;           /* structured extended features (LA57 is bit 16) */
    uint32_t leaf_80000008_eax;    /* physical and linear address sizes */
};

/* Read it all (bare metal: CPUID, and the #GP-safe MSR read). */
void cpu_ident_read(struct cpu_ident *id);

/* Pure helpers (host-tested). */
/* Family, model and stepping as AMD's revision guides give them: the
 * extended family is added and the extended model prepended for base
 * family 0xf (and the model for family 6, Intel's rule). */
void cpu_signature_decode(uint32_t signature, uint32_t *family, uint32_t *model,
                          uint32_t *stepping);
/* The brand string of CPUID 0x80000002..4: padding trimmed, anything but
 * printable ASCII (and the quote and backslash that would end or escape the
 * quoted name) shown as '?'. */
void cpu_brand_clean(const char raw[CPU_BRAND_BYTES], char name[CPU_BRAND_BYTES + 1]);
/* The microcode level from MSR 0x8B: AMD keeps it in the low half, Intel in
 * the high half. Returns 0 when it is unknown (the value reads 0). */
int cpu_microcode_from_msr(const char *vendor, uint64_t msr, uint32_t *level);
/* "vendor=... family=0x.. model=0x.. stepping=0x. signature=0x........
 * microcode=0x........|unknown name=\"...\"" */
int cpu_ident_format(const struct cpu_ident *id, char *buf, size_t size);
/* "leaf_8000000a_edx=0x........ leaf_7_ecx=0x........ leaf_80000008_eax=0x........" */
int cpu_leaves_format(const struct cpu_ident *id, char *buf, size_t size);

#endif
