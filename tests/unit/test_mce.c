/* kernel/mce/mce_decode.c: machine-check bank MSRs and the report lines. */
#include <stdint.h>

#include "check.h"
#include "kernel/mce/mce_decode.h"

static void msrs(void)
{
    CHECK_EQ(mce_bank_msr(0, MCE_REG_CTL, 0), 0x400);
    CHECK_EQ(mce_bank_msr(1, MCE_REG_STATUS, 0), 0x405);
    CHECK_EQ(mce_bank_msr(9, MCE_REG_ADDR, 0), 0x426);
    CHECK_EQ(mce_bank_msr(31, MCE_REG_MISC, 0), 0x47f);
    CHECK_EQ(mce_bank_msr(32, MCE_REG_STATUS, 0), 0);          /* beyond the legacy range */
    CHECK_EQ(mce_bank_msr(0, MCE_REG_CTL, 1), 0xc0002000u);     /* AMD scalable MCA */
    CHECK_EQ(mce_bank_msr(2, MCE_REG_STATUS, 1), 0xc0002021u);
    CHECK_EQ(mce_bank_msr(40, MCE_REG_MISC, 1), 0xc0002283u);
    CHECK_EQ(mce_bank_msr(MCE_BANKS_MAX, MCE_REG_STATUS, 1), 0);
}

static void lines(void)
{
    char buf[200];
    mce_format_global(buf, sizeof buf, MCG_STATUS_RIPV | MCG_STATUS_MCIP, 0x100010a);
    CHECK_STR(buf, "MCG_STATUS=0x0000000000000005 [RIPV MCIP] MCG_CAP=0x000000000100010a banks=10");
    struct mce_bank b = { 0xbe00000000000175ull, 0x1234000, 0x86 };
    mce_format_bank(buf, sizeof buf, 1, &b);
    CHECK_STR(buf, "bank 1 MCi_STATUS=0xbe00000000000175 [VAL UC EN MISCV ADDRV PCC] "
                   "MCi_ADDR=0x0000000001234000 MCi_MISC=0x0000000000000086");
    /* ADDR and MISC only where valid */
    b = (struct mce_bank){ MCI_STATUS_VAL | MCI_STATUS_EN | 0x17a, 0xdead, 0xbeef };
    mce_format_bank(buf, sizeof buf, 4, &b);
    CHECK_STR(buf, "bank 4 MCi_STATUS=0x900000000000017a [VAL EN]");
    mce_format_global(buf, sizeof buf, 0, 0);
    CHECK_STR(buf, "MCG_STATUS=0x0000000000000000 [] MCG_CAP=0x0000000000000000 banks=0");
    char small[12];
    mce_format_bank(small, sizeof small, 1, &b);
    CHECK_EQ(strlen(small), sizeof small - 1);
}

SUITE(mce)
{
    msrs();
    lines();
}
