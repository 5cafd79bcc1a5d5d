/* npt/pt.c and npt/guest_mem.c: the paging builder and software walker, the
 * page pool, guest-physical pages and the NPT built from them, as the
 * scenarios (svm/scn_*.c) use them. The pool's addresses (POOL_ADDR) are not
 * its pointers, so any address/pointer mix-up reads unbacked tables. */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "npt/guest_mem.h"
#include "svm/bits_model.h"
#include "svm/guest_layout.h"

#define POOL_PAGES 64u
#define POOL_ADDR 0x40000000ull
#define POOL_GARBAGE 0xa5

static uint8_t *pool_mem;
static struct page_pool pool;

/* A pool of `pages` pages whose memory holds garbage, so every table must be
 * zeroed by pool_alloc to look empty. */
static void fresh_pool(unsigned pages)
{
    memset(pool_mem, POOL_GARBAGE, (size_t)POOL_PAGES * PAGE_SIZE);
    pool_init(&pool, pool_mem, POOL_ADDR, pages);
}

static uint64_t *pool_entry(uint64_t table_addr, unsigned index)
{
    uint64_t *t = pool_ptr(&pool, table_addr);
    return t ? &t[index] : 0;
}

/* ---- enumerating a whole table tree ---- */

struct leaf {
    uint64_t addr, entry;
};

struct tree {
    struct leaf leaf[64];
    unsigned leaves;
    unsigned tables[6];     /* tables visited per level */
    unsigned present[6];    /* present entries per level */
    unsigned bad_table_entry; /* present non-leaf entry other than addr|P|W|U */
    unsigned stray;         /* non-present entry that is not all zero */
    unsigned large;         /* PS set on a non-leaf entry */
    unsigned unbacked;      /* entry pointing at an address with no table */
};

static void walk_tree(const struct pt_space *s, uint64_t table_addr, int level, uint64_t va,
                      struct tree *t)
{
    const uint64_t *table = s->table(s->ctx, table_addr);
    if (!table) {
        t->unbacked++;
        return;
    }
    t->tables[level]++;
    for (unsigned i = 0; i < PT_ENTRIES; i++) {
        uint64_t e = table[i];
        if (!(e & PTE_P)) {
            if (e)
                t->stray++;
            continue;
        }
        t->present[level]++;
        uint64_t a = va | ((uint64_t)i << (12 + 9 * (level - 1)));
        if (level == 1) {
            if (t->leaves < sizeof t->leaf / sizeof t->leaf[0])
                t->leaf[t->leaves] = (struct leaf){ a, e };
            t->leaves++;
        } else if (e & PTE_PS) {
            t->large++;
        } else {
            if ((e & ~PTE_ADDR_MASK) != PTE_NPT_FLAGS)
                t->bad_table_entry++;
            walk_tree(s, e & PTE_ADDR_MASK, level - 1, a, t);
        }
    }
}

static struct tree enumerate(const struct pt_space *s, uint64_t root, int levels)
{
    struct tree t;
    memset(&t, 0, sizeof t);
    walk_tree(s, root, levels, 0, &t);
    return t;
}

/* The leaves are exactly `want` (same address, same entry), in any order. */
static int leaves_are(const struct tree *t, const struct leaf *want, unsigned n)
{
    if (t->leaves != n)
        return 0;
    for (unsigned i = 0; i < n; i++) {
        unsigned found = 0;
        for (unsigned j = 0; j < t->leaves; j++)
            if (t->leaf[j].addr == want[i].addr && t->leaf[j].entry == want[i].entry)
                found++;
        if (found != 1)
            return 0;
    }
    return 1;
}

static void print_tree(const struct tree *t)
{
    for (unsigned i = 0; i < t->leaves && i < 64; i++)
        printf("    leaf 0x%016llx -> 0x%016llx\n", (unsigned long long)t->leaf[i].addr,
               (unsigned long long)t->leaf[i].entry);
}

/* ---- pt_index ---- */

static void test_index(void)
{
    CHECK_EQ(pt_index(0xfffff000, 5), 0);
    CHECK_EQ(pt_index(0xfffff000, 4), 0);
    CHECK_EQ(pt_index(0xfffff000, 3), 3);
    CHECK_EQ(pt_index(0xfffff000, 2), 511);
    CHECK_EQ(pt_index(0xfffff000, 1), 511);
    CHECK_EQ(pt_index(GPA_RESET_FETCH, 1), 511);   /* the offset does not matter */
    CHECK_EQ(pt_index(0x1000, 1), 1);
    CHECK_EQ(pt_index(0x1000, 2), 0);

    /* a 57-bit address with a different index at every level */
    uint64_t a = (0x1abull << 48) | (0x0cdull << 39) | (0x012ull << 30) | (0x034ull << 21) |
                 (0x056ull << 12) | 0x789;
    CHECK_EQ(a, 0x01ab668486856789ull);
    CHECK_EQ(pt_index(a, 5), 0x1ab);
    CHECK_EQ(pt_index(a, 4), 0x0cd);
    CHECK_EQ(pt_index(a, 3), 0x012);
    CHECK_EQ(pt_index(a, 2), 0x034);
    CHECK_EQ(pt_index(a, 1), 0x056);
    /* its canonical form (bit 56 set, so 63:57 set too) has the same indices */
    uint64_t canon = a | 0xfe00000000000000ull;
    CHECK_EQ(pt_index(canon, 5), 0x1ab);
    CHECK_EQ(pt_index(canon, 1), 0x056);
    CHECK_EQ(pt_index(0x01fffffffffff000ull, 5), 511);
    CHECK_EQ(pt_index(0x0100000000000000ull, 5), 256);
    CHECK_EQ(pt_index(0x0000800000000000ull, 4), 256);
    CHECK_EQ(pt_index(0x0000800000000000ull, 5), 0);
    CHECK_EQ(pt_index(0x0001000000000000ull, 5), 1);
    CHECK_EQ(pt_index(0x0001000000000000ull, 4), 0);
}

