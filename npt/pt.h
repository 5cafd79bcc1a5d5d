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

/* Bytes one entry at level maps: 4 KiB at level 1, 2 MiB at 2, 1 GiB at 3. */
static inline uint64_t pt_level_size(int level)
{
    return 1ull << (12 + 9 * (level - 1));
}

enum pt_map_status { PT_MAPPED, PT_ALREADY_MAPPED, PT_NO_MEMORY, PT_CONFLICT, PT_MISALIGNED };

/* Map the 4 KiB page at addr to target with flags on the leaf (intermediate
 * entries get P|W|U), creating tables as needed. An existing identical leaf
 * is PT_ALREADY_MAPPED; a different one, or a large page on the way, is
 * PT_CONFLICT and nothing changes. */
enum pt_map_status pt_map(const struct pt_space *s, uint64_t root, int levels, uint64_t addr,
                          uint64_t target, uint64_t leaf_flags);

/* The large-leaf builder (AMD APM vol. 2, 5.3.4 "2-Mbyte Page Translation",
 * 5.3.5 "1-Gbyte Page Translation"): map the leaf_level-sized page at addr
 * (leaf_level 1: 4 KiB, 2: 2 MiB, 3: 1 GiB, with PS) to target. addr and
 * target must be aligned to that size (else PT_MISALIGNED); otherwise as
 * pt_map. */
enum pt_map_status pt_map_leaf(const struct pt_space *s, uint64_t root, int levels, uint64_t addr,
                               uint64_t target, int leaf_level, uint64_t leaf_flags);

/* Entry editing: in the level-`level` entry on addr's walk, set the bits
 * `set` and clear `clear` (old value in *before when not NULL). Nothing is
 * created: -1 when the walk does not reach a present entry at that level. */
int pt_edit(const struct pt_space *s, uint64_t root, int levels, uint64_t addr, int level,
            uint64_t set, uint64_t clear, uint64_t *before);

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
    uint64_t result;   /* the translated address (PT_WALK_OK, PT_WALK_LARGE_PAGE) */
};

/* Walk addr through a table of `levels` levels, recording every entry read. */
void pt_walk(const struct pt_space *s, uint64_t root, int levels, uint64_t addr,
             struct pt_walk *w);

/* The address of the level-`level` table the walk read: root for its top
 * level, else what the entry above holds; 0 if the walk stopped before. */
uint64_t pt_walk_table(const struct pt_walk *w, uint64_t root, int level);

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
/* The A/D check of group bits (AMD APM vol. 2, 5.4.2 "Notes on Accessed
 * and Dirty Bits"): the level of the first entry the walk read that lacks
 * A, or, with dirty_leaf, a leaf that lacks D (the bit in *bit); 0 when
 * every one has what the CPU must have set. Only set bits are required:
 * never that a bit stayed clear. */
int pt_walk_lacks_ad(const struct pt_walk *w, int dirty_leaf, uint64_t *bit);
/* The A/D bits of each entry read: "L5[0]=A L4[0]=AD L3[3]=-". */
int pt_walk_format_ad(const struct pt_walk *w, char *buf, size_t size);

#endif
