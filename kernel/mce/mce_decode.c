#include "mce_decode.h"

#include "kernel/lib/fmt.h"

#define MSR_MC0_CTL 0x400
#define MSR_SMCA_MC0_CTL 0xc0002000u
#define SMCA_BANK_STRIDE 0x10
#define SMCA_STATUS 1
#define SMCA_ADDR 2
#define SMCA_MISC0 3

uint32_t mce_bank_msr(unsigned bank, enum mce_reg reg, int smca)
{
    static const uint8_t smca_offset[] = { 0, SMCA_STATUS, SMCA_ADDR, SMCA_MISC0 };
    if (bank >= MCE_BANKS_MAX)
        return 0;
    if (smca)
        return MSR_SMCA_MC0_CTL + SMCA_BANK_STRIDE * bank + smca_offset[reg];
    if (bank >= MCE_LEGACY_BANKS)
        return 0;
    return MSR_MC0_CTL + 4 * bank + (uint32_t)reg;
}

struct flag { uint64_t bit; const char *name; };

static int format_flags(char *buf, size_t size, uint64_t v, const struct flag *flags, unsigned n)
{
    int len = fmt_snprintf(buf, size, "[");
    const char *sep = "";
    for (unsigned i = 0; i < n; i++) {
        if (!(v & flags[i].bit))
            continue;
        len += fmt_snprintf(buf + ((size_t)len < size ? (size_t)len : size),
                            (size_t)len < size ? size - (size_t)len : 0, "%s%s", sep, flags[i].name);
        sep = " ";
    }
    len += fmt_snprintf(buf + ((size_t)len < size ? (size_t)len : size),
                        (size_t)len < size ? size - (size_t)len : 0, "]");
    return len;
}

int mce_format_global(char *buf, size_t size, uint64_t mcg_status, uint64_t mcg_cap)
{
    static const struct flag flags[] = {
        { MCG_STATUS_RIPV, "RIPV" }, { MCG_STATUS_EIPV, "EIPV" },
        { MCG_STATUS_MCIP, "MCIP" }, { MCG_STATUS_LMCE, "LMCE" },
    };
    char names[40];
    format_flags(names, sizeof names, mcg_status, flags, sizeof flags / sizeof flags[0]);
    return fmt_snprintf(buf, size, "MCG_STATUS=0x%016lx %s MCG_CAP=0x%016lx banks=%u",
                        (unsigned long)mcg_status, names, (unsigned long)mcg_cap,
                        MCG_CAP_COUNT(mcg_cap));
}

int mce_format_bank(char *buf, size_t size, unsigned bank, const struct mce_bank *b)
{
    static const struct flag flags[] = {
        { MCI_STATUS_VAL, "VAL" }, { MCI_STATUS_OVER, "OVER" }, { MCI_STATUS_UC, "UC" },
        { MCI_STATUS_EN, "EN" }, { MCI_STATUS_MISCV, "MISCV" }, { MCI_STATUS_ADDRV, "ADDRV" },
        { MCI_STATUS_PCC, "PCC" },
    };
    char names[48], addr[40] = "", misc[40] = "";
    format_flags(names, sizeof names, b->status, flags, sizeof flags / sizeof flags[0]);
    if (b->status & MCI_STATUS_ADDRV)
        fmt_snprintf(addr, sizeof addr, " MCi_ADDR=0x%016lx", (unsigned long)b->addr);
    if (b->status & MCI_STATUS_MISCV)
        fmt_snprintf(misc, sizeof misc, " MCi_MISC=0x%016lx", (unsigned long)b->misc);
    return fmt_snprintf(buf, size, "bank %u MCi_STATUS=0x%016lx %s%s%s", bank,
                        (unsigned long)b->status, names, addr, misc);
}