/* ---- the reset scenario's NPT: exactly its pages, nothing else ---- */

static void test_scenario_map(int levels)
{
    fresh_pool(POOL_PAGES);
    struct guest_mem m;
    guest_mem_init(&m, &pool, GPA_GUEST_TABLES);
    uint64_t ncr3 = pool_alloc(&pool);
    CHECK_EQ(ncr3, POOL_ADDR);
    struct guest_page *code = guest_mem_add(&m, GPA_CODE_PAGE, "code");
    struct guest_page *data = guest_mem_add(&m, GPA_DATA_PAGE, "data");
    CHECK(code && data);
    if (!code || !data)
        return;
    CHECK_EQ(code->hpa, POOL_ADDR + 0x1000);
    CHECK_EQ(data->hpa, POOL_ADDR + 0x2000);
    CHECK_EQ(code->in_npt, 1);
    CHECK_EQ(npt_map_all(&m, ncr3, levels), PT_MAPPED);

    struct pt_space s = pool_space(&pool);
    struct tree t = enumerate(&s, ncr3, levels);
    struct leaf want[] = {
        { GPA_CODE_PAGE, code->hpa | PTE_NPT_FLAGS },
        { GPA_DATA_PAGE, data->hpa | PTE_NPT_FLAGS },
    };
    int ok = leaves_are(&t, want, 2);
    CHECK(ok);
    if (!ok)
        print_tree(&t);
    CHECK_EQ(t.leaves, 2);
    CHECK_EQ(t.bad_table_entry, 0);
    CHECK_EQ(t.stray, 0);
    CHECK_EQ(t.large, 0);
    CHECK_EQ(t.unbacked, 0);
    /* the tables: one root, the paths share down to the 1 GiB level */
    CHECK_EQ(t.tables[levels], 1);
    CHECK_EQ(t.present[levels], 1);          /* root[0] */
    if (levels == 5) {
        CHECK_EQ(t.tables[4], 1);
        CHECK_EQ(t.present[4], 1);           /* L4[0] */
    }
    CHECK_EQ(t.tables[3], 1);
    CHECK_EQ(t.present[3], 2);               /* L3[0] (0x1000), L3[3] (0xfffff000) */
    CHECK_EQ(t.tables[2], 2);
    CHECK_EQ(t.present[2], 2);
    CHECK_EQ(t.tables[1], 2);
    CHECK_EQ(t.present[1], 2);
    /* pool: root, two guest pages, the tables */
    unsigned tables = levels == 5 ? 6 : 5;
    CHECK_EQ(pool.used, 1 + 2 + tables);

    /* every table address is a pool address, never a pointer */
    struct pt_walk w;
    pt_walk(&s, ncr3, levels, GPA_RESET_FETCH, &w);
    CHECK_EQ(w.status, PT_WALK_OK);
    CHECK_EQ(w.steps, levels);
    CHECK_EQ(w.result, code->hpa + RESET_VECTOR_OFFSET);
    for (int i = 0; i < w.steps; i++) {
        uint64_t a = w.step[i].entry & PTE_ADDR_MASK;
        CHECK(a >= POOL_ADDR && a < POOL_ADDR + (uint64_t)pool.used * PAGE_SIZE);
        CHECK_EQ(w.step[i].level, levels - i);
    }
    CHECK_EQ(w.step[0].index, 0);
    CHECK_EQ(w.step[levels - 3].index, 3);
    CHECK_EQ(w.step[levels - 2].index, 511);
    CHECK_EQ(w.step[levels - 1].index, 511);
    CHECK_EQ(w.step[levels - 1].entry, code->hpa | PTE_NPT_FLAGS);
    pt_walk(&s, ncr3, levels, GPA_DATA_PAGE + 0x24, &w);
    CHECK_EQ(w.status, PT_WALK_OK);
    CHECK_EQ(w.result, data->hpa + 0x24);
    CHECK_EQ(w.step[levels - 1].index, 1);

    /* a page that was never mapped */
    pt_walk(&s, ncr3, levels, 0x2000, &w);
    CHECK_EQ(w.status, PT_WALK_NOT_PRESENT);
    CHECK_EQ(w.steps, levels);
    CHECK_EQ(w.step[levels - 1].entry, 0);
    CHECK_EQ(w.step[levels - 1].index, 2);

    /* a 57-bit address maps and enumerates back to itself at depth 5 */
    if (levels == 5) {
        uint64_t high = 0x01ab668486856000ull;
        CHECK_EQ(pt_map(&s, ncr3, 5, high, POOL_ADDR + 0x1000, PTE_NPT_FLAGS), PT_MAPPED);
        pt_walk(&s, ncr3, 5, high | 0x789, &w);
        CHECK_EQ(w.status, PT_WALK_OK);
        CHECK_EQ(w.result, POOL_ADDR + 0x1789);
        CHECK_EQ(w.step[0].index, 0x1ab);
        t = enumerate(&s, ncr3, 5);
        struct leaf want3[] = { want[0], want[1], { high, (POOL_ADDR + 0x1000) | PTE_NPT_FLAGS } };
        CHECK(leaves_are(&t, want3, 3));
        CHECK_EQ(t.present[5], 2);
    }
}

