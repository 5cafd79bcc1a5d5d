/* npt/pt.c: the accessed/dirty bits the CPU sets are kept out of printed
 * entries and shown apart (SPEC.md "Output": deterministic on hardware). */
#include <stdint.h>

#include "check.h"
#include "npt/pt.h"

#define TABLES 6
#define BASE 0x100000ull

#include "pt_arena.h"

static void test_ad(void)
{
    used = 0;
    uint64_t root = alloc_table(NULL);
    CHECK_EQ(pt_map(&space, root, 4, 0xfffff000, 0x11a000, PTE_NPT_FLAGS), PT_MAPPED);
    struct pt_walk clean, hw;
    char a[200], b[200];
    pt_walk(&space, root, 4, 0xfffff000, &clean);
    pt_walk_format(&clean, a, sizeof a);

    /* what a CPU's walks leave: A on every level, D on the leaf */
    for (int i = 0; i < clean.steps; i++) {
        uint64_t *t = table_at(NULL, i ? clean.step[i - 1].entry & PTE_ADDR_MASK : root);
        t[clean.step[i].index] |= PTE_A | (i == clean.steps - 1 ? PTE_D : 0);
    }
    pt_walk(&space, root, 4, 0xfffff000, &hw);
    pt_walk_format(&hw, b, sizeof b);
    CHECK_HAS(b, "L4[0]=0x0000000000101027 ");
    CHECK_HAS(b, "L1[511]=0x000000000011a067 ");
    pt_walk_format_ad(&hw, b, sizeof b);
    CHECK_STR(b, "L4[0]=A L3[3]=A L2[511]=A L1[511]=AD");
    pt_walk_clear_hw_set(&hw);
    pt_walk_format(&hw, b, sizeof b);
    CHECK_STR(b, a);                       /* the bytes a boot prints do not depend on them */
    CHECK_HAS(b, "L4[0]=0x0000000000101007 ");
    CHECK_EQ(hw.status, PT_WALK_OK);
    CHECK_EQ(hw.result, clean.result);
    pt_walk_format_ad(&hw, b, sizeof b);
    CHECK_STR(b, "L4[0]=- L3[3]=- L2[511]=- L1[511]=-");

    /* D alone; a not-present end; other bits untouched (NX, PS, address) */
    tables[0][0] = (BASE + PAGE_SIZE) | PTE_NPT_FLAGS | PTE_D | PTE_NX;
    pt_walk(&space, root, 5, 0xfffff000, &hw);
    pt_walk_format_ad(&hw, b, sizeof b);
    CHECK_STR(b, "L5[0]=D L4[0]=-");
    pt_walk_clear_hw_set(&hw);
    CHECK_EQ(hw.step[0].entry, (BASE + PAGE_SIZE) | PTE_NPT_FLAGS | PTE_NX);
    pt_walk_format(&hw, b, sizeof b);
    CHECK_STR(b, "L5[0]=0x8000000000101007 L4[0]=0x0000000000000000 not-present");

    /* bounded by the buffer */
    memset(b, 'Z', sizeof b);
    pt_walk_format_ad(&hw, b, 5);
    CHECK_STR(b, "L5[0");
    CHECK_EQ(b[5], 'Z');
    memset(b, 'Z', sizeof b);
    pt_walk_format_ad(&hw, b, 0);
    CHECK_EQ(b[0], 'Z');
    struct pt_walk none = { .levels = 4, .status = PT_WALK_NO_TABLE };
    pt_walk_format_ad(&none, b, sizeof b);
    CHECK_STR(b, "");
}

SUITE(walk_ad)
{
    test_ad();
}
