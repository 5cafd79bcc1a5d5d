/* Group bits (svm/bits_model.c, npt/pt.c, kernel/bootinfo.c): the expected
 * EXITINFO1/EXITINFO2 of every scenario, the NPT entry editing, the
 * large-leaf builder, the A/D check and the search for a large host frame. */
#include <stdint.h>

#include "check.h"
#include "kernel/bootinfo.h"
#include "npt/pt.h"
#include "svm/bits_model.h"
#include "svm/catalog.h"
#include "svm/gptfault_model.h"
#include "svm/guest_layout.h"
#include "svm/vmcb.h"

#define TABLES 12
#define BASE 0x200000ull

#include "pt_arena.h"

static const struct scenario_desc *named(const char *name)
{
    int i = catalog_find(name, (unsigned)strlen(name));
    CHECK(i >= 0);
    return i >= 0 ? &scenario_catalog[i] : &scenario_catalog[0];
}

#define FETCH_FAULT (NPF_PRESENT | NPF_USER | NPF_FETCH | NPF_FINAL_TRANSLATION)
#define WRITE_FAULT (NPF_PRESENT | NPF_USER | NPF_WRITE | NPF_FINAL_TRANSLATION)

/* The contract's model of each scenario (SPEC "Expected outcome"), written
 * out here independently of svm/bits_model.c's table. */