/* ---- depth mismatch: what the CPU finds in a table built for the other depth ---- */

static void test_mismatch(void)
{
    struct pt_space s = pool_space(&pool);
    struct pt_walk w;

    /* KVM: 4-level NPT holding only the code page (demand fill's first map) */
    fresh_pool(POOL_PAGES);
    struct guest_mem m;
    guest_mem_init(&m, &pool, GPA_GUEST_TABLES);
    uint64_t ncr3 = pool_alloc(&pool);
    struct guest_page *code = guest_mem_add(&m, GPA_CODE_PAGE, "code");
    struct guest_page *data = guest_mem_add(&m, GPA_DATA_PAGE, "data");
    if (!code || !data) {
        CHECK(!"guest pages");
        return;
    }
    CHECK_EQ(npt_map_page(&pool, ncr3, 4, code), PT_MAPPED);
    pt_walk(&s, ncr3, 5, GPA_CODE_PAGE, &w);
    CHECK_EQ(w.status, PT_WALK_NOT_PRESENT);
    CHECK_EQ(w.levels, 5);
    CHECK_EQ(w.steps, 2);
    CHECK_EQ(w.step[0].level, 5);
    CHECK_EQ(w.step[0].index, 0);
    CHECK_EQ(w.step[0].entry & PTE_NPT_FLAGS, PTE_NPT_FLAGS);
    CHECK_EQ(w.step[0].entry & PTE_ADDR_MASK, POOL_ADDR + 0x3000);  /* the L3 table */
    CHECK_EQ(w.step[1].level, 4);
    CHECK_EQ(w.step[1].index, 0);
    CHECK_EQ(w.step[1].entry, 0);
    /* the same for the fetch address itself */
    pt_walk(&s, ncr3, 5, GPA_RESET_FETCH, &w);
    CHECK_EQ(w.status, PT_WALK_NOT_PRESENT);
    CHECK_EQ(w.steps, 2);
    /* the storm: demand fill maps the 4-level page again and again */
    CHECK_EQ(npt_map_page(&pool, ncr3, 4, code), PT_ALREADY_MAPPED);
    pt_walk(&s, ncr3, 5, GPA_RESET_FETCH, &w);
    CHECK_EQ(w.status, PT_WALK_NOT_PRESENT);
    CHECK_EQ(w.step[1].level, 4);
    pt_walk(&s, ncr3, 4, GPA_RESET_FETCH, &w);
    CHECK_EQ(w.status, PT_WALK_OK);
    CHECK_EQ(w.result, code->hpa + RESET_VECTOR_OFFSET);

    /* prebuilt: with the data page too, L3[0] is present; the 5-level walk
     * reads the 0..1 GiB L2 table as its L3 and stops at index 3 */
    CHECK_EQ(npt_map_page(&pool, ncr3, 4, data), PT_MAPPED);
    pt_walk(&s, ncr3, 5, GPA_CODE_PAGE, &w);
    CHECK_EQ(w.status, PT_WALK_NOT_PRESENT);
    CHECK_EQ(w.steps, 3);
    CHECK_EQ(w.step[0].level, 5);
    CHECK_EQ(w.step[0].index, 0);
    CHECK_EQ(w.step[1].level, 4);
    CHECK_EQ(w.step[1].index, 0);
    CHECK((w.step[1].entry & PTE_P) != 0);
    CHECK_EQ(w.step[2].level, 3);
    CHECK_EQ(w.step[2].index, 3);
    CHECK_EQ(w.step[2].entry, 0);

    /* a 5-level table walked as 4 levels: root[0] read as L4, the L4 table as
     * L3, whose [3] is empty */
    fresh_pool(POOL_PAGES);
    guest_mem_init(&m, &pool, GPA_GUEST_TABLES);
    ncr3 = pool_alloc(&pool);
    code = guest_mem_add(&m, GPA_CODE_PAGE, "code");
    data = guest_mem_add(&m, GPA_DATA_PAGE, "data");
    if (!code || !data) {
        CHECK(!"guest pages");
        return;
    }
    CHECK_EQ(npt_map_all(&m, ncr3, 5), PT_MAPPED);
    pt_walk(&s, ncr3, 4, GPA_CODE_PAGE, &w);
    CHECK_EQ(w.status, PT_WALK_NOT_PRESENT);
    CHECK_EQ(w.steps, 2);
    CHECK_EQ(w.step[0].level, 4);
    CHECK_EQ(w.step[0].index, 0);
    CHECK((w.step[0].entry & PTE_P) != 0);
    CHECK_EQ(w.step[1].level, 3);
    CHECK_EQ(w.step[1].index, 3);
    CHECK_EQ(w.step[1].entry, 0);
    pt_walk(&s, ncr3, 5, GPA_CODE_PAGE, &w);
    CHECK_EQ(w.status, PT_WALK_OK);
    CHECK_EQ(w.result, code->hpa);
}

/* ---- demand fill: fault, map, the next walk succeeds; remap rules ---- */

