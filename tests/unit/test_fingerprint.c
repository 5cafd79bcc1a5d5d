/* svm/fingerprint.c: what each CPU's silent run is reduced to and how it
 * is compared with the boot CPU's; the cpus= key; the low pages the AP
 * start-up code may use (kernel/bootinfo.c). */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "kernel/bootinfo.h"
#include "kernel/config.h"
#include "kernel/report/ktap.h"
#include "sets.h"
#include "svm/catalog.h"
#include "svm/fingerprint.h"

static struct fp_record ref, ap;

static void put(struct fp_record *r, const char *text)
{
    fp_write(r, text, strlen(text));
}

/* A run of two scenarios as the report would print it; variants change one
 * thing. */
enum variant { SAME, EXITINFO1, RESULT, FEWER, OTHER_SCENARIO, CRLF };

static void run(struct fp_record *r, enum variant v)
{
    fp_scenario(r, 5);
    put(r, v == CRLF ? "# host5_npt4_demand: host=5 npt=4 ncr3=0x0000000000163000\r\n"
                     : "# host5_npt4_demand: host=5 npt=4 ncr3=0x0000000000163000\n");
    put(r, v == EXITINFO1
               ? "# npf: gpa=0x00000000fffffff0 exitinfo1=0x0000000100000015 rip=0x000000000000fff0\n"
               : "# npf: gpa=0x00000000fffffff0 exitinfo1=0x0000000100000014 rip=0x000000000000fff0\n");
    put(r, "# verdict: CPU walked 5 levels, NPT has 4 (model: 5)\n");
    put(r, "ok 1 host5_npt4_demand\n");
    fp_scenario(r, v == OTHER_SCENARIO ? 9 : 8);
    put(r, "# vmmcall: rax=0x544d5653 rbx=4\n");
    if (v != FEWER)
        put(r, "# verdict: CPU walked 4 levels (model: 4)\n");
    put(r, v == RESULT ? "not ok 2 probe_host4\n" : "ok 2 probe_host4\n");
}

static int compare(enum variant v, struct fp_diff *d)
{
    fp_init(&ref, NULL, 1);
    run(&ref, SAME);
    fp_init(&ap, &ref, 0);
    run(&ap, v);
    return fp_compare(&ref, &ap, d);
}

static void test_equal(void)
{
    struct fp_diff d;
    CHECK_EQ(compare(SAME, &d), 0);
    CHECK_EQ(d.scenario, -1);
    CHECK_EQ(ap.diverged, 0);
    CHECK_EQ(ref.lines, 7);
    CHECK_EQ(ref.scenarios, 2);
    /* CR is not part of a line */
    CHECK_EQ(compare(CRLF, &d), 0);
    /* a line may come in pieces */
    fp_init(&ap, &ref, 0);
    fp_scenario(&ap, 5);
    put(&ap, "# host5_npt4_demand: host=5 ");
    put(&ap, "npt=4 ncr3=0x0000000000163000\n# npf: gpa=0x00000000fffffff0 exitinfo1=0x0000000100000014 ");
    put(&ap, "rip=0x000000000000fff0\n# verdict: CPU walked 5 levels, NPT has 4 (model: 5)\nok 1 host5_npt4_demand\n");
    fp_scenario(&ap, 8);
    put(&ap, "# vmmcall: rax=0x544d5653 rbx=4\n# verdict: CPU walked 4 levels (model: 4)\nok 2 probe_host4\n");
    CHECK_EQ(fp_compare(&ref, &ap, &d), 0);
}