static void test_models(void)
{
    char name[32];
    for (int d = 4; d <= 5; d++) {
        for (int k = d; k >= 1; k--) {
            static const char *const kinds[] = { "nx", "user", "write", "rsvd" };
            for (int b = 0; b < 4; b++) {
                snprintf(name, sizeof name, "bits%d_l%d_%s", d, k, kinds[b]);
                const struct scenario_desc *sd = named(name);
                CHECK_EQ(sd->host, d);
                CHECK_EQ(sd->npt, d);
                CHECK_EQ(sd->level, k);
                struct bits_model m;
                const char *why = bits_model_of(sd, 1, 40, &m);
                CHECK(why == NULL);
                CHECK_EQ(m.faults, 1);
                CHECK(m.apm && strstr(m.apm, "5."));
                /* the root entries (levels 5, 4) map code and data pages alike */
                int shared = k >= 4;
                CHECK_EQ(bits_entry_shared(GPA_CODE_PAGE, GPA_DATA_PAGE, d, k), shared);
                switch (b) {
                case 0:   /* NX on the code page's walk: the first fetch */
                    CHECK_EQ(m.walk_gpa, GPA_CODE_PAGE);
                    CHECK_EQ(m.set, PTE_NX);
                    CHECK_EQ(m.gpa, 0xfffffff0);
                    CHECK_EQ(m.exitinfo1, 0x100000015);
                    CHECK_EQ(m.exitinfo1, FETCH_FAULT);
                    CHECK_STR(m.model_text, "fetch fault");
                    break;
                case 1:   /* U clear on the data page's walk: the first access through it */
                    CHECK_EQ(m.walk_gpa, GPA_DATA_PAGE);
                    CHECK_EQ(m.clear, PTE_U);
                    CHECK_EQ(m.gpa, shared ? GPA_RESET_FETCH : GPA_DATA_PAGE);
                    CHECK_EQ(m.exitinfo1, shared ? FETCH_FAULT : WRITE_FAULT);
                    CHECK_EQ(m.exitinfo1, shared ? 0x100000015 : 0x100000007);
                    break;
                case 2:   /* R/W clear: fetches and reads pass, the write faults */
                    CHECK_EQ(m.walk_gpa, GPA_DATA_PAGE);
                    CHECK_EQ(m.clear, PTE_W);
                    CHECK_EQ(m.gpa, GPA_DATA_PAGE);
                    CHECK_EQ(m.exitinfo1, 0x100000007);
                    break;
                case 3:   /* PS at levels 5 and 4, an address bit above MAXPHYADDR below */
                    CHECK_EQ(m.walk_gpa, GPA_CODE_PAGE);
                    CHECK_EQ(m.set, k >= 4 ? PTE_PS : 1ull << 40);
                    CHECK_EQ(m.gpa, GPA_RESET_FETCH);
                    CHECK_EQ(m.exitinfo1, 0x10000001d);
                    CHECK_EQ(m.exitinfo1, FETCH_FAULT | NPF_RESERVED);
                    CHECK_EQ(m.deviation, NPF_PRESENT);
                    break;
                }
                /* no fetch bit without host EFER.NXE (15.25.6) */
                bits_model_of(sd, 0, 40, &m);
                if (m.access == ACCESS_FETCH)
                    CHECK_EQ(m.exitinfo1 & NPF_FETCH, 0);
            }
        }
        static const char *const runs[] = { "2m", "1g", "ad" };
        for (int i = 0; i < 3; i++) {
            snprintf(name, sizeof name, "bits%d_%s", d, runs[i]);
            struct bits_model m;
            CHECK(bits_model_of(named(name), 1, 40, &m) == NULL);
            CHECK_EQ(m.faults, 0);
            CHECK_STR(m.model_text, "runs");
            CHECK_EQ(m.set | m.clear, 0);
        }
        snprintf(name, sizeof name, "bits%d_2m", d);
        CHECK_EQ(named(name)->level, 2);
        snprintf(name, sizeof name, "bits%d_1g", d);
        CHECK_EQ(named(name)->level, 3);
    }
    /* MAXPHYADDR 52: no reserved address bit at levels 3..1; PS still at 5, 4 */
    struct bits_model m;
    CHECK_STR(bits_model_of(named("bits5_l3_rsvd"), 1, 52, &m),
              "MAXPHYADDR is 52: no reserved physical-address bit");
    CHECK_STR(bits_model_of(named("bits4_l1_rsvd"), 1, 52, &m),
              "MAXPHYADDR is 52: no reserved physical-address bit");
    CHECK(bits_model_of(named("bits5_l4_rsvd"), 1, 52, &m) == NULL);
    CHECK(bits_model_of(named("bits4_l2_rsvd"), 1, 48, &m) == NULL);
    CHECK_EQ(m.set, 1ull << 48);
    CHECK(bits_model_of(named("probe_host4"), 1, 40, &m) != NULL);
    /* the deviation is P alone, on reserved-bit faults alone */
    bits_model_of(named("bits5_l5_rsvd"), 1, 40, &m);
    CHECK_EQ(bits_compare(&m, 0x10000001d), BITS_EQUAL);
    CHECK_EQ(bits_compare(&m, 0x10000001c), BITS_DEVIATION);
    CHECK_EQ(bits_compare(&m, 0x100000015), BITS_DIFFERENT);   /* no RSV */
    CHECK_EQ(bits_compare(&m, 0x100000014), BITS_DIFFERENT);
    CHECK_EQ(bits_compare(&m, 0x10000000c), BITS_DIFFERENT);   /* no fetch */
    bits_model_of(named("bits5_l5_nx"), 1, 40, &m);
    CHECK_EQ(bits_compare(&m, 0x100000014), BITS_DIFFERENT);   /* not-present is no NX fault */
    CHECK_EQ(bits_compare(&m, 0x100000005), BITS_DIFFERENT);   /* a model lacking the fetch bit */
}