static void test_demand(int levels)
{
    fresh_pool(POOL_PAGES);
    struct pt_space s = pool_space(&pool);
    struct guest_mem m;
    guest_mem_init(&m, &pool, GPA_GUEST_TABLES);
    uint64_t ncr3 = pool_alloc(&pool);
    struct guest_page *code = guest_mem_add(&m, GPA_CODE_PAGE, "code");
    struct guest_page *data = guest_mem_add(&m, GPA_DATA_PAGE, "data");
    if (!code || !data) {
        CHECK(!"guest pages");
        return;
    }
    struct pt_walk w;
    /* empty NPT: the root entry is missing */
    pt_walk(&s, ncr3, levels, GPA_RESET_FETCH, &w);
    CHECK_EQ(w.status, PT_WALK_NOT_PRESENT);
    CHECK_EQ(w.steps, 1);
    CHECK_EQ(w.step[0].level, levels);
    CHECK_EQ(w.step[0].entry, 0);
    /* the #NPF handler looks the faulting GPA up and maps its page */
    struct guest_page *p = guest_mem_find(&m, GPA_RESET_FETCH);
    CHECK(p == code);
    CHECK(guest_mem_find(&m, 0x5000) == 0);
    CHECK_EQ(npt_map_page(&pool, ncr3, levels, p), PT_MAPPED);
    pt_walk(&s, ncr3, levels, GPA_RESET_FETCH, &w);
    CHECK_EQ(w.status, PT_WALK_OK);
    CHECK_EQ(w.result, code->hpa + RESET_VECTOR_OFFSET);
    /* then the data access: the 0..512 GiB path exists, the rest does not */
    pt_walk(&s, ncr3, levels, GPA_DATA_PAGE, &w);
    CHECK_EQ(w.status, PT_WALK_NOT_PRESENT);
    CHECK_EQ(w.steps, levels - 2);
    CHECK_EQ(w.step[w.steps - 1].level, 3);
    CHECK_EQ(w.step[w.steps - 1].index, 0);
    unsigned used = pool.used;
    CHECK_EQ(npt_map_page(&pool, ncr3, levels, data), PT_MAPPED);
    CHECK_EQ(pool.used, used + 2);   /* a new L2 and L1 */
    pt_walk(&s, ncr3, levels, GPA_DATA_PAGE, &w);
    CHECK_EQ(w.status, PT_WALK_OK);
    CHECK_EQ(w.result, data->hpa);

    /* mapping again: already mapped, nothing allocated */
    used = pool.used;
    CHECK_EQ(npt_map_page(&pool, ncr3, levels, code), PT_ALREADY_MAPPED);
    CHECK_EQ(pt_map(&s, ncr3, levels, GPA_CODE_PAGE, code->hpa, PTE_NPT_FLAGS), PT_ALREADY_MAPPED);
    CHECK_EQ(pool.used, used);

    /* the CPU set accessed and dirty in the leaf (and accessed on the way) */
    pt_walk(&s, ncr3, levels, GPA_CODE_PAGE, &w);
    uint64_t *leaf = pool_entry(w.step[levels - 2].entry & PTE_ADDR_MASK, 511);
    uint64_t *top = pool_entry(ncr3, 0);
    CHECK(leaf && top);
    if (!leaf || !top)
        return;
    CHECK_EQ(*leaf, code->hpa | PTE_NPT_FLAGS);
    *leaf |= PTE_A | PTE_D;
    *top |= PTE_A;
    CHECK_EQ(npt_map_page(&pool, ncr3, levels, code), PT_ALREADY_MAPPED);
    CHECK_EQ(*leaf, code->hpa | PTE_NPT_FLAGS | 0x60);   /* left as the CPU set it */
    CHECK_EQ(pool.used, used);

    /* a different target at the same address: conflict, nothing changes */
    uint8_t *before = malloc((size_t)pool.used * PAGE_SIZE);
    if (!before) {
        CHECK(!"malloc");
        return;
    }
    memcpy(before, pool_mem, (size_t)pool.used * PAGE_SIZE);
    CHECK_EQ(pt_map(&s, ncr3, levels, GPA_CODE_PAGE, data->hpa, PTE_NPT_FLAGS), PT_CONFLICT);
    struct guest_page other = *code;
    other.hpa = data->hpa;
    CHECK_EQ(npt_map_page(&pool, ncr3, levels, &other), PT_CONFLICT);
    /* same target, other leaf flags: a conflict too */
    CHECK_EQ(pt_map(&s, ncr3, levels, GPA_CODE_PAGE, code->hpa, PTE_P | PTE_W), PT_CONFLICT);
    CHECK_EQ(pool.used, used);
    CHECK(memcmp(before, pool_mem, (size_t)pool.used * PAGE_SIZE) == 0);
    pt_walk(&s, ncr3, levels, GPA_CODE_PAGE, &w);
    CHECK_EQ(w.result, code->hpa);

    /* a large page on the way: conflict, nothing changes; the walker stops */
    pt_walk(&s, ncr3, levels, GPA_DATA_PAGE, &w);
    uint64_t *l2 = pool_entry(w.step[levels - 3].entry & PTE_ADDR_MASK, 0);
    CHECK(l2 != 0);
    if (l2) {
        uint64_t saved = *l2;
        *l2 = 0x40000000ull | PTE_NPT_FLAGS | PTE_PS;   /* a 2 MiB page */
        memcpy(before, pool_mem, (size_t)pool.used * PAGE_SIZE);
        CHECK_EQ(pt_map(&s, ncr3, levels, 0x3000, POOL_ADDR, PTE_NPT_FLAGS), PT_CONFLICT);
        CHECK_EQ(pool.used, used);
        CHECK(memcmp(before, pool_mem, (size_t)pool.used * PAGE_SIZE) == 0);
        pt_walk(&s, ncr3, levels, GPA_DATA_PAGE, &w);
        CHECK_EQ(w.status, PT_WALK_LARGE_PAGE);
        CHECK_EQ(w.steps, levels - 1);
        CHECK_EQ(w.step[w.steps - 1].level, 2);
        *l2 = saved;
    }
    free(before);
}