static void test_field_named(void)
{
    struct fp_diff d;
    CHECK_EQ(compare(EXITINFO1, &d), 1);
    CHECK_EQ(d.scenario, 5);
    CHECK_EQ(d.line, 2);
    CHECK_STR(d.field, "exitinfo1");
    CHECK_STR(d.ref_value, "0x0000000100000014");
    CHECK_STR(d.value, "0x0000000100000015");
    CHECK_EQ(ap.diverged, 1);
    CHECK_EQ(ap.diverged_line, 1);

    CHECK_EQ(compare(RESULT, &d), 1);
    CHECK_EQ(d.scenario, 8);
    CHECK_EQ(d.line, 3);
    CHECK_STR(d.field, "line");
    CHECK_STR(d.ref_value, "ok");
    CHECK_STR(d.value, "not ok");

    CHECK_EQ(compare(FEWER, &d), 1);
    CHECK_EQ(d.scenario, 8);
    CHECK_EQ(d.line, 2);
    CHECK_STR(d.field, "line");
    CHECK_STR(d.ref_value, "verdict");
    CHECK_STR(d.value, "ok");

    CHECK_EQ(compare(OTHER_SCENARIO, &d), 1);
    CHECK_STR(d.field, "scenario");
    CHECK_STR(d.ref_value, "probe_host4");
    CHECK_STR(d.value, "probe_host5");
}

static void test_words(void)
{
    struct fp_diff d;
    fp_init(&ref, NULL, 1);
    fp_scenario(&ref, 8);
    put(&ref, "# verdict: CPU walked 4 levels (model: 4)\nok 2 probe_host4\n");
    fp_init(&ap, &ref, 0);
    fp_scenario(&ap, 8);
    put(&ap, "# verdict: CPU walked 5 levels (model: 4)\nok 2 probe_host4\n");
    CHECK_EQ(fp_compare(&ref, &ap, &d), 1);
    CHECK_STR(d.field, "verdict");
    CHECK_STR(d.ref_value, "4");
    CHECK_STR(d.value, "5");
    fp_init(&ap, &ref, 0);
    fp_scenario(&ap, 8);
    put(&ap, "# verdict: CPU walked 4 levels (model: 4)\nok 2 probe_host4 # SKIP no\n");
    CHECK_EQ(fp_compare(&ref, &ap, &d), 1);
    CHECK_STR(d.field, "result");
    CHECK_STR(d.ref_value, "ok 2 probe_host4");
    CHECK_STR(d.value, "ok 2 probe_host4 # SKIP no");
}

static void test_lines(void)
{
    struct fp_diff d;
    /* the AP stops early: the missing lines are named by count */
    fp_init(&ref, NULL, 1);
    run(&ref, SAME);
    fp_init(&ap, &ref, 0);
    fp_scenario(&ap, 5);
    put(&ap, "# host5_npt4_demand: host=5 npt=4 ncr3=0x0000000000163000\n");
    CHECK_EQ(fp_compare(&ref, &ap, &d), 1);
    CHECK_STR(d.field, "lines");
    CHECK_STR(d.ref_value, "7");
    CHECK_STR(d.value, "1");
    CHECK_EQ(d.scenario, 5);
    /* an unfinished last line does not count */
    put(&ap, "# npf: gpa=");
    CHECK_EQ(ap.lines, 1);
    /* a line longer than the kept text still hashes whole */
    fp_init(&ref, NULL, 1);
    fp_init(&ap, &ref, 0);
    char longline[FP_LINE_MAX * 2 + 2];
    memset(longline, 'a', sizeof longline - 2);
    longline[sizeof longline - 2] = '\n';
    longline[sizeof longline - 1] = '\0';
    fp_scenario(&ref, 0);
    put(&ref, longline);
    longline[sizeof longline - 3] = 'b';
    fp_scenario(&ap, 0);
    put(&ap, longline);
    CHECK_EQ(fp_compare(&ref, &ap, &d), 1);
    CHECK_EQ(d.scenario, 0);
    CHECK_EQ(d.line, 1);
}