static void test_edit(void)
{
    used = 0;
    uint64_t root = alloc_table(NULL);
    CHECK_EQ(pt_map(&space, root, 5, GPA_CODE_PAGE, 0x11a000, PTE_NPT_FLAGS), PT_MAPPED);
    CHECK_EQ(pt_map(&space, root, 5, GPA_DATA_PAGE, 0x11b000, PTE_NPT_FLAGS), PT_MAPPED);
    unsigned tables_before = used;
    struct pt_walk w;
    for (int level = 5; level >= 1; level--) {
        uint64_t before = 0;
        CHECK_EQ(pt_edit(&space, root, 5, GPA_CODE_PAGE, level, PTE_NX, PTE_W, &before), 0);
        pt_walk(&space, root, 5, GPA_CODE_PAGE, &w);
        CHECK_EQ(w.status, PT_WALK_OK);   /* still reaches the page: only bits changed */
        CHECK_EQ(w.result, 0x11a000);
        uint64_t e = w.step[5 - level].entry;
        CHECK_EQ(e, (before | PTE_NX) & ~PTE_W);
        CHECK_EQ(before & (PTE_NX | PTE_W), PTE_W);
        CHECK_EQ(pt_edit(&space, root, 5, GPA_CODE_PAGE, level, PTE_W, PTE_NX, NULL), 0);
        pt_walk(&space, root, 5, GPA_CODE_PAGE, &w);
        CHECK_EQ(w.step[5 - level].entry, before);
    }
    /* one entry only: the data page's level-1 entry is untouched by the code page's edit */
    CHECK_EQ(pt_edit(&space, root, 5, GPA_CODE_PAGE, 1, 0, PTE_U, NULL), 0);
    pt_walk(&space, root, 5, GPA_DATA_PAGE, &w);
    CHECK_EQ(w.step[4].entry & PTE_U, PTE_U);
    /* nothing is created, out-of-range levels refused */
    CHECK_EQ(pt_edit(&space, root, 5, 0x40000000, 1, PTE_NX, 0, NULL), -1);
    CHECK_EQ(pt_edit(&space, root, 5, GPA_CODE_PAGE, 0, PTE_NX, 0, NULL), -1);
    CHECK_EQ(pt_edit(&space, root, 5, GPA_CODE_PAGE, 6, PTE_NX, 0, NULL), -1);
    CHECK_EQ(pt_edit(&space, root, 4, GPA_CODE_PAGE, 5, PTE_NX, 0, NULL), -1);
    CHECK_EQ(used, tables_before);
}

static void test_large(void)
{
    for (int depth = 4; depth <= 5; depth++) {
        for (int leaf = 2; leaf <= 3; leaf++) {
            used = 0;
            uint64_t root = alloc_table(NULL), size = pt_level_size(leaf);
            uint64_t frame = size;   /* 2 MiB or 1 GiB */
            uint64_t code = GPA_CODE_PAGE & ~(size - 1), data = GPA_DATA_PAGE & ~(size - 1);
            CHECK_EQ(pt_map_leaf(&space, root, depth, code, frame, leaf, PTE_NPT_FLAGS), PT_MAPPED);
            CHECK_EQ(pt_map_leaf(&space, root, depth, data, frame, leaf, PTE_NPT_FLAGS), PT_MAPPED);
            CHECK_EQ(used, (unsigned)(depth - leaf + 1) + (leaf == 2 ? 1 : 0));
            struct pt_walk w;
            pt_walk(&space, root, depth, GPA_RESET_FETCH, &w);
            CHECK_EQ(w.status, PT_WALK_LARGE_PAGE);
            CHECK_EQ(w.steps, depth - leaf + 1);
            CHECK_EQ(w.step[w.steps - 1].level, leaf);
            CHECK_EQ(w.step[w.steps - 1].entry, frame | PTE_NPT_FLAGS | PTE_P | PTE_PS);
            CHECK_EQ(w.result, frame + (GPA_RESET_FETCH & (size - 1)));
            pt_walk(&space, root, depth, GPA_DATA_PAGE, &w);
            CHECK_EQ(w.result, frame + GPA_DATA_PAGE);
            /* the same leaf again: already mapped; another frame: conflict */
            CHECK_EQ(pt_map_leaf(&space, root, depth, code, frame, leaf, PTE_NPT_FLAGS), PT_ALREADY_MAPPED);
            CHECK_EQ(pt_map_leaf(&space, root, depth, code, 2 * frame, leaf, PTE_NPT_FLAGS), PT_CONFLICT);
            /* a 4 KiB page under the large leaf: conflict */
            CHECK_EQ(pt_map(&space, root, depth, GPA_CODE_PAGE, 0x11a000, PTE_NPT_FLAGS), PT_CONFLICT);
            /* misaligned address or target */
            CHECK_EQ(pt_map_leaf(&space, root, depth, code + PAGE_SIZE, frame, leaf, PTE_NPT_FLAGS), PT_MISALIGNED);
            CHECK_EQ(pt_map_leaf(&space, root, depth, 4 * size, frame + PAGE_SIZE, leaf, PTE_NPT_FLAGS), PT_MISALIGNED);
            char buf[200];
            pt_walk(&space, root, depth, GPA_RESET_FETCH, &w);
            pt_walk_format(&w, buf, sizeof buf);
            CHECK_HAS(buf, "large-page -> 0x");
        }
    }
    used = 0;
    uint64_t root = alloc_table(NULL);
    CHECK_EQ(pt_map_leaf(&space, root, 4, 0, 0, 4, PTE_NPT_FLAGS), PT_CONFLICT);   /* no 512 GiB leaves */
    CHECK_EQ(pt_map_leaf(&space, root, 4, 0, 0, 0, PTE_NPT_FLAGS), PT_CONFLICT);
    CHECK_EQ(pt_level_size(1), 4096);
    CHECK_EQ(pt_level_size(2), 2ull << 20);
    CHECK_EQ(pt_level_size(3), 1ull << 30);
}