/* ---- one root, two depths (group probe, group guest) ---- */

static void test_dual_npt(int four_first)
{
    fresh_pool(POOL_PAGES);
    struct pt_space s = pool_space(&pool);
    uint64_t ncr3 = pool_alloc(&pool);
    uint64_t page_a = pool_alloc(&pool), page_b = pool_alloc(&pool);
    CHECK_EQ(page_a, POOL_ADDR + 0x1000);
    for (int i = 0; i < 2; i++) {
        int depth = (i == 0) == four_first ? 4 : 5;
        CHECK_EQ(pt_map(&s, ncr3, depth, GPA_CODE_PAGE, depth == 4 ? page_a : page_b,
                        PTE_NPT_FLAGS),
                 PT_MAPPED);
    }
    struct pt_walk w;
    pt_walk(&s, ncr3, 4, GPA_RESET_FETCH, &w);
    CHECK_EQ(w.status, PT_WALK_OK);
    CHECK_EQ(w.result, page_a + RESET_VECTOR_OFFSET);
    pt_walk(&s, ncr3, 5, GPA_RESET_FETCH, &w);
    CHECK_EQ(w.status, PT_WALK_OK);
    CHECK_EQ(w.result, page_b + RESET_VECTOR_OFFSET);
    /* both are in place: mapping either again changes nothing */
    CHECK_EQ(pt_map(&s, ncr3, 4, GPA_CODE_PAGE, page_a, PTE_NPT_FLAGS), PT_ALREADY_MAPPED);
    CHECK_EQ(pt_map(&s, ncr3, 5, GPA_CODE_PAGE, page_b, PTE_NPT_FLAGS), PT_ALREADY_MAPPED);
    /* root + 2 pages + 6 tables: the table under root[0] serves as the
     * depth-4 L3 and the depth-5 L4; each depth has its own tables below */
    CHECK_EQ(pool.used, 3 + 6);
    /* the root holds one entry */
    const uint64_t *root = pool_ptr(&pool, ncr3);
    unsigned present = 0;
    for (unsigned i = 0; root && i < PT_ENTRIES; i++)
        present += (root[i] & PTE_P) != 0;
    CHECK_EQ(present, 1);
}

static void test_dual_guest(int guest_depth)
{
    fresh_pool(POOL_PAGES);
    struct guest_mem m;
    guest_mem_init(&m, &pool, GPA_GUEST_TABLES);
    uint64_t ncr3 = pool_alloc(&pool);
    struct pt_space g = guest_table_space(&m);
    uint64_t root = g.alloc_table(g.ctx);
    CHECK_EQ(root, GPA_GUEST_TABLES);
    CHECK_EQ(m.count, 1);
    CHECK_STR(m.page[0].what, "guest page table");
    CHECK(g.table(g.ctx, root) == pool_ptr(&pool, m.page[0].hpa));
    CHECK(g.table(g.ctx, 0x1000) == 0);
    struct guest_page *code = guest_mem_add(&m, GPA_CODE_PAGE, "code");
    struct guest_page *d4 = guest_mem_add(&m, GPA_DEPTH4_PAGE, "depth-4 data");
    struct guest_page *d5 = guest_mem_add(&m, GPA_DEPTH5_PAGE, "depth-5 data");
    if (!code || !d4 || !d5) {
        CHECK(!"guest pages");
        return;
    }
    uint64_t leaf_flags = PTE_P | PTE_W;
    for (int depth = 4; depth <= 5; depth++) {
        CHECK_EQ(pt_map(&g, root, depth, GPA_CODE_PAGE, GPA_CODE_PAGE, leaf_flags), PT_MAPPED);
        CHECK_EQ(pt_map(&g, root, depth, GVA_DUAL_DEPTH,
                        depth == 4 ? GPA_DEPTH4_PAGE : GPA_DEPTH5_PAGE, leaf_flags),
                 PT_MAPPED);
    }
    /* tables are guest pages from the table base up: root + L3, L2, L1 of
     * depth 4 + L3, L2, L1 of depth 5 */
    CHECK_EQ(m.next_table_gpa, GPA_GUEST_TABLES + 7 * PAGE_SIZE);
    CHECK_EQ(m.count, 7 + 3);
    for (uint64_t gpa = GPA_GUEST_TABLES; gpa < GPA_GUEST_TABLES + 7 * PAGE_SIZE; gpa += PAGE_SIZE)
        CHECK(guest_mem_find(&m, gpa) != 0);

    struct pt_walk w;
    for (int depth = 4; depth <= 5; depth++) {
        pt_walk(&g, root, depth, GPA_RESET_FETCH, &w);
        CHECK_EQ(w.status, PT_WALK_OK);
        CHECK_EQ(w.result, GPA_RESET_FETCH);   /* identity */
        pt_walk(&g, root, depth, GVA_DUAL_DEPTH + 8, &w);
        CHECK_EQ(w.status, PT_WALK_OK);
        CHECK_EQ(w.result, (depth == 4 ? GPA_DEPTH4_PAGE : GPA_DEPTH5_PAGE) + 8);
        CHECK_EQ(w.step[depth - 1].entry, (depth == 4 ? GPA_DEPTH4_PAGE : GPA_DEPTH5_PAGE) | 3);
        /* every table on the way is a GPA in the table range */
        for (int i = 0; i < w.steps - 1; i++) {
            uint64_t a = w.step[i].entry & PTE_ADDR_MASK;
            CHECK(a > GPA_GUEST_TABLES && a < GPA_GUEST_TABLES + 7 * PAGE_SIZE);
            CHECK_EQ(w.step[i].entry & 0xfff, PTE_NPT_FLAGS);
        }
    }
    /* the guest reads the value page of the depth it walks */
    *(uint32_t *)guest_mem_ptr(&m, GPA_DEPTH4_PAGE) = 4;
    *(uint32_t *)guest_mem_ptr(&m, GPA_DEPTH5_PAGE) = 5;
    pt_walk(&g, root, guest_depth, GVA_DUAL_DEPTH, &w);
    CHECK_EQ(*(uint32_t *)guest_mem_ptr(&m, w.result), (uint32_t)guest_depth);

    /* the NPT of the scenario maps every guest page, tables included */
    CHECK_EQ(npt_map_all(&m, ncr3, guest_depth), PT_MAPPED);
    struct pt_space s = pool_space(&pool);
    struct tree t = enumerate(&s, ncr3, guest_depth);
    CHECK_EQ(t.leaves, m.count);
    CHECK_EQ(t.bad_table_entry + t.stray + t.large + t.unbacked, 0);
    for (unsigned i = 0; i < m.count; i++) {
        pt_walk(&s, ncr3, guest_depth, m.page[i].gpa, &w);
        CHECK_EQ(w.status, PT_WALK_OK);
        CHECK_EQ(w.result, m.page[i].hpa);
    }
}

