#include "caps.h"

#include "kernel/cpu/cpu.h"
#include "kernel/cpu/host_paging.h"

#define CPUID_EXT_FEATURES 0x80000001u
#define CPUID_SVM_FEATURES 0x8000000Au
#define CPUID_80000001_ECX_SVM (1u << 2)
#define CPUID_80000001_EDX_NX (1u << 20)
#define CPUID_80000001_EDX_PAGE1GB (1u << 26)
#define CPUID_ADDRESS_SIZES 0x80000008u
#define MAXPHYADDR_DEFAULT 36
#define SVM_FEATURE_NP (1u << 0)
#define SVM_FEATURE_LBRV (1u << 1)
#define SVM_FEATURE_NRIPS (1u << 3)
#define SVM_FEATURE_VMCB_CLEAN (1u << 5)
#define SVM_FEATURE_FLUSH_BY_ASID (1u << 6)
#define SVM_FEATURE_DECODE_ASSISTS (1u << 7)
#define SVM_FEATURE_VGIF (1u << 16)
#define VM_CR_LOCK (1u << 3)
#define VM_CR_SVMDIS (1u << 4)

void svm_caps_read(struct svm_caps *c)
{
    *c = (struct svm_caps){ 0 };
    c->la57 = (uint8_t)host_paging_la57_supported();
    c->maxphyaddr = MAXPHYADDR_DEFAULT;
    uint32_t max_ext = cpuid(0x80000000u, 0).eax;
    if (max_ext < CPUID_EXT_FEATURES)
        return;
    if (max_ext >= CPUID_ADDRESS_SIZES)
        c->maxphyaddr = (uint8_t)(cpuid(CPUID_ADDRESS_SIZES, 0).eax & 0xff);
    struct cpuid_regs ext = cpuid(CPUID_EXT_FEATURES, 0);
    c->nx = (ext.edx & CPUID_80000001_EDX_NX) != 0;
    c->page1gb = (ext.edx & CPUID_80000001_EDX_PAGE1GB) != 0;
    c->svm = (ext.ecx & CPUID_80000001_ECX_SVM) != 0;
    if (!c->svm || cpuid(0x80000000u, 0).eax < CPUID_SVM_FEATURES)
        return;
    struct cpuid_regs s = cpuid(CPUID_SVM_FEATURES, 0);
    c->revision = s.eax & 0xff;
    c->asids = s.ebx;
    c->npt = (s.edx & SVM_FEATURE_NP) != 0;
    c->lbr_virt = (s.edx & SVM_FEATURE_LBRV) != 0;
    c->nrips = (s.edx & SVM_FEATURE_NRIPS) != 0;
    c->vmcb_clean = (s.edx & SVM_FEATURE_VMCB_CLEAN) != 0;
    c->flush_by_asid = (s.edx & SVM_FEATURE_FLUSH_BY_ASID) != 0;
    c->decode_assists = (s.edx & SVM_FEATURE_DECODE_ASSISTS) != 0;
    c->vgif = (s.edx & SVM_FEATURE_VGIF) != 0;
    uint64_t vm_cr = rdmsr(MSR_VM_CR);
    c->svm_disabled = (vm_cr & VM_CR_SVMDIS) != 0;
    c->svm_locked = (vm_cr & VM_CR_LOCK) != 0;
}

const char *svm_caps_missing(const struct svm_caps *c, int need_la57)
{
    if (!c->svm)
        return "CPU has no SVM (CPUID 0x80000001 ECX.SVM=0)";
    if (c->svm_disabled)
        return "SVM disabled by firmware (VM_CR.SVMDIS=1)";
    if (!c->npt)
        return "CPU has no nested paging (CPUID 0x8000000A EDX.NP=0)";
    if (need_la57 && !c->la57)
        return "CPU has no LA57 (CPUID 7 ECX.LA57=0): no 5-level host paging";
    return 0;
}