/* Only what the CPU must have set: A on every entry, D on a written leaf. */
static void test_ad_check(void)
{
    used = 0;
    uint64_t root = alloc_table(NULL), bit = 99;
    CHECK_EQ(pt_map(&space, root, 5, GPA_DATA_PAGE, 0x11b000, PTE_NPT_FLAGS), PT_MAPPED);
    struct pt_walk w;
    pt_walk(&space, root, 5, GPA_DATA_PAGE, &w);
    CHECK_EQ(pt_walk_lacks_ad(&w, 0, &bit), 5);
    CHECK_EQ(bit, PTE_A);
    for (int i = 0; i < w.steps; i++)
        w.step[i].entry |= PTE_A;
    CHECK_EQ(pt_walk_lacks_ad(&w, 0, &bit), 0);
    CHECK_EQ(bit, 0);
    CHECK_EQ(pt_walk_lacks_ad(&w, 1, &bit), 1);   /* the leaf lacks D */
    CHECK_EQ(bit, PTE_D);
    w.step[4].entry |= PTE_D;
    CHECK_EQ(pt_walk_lacks_ad(&w, 1, &bit), 0);
    /* D on the upper levels (set speculatively or not) is never required nor refused */
    w.step[2].entry |= PTE_D;
    CHECK_EQ(pt_walk_lacks_ad(&w, 1, &bit), 0);
    w.step[3].entry &= ~PTE_A;
    CHECK_EQ(pt_walk_lacks_ad(&w, 1, &bit), 2);
    CHECK_EQ(bit, PTE_A);
    /* a leaf with D but not A lacks A */
    w.step[3].entry |= PTE_A;
    w.step[4].entry &= ~PTE_A;
    CHECK_EQ(pt_walk_lacks_ad(&w, 1, &bit), 1);
    CHECK_EQ(bit, PTE_A);
}

static struct boot_info with_ram(const struct mem_range *r, unsigned n)
{
    struct boot_info b;
    memset(&b, 0, sizeof b);
    b.ram_known = 1;
    for (unsigned i = 0; i < n; i++)
        b.ram[b.ram_count++] = r[i];
    return b;
}

/* The 1 GiB frame behind group bits' large leaves: only the two pages the
 * guest uses must be RAM the map lists, outside what svmtest keeps. */
