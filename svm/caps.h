/* What the CPU offers for svmtest: SVM and its features (CPUID 0x8000000A),
 * whether firmware disabled SVM (VM_CR.SVMDIS), LA57, NX. */
#ifndef SVMTEST_SVM_CAPS_H
#define SVMTEST_SVM_CAPS_H

#include <stdint.h>

struct svm_caps {
    uint8_t svm, npt, la57, nx;
    uint8_t nrips, decode_assists, vmcb_clean, flush_by_asid, vgif, lbr_virt;
    uint8_t svm_disabled;   /* VM_CR.SVMDIS: firmware turned SVM off */
    uint8_t svm_locked;     /* VM_CR.LOCK */
    uint8_t page1gb;        /* CPUID 0x80000001 EDX.Page1GB: 1 GiB leaves */
    uint8_t maxphyaddr;     /* CPUID 0x80000008 EAX[7:0] (36 without the leaf) */
    uint32_t revision, asids;
};

void svm_caps_read(struct svm_caps *c);
/* Why a scenario needing SVM (and NPT, and LA57 when need_la57) cannot run
 * here, or NULL when it can. */
const char *svm_caps_missing(const struct svm_caps *c, int need_la57);

#endif