/* The kernel's path: the KTAP reporter writes into the record. */
static void test_through_ktap(void)
{
    struct ktap k;
    struct fp_diff d;
    fp_init(&ref, NULL, 1);
    ktap_init(&k, fp_write, &ref);
    fp_scenario(&ref, (unsigned)catalog_find("gptfault4_l1_host4", 18));
    ktap_diag(&k, "npf: gpa=0x%016x exitinfo1=0x%016llx", 0x15000, 0x200000006ull);
    ktap_result(&k, "gptfault4_l1_host4", RESULT_PASS, NULL);
    fp_init(&ap, &ref, 0);
    ktap_init(&k, fp_write, &ap);
    fp_scenario(&ap, (unsigned)catalog_find("gptfault4_l1_host4", 18));
    ktap_diag(&k, "npf: gpa=0x%016x exitinfo1=0x%016llx", 0x16000, 0x200000006ull);
    ktap_result(&k, "gptfault4_l1_host4", RESULT_PASS, NULL);
    CHECK_EQ(fp_compare(&ref, &ap, &d), 1);
    CHECK_STR(d.field, "gpa");
    CHECK_STR(d.ref_value, "0x0000000000015000");
    CHECK_STR(d.value, "0x0000000000016000");
    CHECK_STR(scenario_catalog[d.scenario].name, "gptfault4_l1_host4");
}

SUITE(fingerprint)
{
    test_equal();
    test_field_named();
    test_words();
    test_lines();
    test_through_ktap();
}

SUITE(cpus_key)
{
    static struct config cfg;
    char err[CONFIG_ERROR_MAX], d[CONFIG_ONLY_TEXT_MAX + 120];
    CHECK_EQ(config_parse(&cfg, &catalog_names, "", 0, 0, err, sizeof err), 0);
    CHECK_EQ(cfg.cpus, CONFIG_CPUS_ALL);
    config_describe(&cfg, d, sizeof d);
    CHECK(strstr(d, "cpus") == NULL);
    static const struct { const char *line; uint32_t cpus; const char *shown; } good[] = {
        { "cpus=all", CONFIG_CPUS_ALL, NULL }, { "cpus=bsp", CONFIG_CPUS_BSP, " cpus=bsp" },
        { "cpus=1", 1, " cpus=1" }, { "cpus=4096", 4096, " cpus=4096" },
        { "cpus=017", 17, " cpus=17" },
    };
    for (unsigned i = 0; i < sizeof good / sizeof good[0]; i++) {
        CHECK_EQ(config_parse(&cfg, &catalog_names, good[i].line, strlen(good[i].line), 0, err, sizeof err), 0);
        CHECK_EQ(cfg.cpus, good[i].cpus);
        config_describe(&cfg, d, sizeof d);
        if (good[i].shown)
            CHECK_HAS(d, good[i].shown);
        else
            CHECK(strstr(d, "cpus") == NULL);
    }
    static const char *const bad[] = { "cpus=0", "cpus=4097", "cpus=-1", "cpus=ALL", "cpus=2x",
                                       "cpus=99999999999" };
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK_EQ(config_parse(&cfg, &catalog_names, bad[i], strlen(bad[i]), 0, err, sizeof err), -1);
        CHECK_HAS(err, "expected all, bsp or a decimal number 1..4096 (word 1, column 1)");
    }
    CHECK_EQ(config_parse(&cfg, &catalog_names, "cpus=2 cpus=3", 13, 0, err, sizeof err), -1);
    CHECK_HAS(err, "repeated key 'cpus'");
    /* only= takes the group and the test by name */
    CHECK_EQ(config_parse(&cfg, &catalog_names, "only=cpus", 9, 0, err, sizeof err), 0);
    CHECK_SET(catalog_selected(&cfg), set_named("all_cpus", ""));
    CHECK_EQ(config_parse(&cfg, &catalog_names, "only=all_cpus,probe", 19, 0, err, sizeof err), 0);
    CHECK_SET(catalog_selected(&cfg), set_union(set_named("all_cpus", ""), set_named("probe_", "")));
    CHECK_STR(scenario_catalog[SCENARIO_ALL_CPUS].name, "all_cpus");
    CHECK_STR(group_names[GROUP_CPUS], "cpus");
    CHECK_EQ(config_parse(&cfg, &catalog_names, "selftest=ap-deviate", 19, 0, err, sizeof err), 0);
    CHECK_EQ(cfg.selftest, SELFTEST_AP_DEVIATE);
    config_describe(&cfg, d, sizeof d);
    CHECK_HAS(d, " selftest=ap-deviate");
    CHECK_EQ(config_parse(&cfg, &catalog_names, "selftest=ap-ud", 14, 0, err, sizeof err), 0);
    CHECK_EQ(cfg.selftest, SELFTEST_AP_UD);
}

