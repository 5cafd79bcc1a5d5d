/* Machine-check architecture: which MSRs hold a bank's registers and how a
 * machine check is written on the console. Pure, tested on the host. */
#ifndef SVMTEST_MCE_DECODE_H
#define SVMTEST_MCE_DECODE_H

#include <stddef.h>
#include <stdint.h>

#define MSR_MCG_CAP 0x179
#define MSR_MCG_STATUS 0x17a
#define MSR_MCG_CTL 0x17b

#define MCG_CAP_COUNT(cap) ((unsigned)((cap) & 0xff))
#define MCG_CAP_CTL_P (1ull << 8)
#define MCG_STATUS_RIPV (1ull << 0)
#define MCG_STATUS_EIPV (1ull << 1)
#define MCG_STATUS_MCIP (1ull << 2)
#define MCG_STATUS_LMCE (1ull << 3)

#define MCI_STATUS_VAL (1ull << 63)
#define MCI_STATUS_OVER (1ull << 62)
#define MCI_STATUS_UC (1ull << 61)
#define MCI_STATUS_EN (1ull << 60)
#define MCI_STATUS_MISCV (1ull << 59)
#define MCI_STATUS_ADDRV (1ull << 58)
#define MCI_STATUS_PCC (1ull << 57)

#define MCE_BANKS_MAX 64
#define MCE_LEGACY_BANKS 32          /* MSRs 0x400..0x47f */

enum mce_reg { MCE_REG_CTL, MCE_REG_STATUS, MCE_REG_ADDR, MCE_REG_MISC };

/* The MSR of a bank's register: the legacy range for the first 32 banks,
 * AMD's scalable MCA range (0xc0002000 + 0x10 * bank) when the CPU has it;
 * 0 when the bank cannot be reached. */
uint32_t mce_bank_msr(unsigned bank, enum mce_reg reg, int smca);

struct mce_bank { uint64_t status, addr, misc; };

/* What one CPU read of its machine-check state: written by the CPU that took
 * the machine check (an application processor's own #MC handler, in C or in
 * boot/ap_trampoline.asm's park code, whose offsets these are) and read by
 * the boot CPU, which alone prints. count says how many machine checks
 * arrived; the first is the one recorded. */
#define MCE_RECORD_BANKS 32
struct mce_record {
    volatile uint32_t count;      /* machine checks taken (the first is recorded) */
    volatile uint32_t complete;   /* the first one's registers are all written */
    uint32_t apic_id;
    uint32_t banks;               /* bank[] entries read */
    uint64_t mcg_status, mcg_cap, rip;
    struct mce_bank bank[MCE_RECORD_BANKS];
};
_Static_assert(offsetof(struct mce_record, apic_id) == 8, "ap_trampoline.asm MR_APIC_ID");
_Static_assert(offsetof(struct mce_record, mcg_status) == 16, "ap_trampoline.asm MR_MCG_STATUS");
_Static_assert(offsetof(struct mce_record, rip) == 32, "ap_trampoline.asm MR_RIP");
_Static_assert(offsetof(struct mce_record, bank) == 40, "ap_trampoline.asm MR_BANK");
_Static_assert(sizeof(struct mce_bank) == 24, "ap_trampoline.asm MR_BANK_SIZE");

/* A machine check is being handled, or a bank holds a valid uncorrected
 * error that was not there at boot (boot_status: that bank's MCi_STATUS
 * then): what svmtest checks after a #VMEXIT, whatever carried the error. */
static inline int mce_bank_is_new_uncorrected(uint64_t status, uint64_t boot_status)
{
    return (status & MCI_STATUS_VAL) && (status & MCI_STATUS_UC) && status != boot_status;
}

/* "MCG_STATUS=0x... [RIPV EIPV MCIP] MCG_CAP=0x... banks=N" */
int mce_format_global(char *buf, size_t size, uint64_t mcg_status, uint64_t mcg_cap);
/* "bank N MCi_STATUS=0x... [VAL UC EN ADDRV MISCV PCC] MCi_ADDR=0x... MCi_MISC=0x..."
 * (ADDR and MISC only where STATUS says they are valid) */
int mce_format_bank(char *buf, size_t size, unsigned bank, const struct mce_bank *b);

#endif