/* ---- pt_walk_format ---- */

static void test_format(void)
{
    fresh_pool(POOL_PAGES);
    struct guest_mem m;
    guest_mem_init(&m, &pool, GPA_GUEST_TABLES);
    uint64_t ncr3 = pool_alloc(&pool);
    struct guest_page *code = guest_mem_add(&m, GPA_CODE_PAGE, "code");   /* 0x40001000 */
    if (!code) {
        CHECK(!"guest pages");
        return;
    }
    CHECK_EQ(npt_map_page(&pool, ncr3, 4, code), PT_MAPPED);   /* tables 0x40002000.. */
    struct pt_space s = pool_space(&pool);
    struct pt_walk w;
    char buf[200];

    const char *ok4 = "L4[0]=0x0000000040002007 L3[3]=0x0000000040003007 "
                      "L2[511]=0x0000000040004007 L1[511]=0x0000000040001007 "
                      "-> 0x0000000040001000";
    pt_walk(&s, ncr3, 4, GPA_CODE_PAGE, &w);
    memset(buf, 'Z', sizeof buf);
    int n = pt_walk_format(&w, buf, sizeof buf);
    CHECK_STR(buf, ok4);
    CHECK_EQ(n, strlen(ok4));
    /* the offset is part of the result */
    pt_walk(&s, ncr3, 4, GPA_RESET_FETCH, &w);
    pt_walk_format(&w, buf, sizeof buf);
    CHECK_HAS(buf, "L1[511]=0x0000000040001007 -> 0x0000000040001ff0");

    const char *np5 = "L5[0]=0x0000000040002007 L4[0]=0x0000000000000000 not-present";
    pt_walk(&s, ncr3, 5, GPA_CODE_PAGE, &w);
    n = pt_walk_format(&w, buf, sizeof buf);
    CHECK_STR(buf, np5);
    CHECK_EQ(n, strlen(np5));

    /* an empty root */
    uint64_t empty = pool_alloc(&pool);
    pt_walk(&s, empty, 4, GPA_CODE_PAGE, &w);
    pt_walk_format(&w, buf, sizeof buf);
    CHECK_STR(buf, "L4[0]=0x0000000000000000 not-present");
    /* a root with no table behind it: no steps */
    pt_walk(&s, POOL_ADDR + (uint64_t)POOL_PAGES * PAGE_SIZE, 4, GPA_CODE_PAGE, &w);
    CHECK_EQ(w.status, PT_WALK_NO_TABLE);
    CHECK_EQ(w.steps, 0);
    pt_walk_format(&w, buf, sizeof buf);
    CHECK_STR(buf, "unbacked-table");
    /* a large page */
    uint64_t *l3 = pool_entry(POOL_ADDR + 0x2000, 3);   /* the L3 table */
    if (l3) {
        uint64_t saved = *l3;
        *l3 = 0xc0000000ull | PTE_NPT_FLAGS | PTE_PS;
        pt_walk(&s, ncr3, 4, GPA_CODE_PAGE, &w);
        pt_walk_format(&w, buf, sizeof buf);
        CHECK_STR(buf, "L4[0]=0x0000000040002007 L3[3]=0x00000000c0000087 large-page -> "
                  "0x00000000fffff000");
        *l3 = saved;
    }

    /* bounded by the buffer: NUL-terminated prefix, nothing written beyond */
    pt_walk(&s, ncr3, 4, GPA_CODE_PAGE, &w);
    size_t len = strlen(ok4);
    size_t sizes[] = { 1, 2, 10, 24, 25, 26, 27, 60, len - 1, len, len + 1 };
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        size_t size = sizes[i];
        memset(buf, 'Z', sizeof buf);
        pt_walk_format(&w, buf, size);
        const char *nul = memchr(buf, '\0', sizeof buf);
        size_t got = nul ? (size_t)(nul - buf) : sizeof buf;
        CHECK(got < size);
        CHECK(got == (size - 1 < len ? size - 1 : len));
        CHECK(strncmp(buf, ok4, got) == 0);
        size_t untouched = 0;
        for (size_t j = size; j < sizeof buf; j++)
            untouched += buf[j] == 'Z';
        CHECK_EQ(untouched, sizeof buf - size);
    }
    memset(buf, 'Z', sizeof buf);
    pt_walk_format(&w, buf, 0);
    CHECK_EQ(buf[0], 'Z');
}

