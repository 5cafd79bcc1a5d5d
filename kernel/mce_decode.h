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

/* "MCG_STATUS=0x... [RIPV EIPV MCIP] MCG_CAP=0x... banks=N" */
int mce_format_global(char *buf, size_t size, uint64_t mcg_status, uint64_t mcg_cap);
/* "bank N MCi_STATUS=0x... [VAL UC EN ADDRV MISCV PCC] MCi_ADDR=0x... MCi_MISC=0x..."
 * (ADDR and MISC only where STATUS says they are valid) */
int mce_format_bank(char *buf, size_t size, unsigned bank, const struct mce_bank *b);

#endif
