/* x86-64 paging structures of 4 or 5 levels with 4 KiB leaves, as both the
 * NPT and the guest's own page tables use them: a builder that maps single
 * pages, and a software walker that records each level it reads.
 * Pure logic: tables are reached through a pt_space, so the same code runs
 * on bare metal (identity-mapped host memory, or guest-physical pages) and in
 * host unit tests. */
#ifndef SVMTEST_PT_H
#define SVMTEST_PT_H

#include <stddef.h>
#include <stdint.h>

#define PAGE_SIZE 4096u
#define PT_ENTRIES 512u
#define PTE_P (1ull << 0)
#define PTE_W (1ull << 1)
#define PTE_U (1ull << 2)
#define PTE_A (1ull << 5)
#define PTE_D (1ull << 6)
#define PTE_PS (1ull << 7)
#define PTE_NX (1ull << 63)
#define PTE_ADDR_MASK 0x000ffffffffff000ull
/* NPT entries: nested walks are user accesses, so every level has U */
#define PTE_NPT_FLAGS (PTE_P | PTE_W | PTE_U)

struct pt_space {
    /* A zeroed table page: its address as entries hold it (host physical for
     * the NPT, guest physical for guest tables), 0 when out of pages. */
    uint64_t (*alloc_table)(void *ctx);
    /* The table at an address that entries hold, NULL if it has no backing. */
    uint64_t *(*table)(void *ctx, uint64_t addr);
    void *ctx;
};

/* Index of addr at level (1 = PT ... 5 = PML5). */
static inline unsigned pt_index(uint64_t addr, int level)
{
    return (unsigned)(addr >> (12 + 9 * (level - 1))) & (PT_ENTRIES - 1);
}

enum pt_map_status { PT_MAPPED, PT_ALREADY_MAPPED, PT_NO_MEMORY, PT_CONFLICT };

/* Map the 4 KiB page at addr to target with flags on the leaf (intermediate
 * entries get P|W|U), creating tables as needed. An existing identical leaf
 * is PT_ALREADY_MAPPED; a different one, or a large page on the way, is
 * PT_CONFLICT and nothing changes. */
enum pt_map_status pt_map(const struct pt_space *s, uint64_t root, int levels, uint64_t addr,
                          uint64_t target, uint64_t leaf_flags);

enum pt_walk_status { PT_WALK_OK, PT_WALK_NOT_PRESENT, PT_WALK_LARGE_PAGE, PT_WALK_NO_TABLE };

struct pt_walk_step {
    int level;
    unsigned index;
    uint64_t entry;
};

struct pt_walk {
    int levels;
    int steps;
    struct pt_walk_step step[5];
    enum pt_walk_status status;
    uint64_t result;   /* the translated address (PT_WALK_OK) */
};

/* Walk addr through a table of `levels` levels, recording every entry read. */
void pt_walk(const struct pt_space *s, uint64_t root, int levels, uint64_t addr,
             struct pt_walk *w);

/* "L5[0]=0x...027 L4[0]=0x0000000000000000 not-present" or
 * "L4[0]=... L1[511]=... -> 0x..." */
int pt_walk_format(const struct pt_walk *w, char *buf, size_t size);

/* The bits the CPU sets in entries it walks, speculatively too: accessed
 * and dirty. Reports show entries without them, so that two boots print the
 * same bytes; pt_walk_format_ad shows them apart. */
#define PTE_HW_SET (PTE_A | PTE_D)
/* Clear PTE_HW_SET in every entry the walk read (the walk's result and
 * status do not depend on them). */
void pt_walk_clear_hw_set(struct pt_walk *w);
/* The A/D bits of each entry read: "L5[0]=A L4[0]=AD L3[3]=-". */
int pt_walk_format_ad(const struct pt_walk *w, char *buf, size_t size);

#endif