/* ---- pool, guest memory, npt_map_all ---- */

static void test_pool(void)
{
    struct pt_space s = pool_space(&pool);

    /* exhaustion: root + 2 tables, the third table is missing */
    fresh_pool(3);
    uint64_t ncr3 = pool_alloc(&pool);
    CHECK_EQ(pt_map(&s, ncr3, 4, GPA_CODE_PAGE, POOL_ADDR, PTE_NPT_FLAGS), PT_NO_MEMORY);
    CHECK_EQ(pool.used, 3);
    CHECK_EQ(pool_alloc(&pool), 0);
    struct pt_walk w;
    pt_walk(&s, ncr3, 4, GPA_CODE_PAGE, &w);
    CHECK_EQ(w.status, PT_WALK_NOT_PRESENT);
    CHECK_EQ(w.steps, 3);
    CHECK_EQ(w.step[2].level, 2);
    CHECK_EQ(w.step[2].entry, 0);
    fresh_pool(1);
    ncr3 = pool_alloc(&pool);
    CHECK_EQ(pt_map(&s, ncr3, 5, GPA_CODE_PAGE, POOL_ADDR, PTE_NPT_FLAGS), PT_NO_MEMORY);
    CHECK_EQ(pool_entry(ncr3, 0) ? *pool_entry(ncr3, 0) : 1, 0);
    /* reset starts again at the first page, zeroed */
    pool_reset(&pool);
    CHECK_EQ(pool.used, 0);
    memset(pool_mem, 0xff, PAGE_SIZE);
    CHECK_EQ(pool_alloc(&pool), POOL_ADDR);
    CHECK_EQ(pool_mem[0], 0);
    CHECK_EQ(pool_mem[PAGE_SIZE - 1], 0);

    /* pool_ptr: only allocated, aligned pages inside the pool */
    fresh_pool(8);
    CHECK_EQ(pool_alloc(&pool), POOL_ADDR);
    CHECK_EQ(pool_alloc(&pool), POOL_ADDR + 0x1000);
    CHECK_EQ(pool_alloc(&pool), POOL_ADDR + 0x2000);
    CHECK((uint8_t *)pool_ptr(&pool, POOL_ADDR) == pool_mem);
    CHECK((uint8_t *)pool_ptr(&pool, POOL_ADDR + 0x2000) == pool_mem + 0x2000);
    CHECK(pool_ptr(&pool, POOL_ADDR + 0x3000) == 0);            /* not allocated */
    CHECK(pool_ptr(&pool, POOL_ADDR + 8 * 0x1000) == 0);        /* past the pool */
    CHECK(pool_ptr(&pool, POOL_ADDR - 0x1000) == 0);            /* below */
    CHECK(pool_ptr(&pool, 0) == 0);
    CHECK(pool_ptr(&pool, POOL_ADDR + 0x1008) == 0);            /* unaligned */
    CHECK(pool_ptr(&pool, POOL_ADDR + 0x800) == 0);
    CHECK(pool_ptr(&pool, 0xfffffffffffff000ull) == 0);
    CHECK(pool_ptr(&pool, (uint64_t)(uintptr_t)pool_mem) == 0); /* a pointer is no address */

    /* guest_mem_add */
    fresh_pool(8);
    struct guest_mem m;
    guest_mem_init(&m, &pool, GPA_GUEST_TABLES);
    struct guest_page *code = guest_mem_add(&m, GPA_CODE_PAGE, "code");
    CHECK(code != 0);
    CHECK(guest_mem_add(&m, GPA_CODE_PAGE, "again") == 0);
    CHECK(guest_mem_add(&m, 0x1800, "unaligned") == 0);
    CHECK(guest_mem_add(&m, GPA_RESET_FETCH, "unaligned") == 0);
    CHECK_EQ(m.count, 1);
    CHECK_EQ(pool.used, 1);
    CHECK(guest_mem_find(&m, GPA_RESET_FETCH) == code);
    CHECK((uint8_t *)guest_mem_ptr(&m, GPA_CODE_PAGE) == pool_mem);
    CHECK(guest_mem_ptr(&m, 0x1000) == 0);
    CHECK_EQ(pool_mem[0], 0);
    for (unsigned i = 1; i < 8; i++)
        CHECK(guest_mem_add(&m, (uint64_t)i * PAGE_SIZE, "fill") != 0);
    CHECK(guest_mem_add(&m, 0x100000, "no pages left") == 0);
    CHECK_EQ(m.count, 8);
    /* at most GUEST_PAGES_MAX pages, pool or not */
    fresh_pool(POOL_PAGES);
    guest_mem_init(&m, &pool, GPA_GUEST_TABLES);
    for (unsigned i = 0; i < GUEST_PAGES_MAX; i++)
        CHECK(guest_mem_add(&m, 0x100000 + (uint64_t)i * PAGE_SIZE, "page") != 0);
    CHECK(guest_mem_add(&m, 0x200000, "one too many") == 0);
    CHECK_EQ(m.count, GUEST_PAGES_MAX);
    CHECK_EQ(pool.used, GUEST_PAGES_MAX);
    /* guest tables allocate from guest memory: none left, no table */
    struct pt_space g = guest_table_space(&m);
    CHECK_EQ(g.alloc_table(g.ctx), 0);
    CHECK_EQ(m.next_table_gpa, GPA_GUEST_TABLES);
}