static void test_frame(void)
{
    const uint64_t G = 1ull << 30, below = 3 * G;
    uint64_t off[2] = { GPA_CODE_PAGE & (G - 1), GPA_DATA_PAGE & (G - 1) }, frame = 0;
    /* SeaBIOS with -m 3G: RAM 1 MiB .. 3 GiB minus the top 128 KiB */
    struct mem_range seabios3g[] = { { 0, 0x9fc00 }, { 0x100000, 0xbffe0000 - 0x100000 } };
    struct boot_info b = with_ram(seabios3g, 2);
    CHECK_EQ(bootinfo_find_frame(&b, G, below, off, 2, NULL, 0, &frame), 1);
    CHECK_EQ(frame, G);
    /* -m 2G: 0x7ffff000 is reserved at the top: no frame */
    struct mem_range seabios2g[] = { { 0, 0x9fc00 }, { 0x100000, 0x7ffe0000 - 0x100000 } };
    b = with_ram(seabios2g, 2);
    CHECK_EQ(bootinfo_find_frame(&b, G, below, off, 2, NULL, 0, &frame), 0);
    /* a map in pieces, any order: both pages covered counts */
    struct mem_range pieces[] = { { 0x7ff00000, 0x100000 }, { 0x40000000, 0x2000 } };
    b = with_ram(pieces, 2);
    CHECK_EQ(bootinfo_find_frame(&b, G, below, off, 2, NULL, 0, &frame), 1);
    CHECK_EQ(frame, G);
    /* a page held by the boot information: the next frame */
    struct mem_range big[] = { { 0x100000, 0xbff00000 } };
    struct mem_range avoid[] = { { 0x7fffff00, 0x200 } };
    b = with_ram(big, 1);
    CHECK_EQ(bootinfo_find_frame(&b, G, below, off, 2, avoid, 1, &frame), 1);
    CHECK_EQ(frame, 2 * G);
    /* the frame must end below the limit (the uncached fourth GiB) */
    CHECK_EQ(bootinfo_find_frame(&b, G, 2 * G + 0x1000, off, 2, avoid, 1, &frame), 0);
    /* frame 0 is never used (low memory, svmtest's image) */
    struct mem_range low[] = { { 0, G } };
    b = with_ram(low, 1);
    CHECK_EQ(bootinfo_find_frame(&b, G, below, off, 2, NULL, 0, &frame), 0);
    /* 2 MiB frames likewise */
    uint64_t off2[2] = { GPA_CODE_PAGE & 0x1fffff, GPA_DATA_PAGE & 0x1fffff };
    struct mem_range image[] = { { 0x100000, 0x500000 } };
    CHECK_EQ(bootinfo_find_frame(&b, 2ull << 20, below, off2, 2, image, 1, &frame), 1);
    CHECK_EQ(frame, 6ull << 20);
    /* no map: no frame; a size that is no power of two: none */
    b.ram_known = 0;
    CHECK_EQ(bootinfo_find_frame(&b, G, below, off, 2, NULL, 0, &frame), 0);
    b = with_ram(big, 1);
    CHECK_EQ(bootinfo_find_frame(&b, 3 * G, below, off, 2, NULL, 0, &frame), 0);
    uint64_t outside[1] = { G };
    CHECK_EQ(bootinfo_find_frame(&b, G, below, outside, 1, NULL, 0, &frame), 0);
}

/* group gptfault's model: bit 33, not present, the left-out table page */
static void test_gptfault_model(void)
{
    const uint64_t table = 0x16000;
    CHECK_EQ(gptfault_compare(0x200000006, 0x16000, table), GPTFAULT_MATCH);   /* QEMU's */
    CHECK_EQ(gptfault_compare(0x200000004, 0x16ff8, table), GPTFAULT_MATCH);   /* no W: still */
    CHECK_EQ(gptfault_compare(0x100000006, 0x16000, table), GPTFAULT_NOT_WALK);
    CHECK_EQ(gptfault_compare(0x000000006, 0x16000, table), GPTFAULT_NOT_WALK);
    CHECK_EQ(gptfault_compare(0x200000007, 0x16000, table), GPTFAULT_PRESENT);
    CHECK_EQ(gptfault_compare(0x200000006, 0x17000, table), GPTFAULT_OTHER_PAGE);
    CHECK_EQ(gptfault_compare(0x200000006, 0x15ff8, table), GPTFAULT_OTHER_PAGE);
    CHECK_EQ(gptfault_compare(0x200000006, 0x100016000, table), GPTFAULT_OTHER_PAGE);
}

SUITE(bits)
{
    test_gptfault_model();
    test_models();
    test_edit();
    test_large();
    test_ad_check();
    test_frame();
}