/* ---- low pages: multiboot1 with its map and command line below 1 MiB ---- */

#define LOW_BASE 0x8000u
static uint8_t lowmem[0x4000];    /* stands for physical 0x8000..0xbfff */

static const void *resolve_low(uint64_t addr, size_t len, void *ctx)
{
    (void)ctx;
    if (addr < LOW_BASE || addr - LOW_BASE > sizeof lowmem || len > sizeof lowmem - (addr - LOW_BASE))
        return NULL;
    return lowmem + (addr - LOW_BASE);
}

static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

SUITE(low_pages)
{
    static struct boot_info info;
    uint8_t mbi[88] = { 0 };
    put32(mbi, (1u << 2) | (1u << 6));              /* command line, memory map */
    put32(mbi + 16, 0x9000);                        /* command line at 0x9000 */
    memcpy(lowmem + 0x1000, "only=probe", 11);
    put32(mbi + 44, 3 * 24);                        /* map at 0xa800, three entries */
    put32(mbi + 48, 0xa800);
    uint8_t *map = lowmem + 0x2800;
    put32(map, 20);
    put64(map + 4, 0);
    put64(map + 12, 0x9fc00);                       /* 0 .. 0x9fc00 available */
    put32(map + 20, 1);
    put32(map + 24, 20);
    put64(map + 28, 0x9fc00);
    put64(map + 36, 0x400);
    put32(map + 44, 2);
    put32(map + 48, 20);
    put64(map + 52, 0x100000);
    put64(map + 60, 0x1ff00000);
    put32(map + 68, 1);
    CHECK_EQ(bootinfo_parse_mb1(&info, mbi, resolve_low, NULL), 0);
    CHECK(bootinfo_low_page_free(&info, 0x1000));
    CHECK(bootinfo_low_page_free(&info, 0x8000));
    CHECK(!bootinfo_low_page_free(&info, 0x9000));  /* the command line (4 KiB read) */
    CHECK(!bootinfo_low_page_free(&info, 0xa000));  /* the memory map */
    CHECK(bootinfo_low_page_free(&info, 0xb000));
    CHECK(bootinfo_low_page_free(&info, 0x9e000));
    CHECK(!bootinfo_low_page_free(&info, 0x9f000)); /* only partly available */
    CHECK(!bootinfo_low_page_free(&info, 0xa0000));
    CHECK(!bootinfo_low_page_free(&info, 0x100000));/* not below 1 MiB */

    /* multiboot2: the information block itself is kept out (here it is a
     * host address far above 1 MiB, so only the map decides) */
    uint8_t mb2[8 + 16 + 24 + 8] = { 0 };
    put32(mb2, sizeof mb2);
    put32(mb2 + 8, 6);
    put32(mb2 + 12, 16 + 24);
    put32(mb2 + 16, 24);
    put64(mb2 + 24, 0x1000);
    put64(mb2 + 32, 0x2000);                        /* 0x1000 .. 0x3000 available */
    put32(mb2 + 40, 1);
    put32(mb2 + 48, 0);
    put32(mb2 + 52, 8);
    CHECK_EQ(bootinfo_parse_mb2(&info, mb2, sizeof mb2), 0);
    CHECK(!bootinfo_low_page_free(&info, 0));
    CHECK(bootinfo_low_page_free(&info, 0x1000));
    CHECK(bootinfo_low_page_free(&info, 0x2000));
    CHECK(!bootinfo_low_page_free(&info, 0x3000));
}