/* group gptfault: the guest's level-k table on GVA_GPTFAULT_READ's walk
 * is left out (k = depth: the root, which every walk reads) */
static void test_gptfault(int depth, int level)
{
    fresh_pool(POOL_PAGES);
    struct guest_mem m;
    guest_mem_init(&m, &pool, GPA_GUEST_TABLES);
    uint64_t ncr3 = pool_alloc(&pool);
    struct pt_space g = guest_table_space(&m);
    uint64_t root = g.alloc_table(g.ctx);
    uint64_t va = GVA_GPTFAULT_READ(depth);
    CHECK(guest_mem_add(&m, GPA_CODE_PAGE, "code") != 0);
    CHECK(guest_mem_add(&m, GPA_READ_PAGE, "read target") != 0);
    CHECK_EQ(pt_map(&g, root, depth, GPA_CODE_PAGE, GPA_CODE_PAGE, PTE_P | PTE_W), PT_MAPPED);
    CHECK_EQ(pt_map(&g, root, depth, va, GPA_READ_PAGE, PTE_P | PTE_W), PT_MAPPED);
    /* the read address is the root's second entry: its own tables below */
    CHECK_EQ(pt_index(va, depth), 1);
    CHECK(!bits_entry_shared(va, GPA_CODE_PAGE, depth, depth));
    struct pt_walk w;
    pt_walk(&g, root, depth, va, &w);
    CHECK_EQ(w.status, PT_WALK_OK);
    CHECK_EQ(w.result, GPA_READ_PAGE);
    uint64_t table = pt_walk_table(&w, root, level);
    /* tables: root, the code page's L(depth-1)..L1, then the read's */
    uint64_t nth = level == depth ? 0 : (uint64_t)(2 * depth - 1 - level);
    CHECK_EQ(table, GPA_GUEST_TABLES + nth * PAGE_SIZE);
    CHECK_EQ(pt_walk_table(&w, root, 0), 0);
    CHECK_EQ(pt_walk_table(&w, root, depth + 1), 0);
    struct guest_page *left_out = guest_mem_find(&m, table);
    CHECK(left_out != 0);
    if (!left_out)
        return;
    left_out->in_npt = 0;
    CHECK_EQ(npt_map_all(&m, ncr3, depth), PT_MAPPED);

    struct pt_space s = pool_space(&pool);
    pt_walk(&s, ncr3, depth, table, &w);
    CHECK_EQ(w.status, PT_WALK_NOT_PRESENT);
    struct tree t = enumerate(&s, ncr3, depth);
    CHECK_EQ(t.leaves, m.count - 1);
    for (unsigned i = 0; i < t.leaves && i < 64; i++)
        CHECK(t.leaf[i].addr != table);
    for (unsigned i = 0; i < m.count; i++) {
        if (m.page[i].gpa == table)
            continue;
        pt_walk(&s, ncr3, depth, m.page[i].gpa, &w);
        CHECK_EQ(w.status, PT_WALK_OK);
        CHECK_EQ(w.result, m.page[i].hpa);
    }
    /* demand fill would map it */
    CHECK_EQ(npt_map_page(&pool, ncr3, depth, left_out), PT_MAPPED);
    pt_walk(&s, ncr3, depth, table, &w);
    CHECK_EQ(w.status, PT_WALK_OK);
    CHECK_EQ(w.result, left_out->hpa);
}

SUITE(npt)
{
    pool_mem = aligned_alloc(PAGE_SIZE, (size_t)POOL_PAGES * PAGE_SIZE);
    if (!pool_mem) {
        CHECK(!"aligned_alloc");
        return;
    }
    test_index();
    test_scenario_map(4);
    test_scenario_map(5);
    test_mismatch();
    test_demand(4);
    test_demand(5);
    test_dual_npt(1);
    test_dual_npt(0);
    test_dual_guest(4);
    test_dual_guest(5);
    test_format();
    test_pool();
    for (int depth = 4; depth <= 5; depth++)
        for (int level = depth; level >= 1; level--)
            test_gptfault(depth, level);
    free(pool_mem);
    pool_mem = 0;
}
