/* kernel/config.c: the command line (SPEC.md "Command line"). */
#include <stdint.h>

#include "check.h"
#include "kernel/config.h"
#include "sets.h"
#include "svm/catalog.h"

#define M_RESET    set_mask(0x00ffu)
#define M_PROBE    set_named("probe_", "")
#define M_GUEST    set_named("guest", "")
#define M_GPTFAULT set_named("gptfault", "")
#define M_BITS     set_named("bits", "")
#define M_CPUS     set_named("all_cpus", "")   /* every host/npt/fill/guest filter keeps it */
#define M_ALL      sset_all()
/* groups 1-3 as the 0.1 masks had them (indices 0-13), plus the new groups */
#define LOW(mask)  set_mask((mask) & 0x3fffu)
#define U(a, b)    set_union((a), (b))

static struct config cfg;
static char err[CONFIG_ERROR_MAX];

static int err_terminated(void) { return memchr(err, '\0', sizeof err) != NULL; }

static int parse_n(const char *line, size_t len, int skip)
{
    memset(err, 'Z', sizeof err);
    memset(&cfg, 0xa5, sizeof cfg);
    return config_parse(&cfg, &catalog_names, line, len, skip, err, sizeof err);
}

static int ok_at(const char *file, int line, const char *text, size_t len, int skip)
{
    int r = parse_n(text, len, skip);
    int good = r == 0 && err[0] == '\0';
    CHECK_AT(file, line, good, "config_parse(\"%.60s\", skip=%d) == 0, got %d \"%.*s\"",
             text, skip, r, (int)sizeof err, err);
    return good;
}

static void bad_at(const char *file, int line, const char *text, size_t len, int skip,
                   const char *expect, int exact)
{
    int r = parse_n(text, len, skip);
    int good = r == -1 && err_terminated() &&
               (exact ? strcmp(err, expect) == 0 : strstr(err, expect) != NULL);
    CHECK_AT(file, line, good, "config_parse(\"%.60s\", skip=%d) fails %s \"%s\", got %d \"%.*s\"",
             text, skip, exact ? "with" : "naming", expect, r, (int)sizeof err, err);
}

#define OK(s) ok_at(__FILE__, __LINE__, (s), strlen(s), 0)
#define OK_SKIP(s) ok_at(__FILE__, __LINE__, (s), strlen(s), 1)
#define BAD(s, msg) bad_at(__FILE__, __LINE__, (s), strlen(s), 0, (msg), 1)
#define BAD_SKIP(s, msg) bad_at(__FILE__, __LINE__, (s), strlen(s), 1, (msg), 1)
#define BAD_HAS(s, part) bad_at(__FILE__, __LINE__, (s), strlen(s), 0, (part), 0)
/* parse s, then check that the filters select exactly mask */
#define SELECTS(s, set) do { if (OK(s)) CHECK_SET(catalog_selected(&cfg), (set)); } while (0)
#define NOTHING(s) BAD_HAS(s, "the filters select no scenario (")

static void test_defaults(void)
{
    char d[200];
    OK("");
    CHECK_SET(cfg.only, M_ALL);
    CHECK_STR(cfg.only_text, "all");
    CHECK_EQ(cfg.host, DEPTH_ALL);
    CHECK_EQ(cfg.npt, DEPTH_ALL);
    CHECK_EQ(cfg.guest, DEPTH_ALL);
    CHECK_EQ(cfg.fill, FILL_MASK_PREBUILT | FILL_MASK_DEMAND);
    CHECK_EQ(cfg.npf_limit, 16);
    CHECK_EQ(cfg.console, CONSOLE_PORT);
    CHECK_EQ(cfg.console_port, 0x3f8);
    CHECK_EQ(cfg.baud, 115200);
    CHECK_EQ(cfg.exit, EXIT_AUTO);
    CHECK_EQ(cfg.verbose, 0);
    CHECK_EQ(cfg.bench, 0);
    CHECK_EQ(cfg.selftest, SELFTEST_NONE);
    CHECK_SET(catalog_selected(&cfg), M_ALL);
    CHECK_EQ(config_describe(&cfg, d, sizeof d), 57);
    CHECK_STR(d, "only=all host=all npt=all fill=all guest=all npf_limit=16");

    OK("   \t \r\n ");
    CHECK_SET(catalog_selected(&cfg), M_ALL);
    CHECK(ok_at(__FILE__, __LINE__, NULL, 0, 0));
    CHECK(ok_at(__FILE__, __LINE__, NULL, 0, 1));
    /* every call starts from the defaults */
    OK("host=4 npf_limit=3");
    OK("");
    CHECK_EQ(cfg.host, DEPTH_ALL);
    CHECK_EQ(cfg.npf_limit, 16);
}

static void test_only(void)
{
    SELECTS("only=host5_npt4_demand", set_mask(1u << 5));
    CHECK_STR(cfg.only_text, "host5_npt4_demand");
    SELECTS("only=host4_npt4_prebuilt", set_mask(1u << 0));
    SELECTS("only=gptfault4_l1_host5", set_named("gptfault4_l1_host5", ""));
    SELECTS("only=reset", M_RESET);
    SELECTS("only=probe", M_PROBE);
    SELECTS("only=guest", M_GUEST);
    SELECTS("only=gptfault", M_GPTFAULT);
    SELECTS("only=bits", M_BITS);
    SELECTS("only=bits4", set_named("bits4_", ""));
    SELECTS("only=bits5", set_named("bits5_", ""));
    SELECTS("only=bits4,bits5", M_BITS);
    SELECTS("only=bits5,bits4_l1_nx", U(set_named("bits5_", ""), set_named("bits4_l1_nx", "")));
    SELECTS("only=cpus", M_CPUS);
    SELECTS("only=all", M_ALL);
    SELECTS("only=probe,guest4_host5", U(M_PROBE, set_mask(1u << 11)));
    CHECK_STR(cfg.only_text, "probe,guest4_host5");
    SELECTS("only=probe,probe_host4", M_PROBE);
    SELECTS("only=reset,gptfault", U(M_RESET, M_GPTFAULT));
    SELECTS("only=probe,all", M_ALL);
    for (int i = 0; i < SCENARIO_COUNT; i++) {
        char w[64];
        struct scenario_set one = { { 0 } };
        sset_add(&one, (unsigned)i);
        snprintf(w, sizeof w, "only=%s", scenario_catalog[i].name);
        SELECTS(w, one);
    }
    /* the 0.1 names are gone (no aliases); depths other than 4 and 5 are no group */
    BAD_HAS("only=gptfault_host4", "unknown scenario or group 'gptfault_host4'");
    BAD_HAS("only=bits6", "unknown scenario or group 'bits6'");
    BAD_HAS("only=bits45", "unknown scenario or group 'bits45'");
    BAD_HAS("only=reset4", "unknown scenario or group 'reset4'");
    BAD_HAS("only=bit", "unknown scenario or group 'bit'");

    BAD("only=probe,,guest", "empty item in 'probe,,guest': only= is a comma list of "
        "scenario or group names (word 1, column 1)");
    BAD("only=,probe", "empty item in ',probe': only= is a comma list of scenario or group "
        "names (word 1, column 1)");
    BAD("only=probe,", "empty item in 'probe,': only= is a comma list of scenario or group "
        "names (word 1, column 1)");
    BAD("only=nosuch", "unknown scenario or group 'nosuch': see docs/output.md for the names "
        "(word 1, column 1)");
    BAD("host=4 only=probe,guest4_host6",
        "unknown scenario or group 'guest4_host6': see docs/output.md for the names (word 2, column 8)");
    BAD_HAS("only=Probe", "unknown scenario or group 'Probe'");
    BAD_HAS("only=probe_host", "unknown scenario or group 'probe_host'");
    BAD_HAS("only=probe_host44", "unknown scenario or group 'probe_host44'");
    BAD_HAS("only=resets", "unknown scenario or group 'resets'");
    /* a failed only= leaves the default */
    CHECK_SET(cfg.only, M_ALL);
    CHECK_STR(cfg.only_text, "all");
}

static void test_depth_and_fill(void)
{
    static const char *const keys[] = { "host", "npt", "guest" };
    for (int k = 0; k < 3; k++) {
        char w[32], msg[120];
        uint8_t *field = k == 0 ? &cfg.host : k == 1 ? &cfg.npt : &cfg.guest;
        static const struct { const char *v; uint8_t mask; } vals[] = {
            { "4", DEPTH_4 }, { "5", DEPTH_5 }, { "all", DEPTH_ALL } };
        for (int v = 0; v < 3; v++) {
            snprintf(w, sizeof w, "%s=%s", keys[k], vals[v].v);
            if (OK(w))
                CHECK_EQ(*field, vals[v].mask);
        }
        static const char *const bad[] = { "3", "6", "45", "ALL", "four", "4,5" };
        for (int v = 0; v < 6; v++) {
            snprintf(w, sizeof w, "%s=%s", keys[k], bad[v]);
            snprintf(msg, sizeof msg, "bad value '%s': expected one of 4, 5, all (word 1, column 1)",
                     bad[v]);
            BAD(w, msg);
        }
    }
    OK("fill=prebuilt");
    CHECK_EQ(cfg.fill, FILL_MASK_PREBUILT);
    OK("fill=demand");
    CHECK_EQ(cfg.fill, FILL_MASK_DEMAND);
    OK("fill=all");
    CHECK_EQ(cfg.fill, FILL_MASK_PREBUILT | FILL_MASK_DEMAND);
    BAD("fill=lazy", "bad value 'lazy': expected one of prebuilt, demand, all (word 1, column 1)");
    CHECK_STR(depth_mask_name(DEPTH_4), "4");
    CHECK_STR(depth_mask_name(DEPTH_5), "5");
    CHECK_STR(depth_mask_name(DEPTH_ALL), "all");
}

static void test_filters(void)
{
    /* host filters every group; npt groups reset and bits (bits<D>: host and
     * NPT D); fill only group reset; guest groups guest and gptfault */
    struct scenario_set gf_h4 = set_named("gptfault", "_host4"), gf_h5 = set_named("gptfault", "_host5");
    struct scenario_set gf_g4 = set_named("gptfault4_", ""), gf_g5 = set_named("gptfault5_", "");
    struct scenario_set b4 = set_named("bits4_", ""), b5 = set_named("bits5_", "");
    SELECTS("host=4", U(U(M_CPUS, LOW(0x550f)), U(gf_h4, b4)));
    SELECTS("host=5", U(U(M_CPUS, LOW(0xaaf0)), U(gf_h5, b5)));
    SELECTS("npt=4", U(U(M_CPUS, LOW(0xff33)), U(M_GPTFAULT, b4)));
    SELECTS("npt=5", U(U(M_CPUS, LOW(0xffcc)), U(M_GPTFAULT, b5)));
    SELECTS("fill=prebuilt", U(U(M_CPUS, LOW(0xff55)), U(M_GPTFAULT, M_BITS)));
    SELECTS("fill=demand", U(U(M_CPUS, LOW(0xffaa)), U(M_GPTFAULT, M_BITS)));
    SELECTS("guest=4", U(U(M_CPUS, LOW(0xcfff)), U(gf_g4, M_BITS)));
    SELECTS("guest=5", U(U(M_CPUS, LOW(0xf3ff)), U(gf_g5, M_BITS)));
    SELECTS("host=5 npt=4 fill=demand", U(U(M_CPUS, LOW(0xaa20)), gf_h5));
    SELECTS("only=reset host=5 npt=4 fill=demand", set_mask(1u << 5));
    SELECTS("only=guest guest=5 host=4", set_mask(1u << 12));
    SELECTS("only=bits npt=5", b5);
    SELECTS("only=bits host=4", b4);
    SELECTS("only=bits guest=5 fill=demand", M_BITS);
    SELECTS("only=gptfault guest=5 host=4", set_named("gptfault5_", "_host4"));
    CHECK_EQ(sset_count(&gf_g5), 10);
    CHECK_EQ(sset_count(&gf_g4), 8);
    CHECK_EQ(sset_count(&b4), 19);
    CHECK_EQ(sset_count(&b5), 23);
    NOTHING("only=bits4 host=5");
    NOTHING("only=bits5 npt=4");
    NOTHING("only=gptfault5_l5_host5 guest=4");
    SELECTS("only=probe npt=5", M_PROBE);
    SELECTS("only=probe fill=demand guest=4", M_PROBE);
    SELECTS("only=gptfault guest=5", gf_g5);
    SELECTS("only=reset guest=5", M_RESET);
    SELECTS("only=guest npt=4 fill=demand", M_GUEST);
    SELECTS("only=reset,gptfault host=4", U(set_mask(0x000f), gf_h4));

    NOTHING("only=probe_host4 host=5");
    NOTHING("only=guest4_host4 host=5");
    NOTHING("only=guest5_host4 guest=4");
    BAD_HAS("only=guest guest=5 host=5 only=x", "repeated key 'only'");   /* checked first */
    NOTHING("only=host4_npt4_prebuilt fill=demand");
    NOTHING("only=host4_npt4_prebuilt npt=5");
    NOTHING("only=host4_npt5_demand host=5");
    BAD("only=guest4_host4 host=5", "the filters select no scenario (only=guest4_host4 host=5 "
        "npt=all fill=all guest=all npf_limit=16)");
}

static void test_npf_limit(void)
{
    /* 2..1000: the lowest accepted value still lets demand fill fix its first fault */
    static const char *const good[] = { "2", "3", "16", "999", "1000", "0002", "01000" };
    static const uint32_t val[] = { 2, 3, 16, 999, 1000, 2, 1000 };
    for (int i = 0; i < 7; i++) {
        char w[32];
        snprintf(w, sizeof w, "npf_limit=%s", good[i]);
        if (OK(w))
            CHECK_EQ(cfg.npf_limit, val[i]);
    }
    /* one fault cannot be a storm: the message says why */
    BAD("npf_limit=1", "out of range '1': npf_limit is a decimal number 2..1000: the first #NPF "
        "is the one demand fill fixes, so one fault cannot be a storm (word 1, column 1)");
    CHECK(strlen(err) < sizeof err);
    CHECK_EQ(cfg.npf_limit, 16);
    /* decimal numbers outside 2..1000 are out of range, however long */
    static const char *const out[] = { "0", "1001", "4294967296", "99999999999", "000",
                                       "18446744073709551617", "00001001" };
    for (int i = 0; i < 7; i++) {
        char w[40], msg[120];
        snprintf(w, sizeof w, "npf_limit=%s", out[i]);
        snprintf(msg, sizeof msg,
                 "out of range '%s': npf_limit is a decimal number 2..1000 (word 1, column 1)", out[i]);
        BAD(w, msg);
    }
    /* anything but digits is malformed, not out of range */
    static const char *const bad[] = { "abc", "+5", "+16", "-1", "1e3", "0x10", "12a", " 5",
                                       "16.0", "1,000" };
    for (int i = 0; i < 10; i++) {
        char w[32], msg[120];
        snprintf(w, sizeof w, "npf_limit=%s", bad[i]);
        if (bad[i][0] == ' ')
            continue;   /* a space splits the word: covered below */
        snprintf(msg, sizeof msg,
                 "malformed value '%s': npf_limit is a decimal number 2..1000 (word 1, column 1)", bad[i]);
        BAD(w, msg);
    }
    BAD("npf_limit= 5", "empty value in 'npf_limit=': expected key=value (word 1, column 1)");

    /* the other decimal keys word it the same way */
    BAD("uart_clock=48MHz", "malformed value '48MHz': uart_clock is a decimal number of Hz "
        "1000000..100000000 (word 1, column 1)");
    BAD("uart_clock=100000001", "out of range '100000001': uart_clock is a decimal number of Hz "
        "1000000..100000000 (word 1, column 1)");
    BAD("guest_timeout_ms=0x100", "malformed value '0x100': guest_timeout_ms is a decimal number "
        "100..60000 (word 1, column 1)");
    BAD("guest_timeout_ms=99999999999", "out of range '99999999999': guest_timeout_ms is a decimal "
        "number 100..60000 (word 1, column 1)");
    if (OK("guest_timeout_ms=100 uart_clock=48000000")) {
        CHECK_EQ(cfg.guest_timeout_ms, 100);
        CHECK_EQ(cfg.uart_clock, 48000000);
    }
}

static void test_console(void)
{
    static const struct { const char *v; uint16_t port; } ports[] = {
        { "com1", 0x3f8 }, { "com2", 0x2f8 }, { "com3", 0x3e8 }, { "com4", 0x2e8 },
        { "0x100", 0x100 }, { "0xfff8", 0xfff8 }, { "0x2F8", 0x2f8 }, { "0X3e8", 0x3e8 } };
    for (int i = 0; i < 8; i++) {
        char w[32];
        snprintf(w, sizeof w, "console=%s", ports[i].v);
        if (OK(w)) {
            CHECK_EQ(cfg.console, CONSOLE_PORT);
            CHECK_EQ(cfg.console_port, ports[i].port);
        }
    }
    OK("console=spcr");
    CHECK_EQ(cfg.console, CONSOLE_SPCR);
    BAD("console=0xff", "out of range '0xff': console I/O port must be 0x100..0xfff8 (word 1, column 1)");
    BAD("console=0xfff9", "out of range '0xfff9': console I/O port must be 0x100..0xfff8 (word 1, column 1)");
    BAD("console=0x0", "out of range '0x0': console I/O port must be 0x100..0xfff8 (word 1, column 1)");
    static const char *const bad[] = { "0x", "junk", "com5", "COM1", "0x1g0", "0x10000", "3f8",
                                       "spcr2" };
    for (int i = 0; i < 8; i++) {
        char w[32], msg[160];
        snprintf(w, sizeof w, "console=%s", bad[i]);
        snprintf(msg, sizeof msg, "bad value '%.*s': expected com1, com2, com3, com4, spcr, an "
                 "I/O port 0x100..0xfff8 or mmio:ADDR (word 1, column 1)", (int)strlen(bad[i]), bad[i]);
        BAD(w, msg);
    }
    CHECK_EQ(cfg.console_port, 0x3f8);
}

static void test_choices(void)
{
    static const uint32_t bauds[] = { 9600, 19200, 38400, 57600, 115200 };
    for (int i = 0; i < 5; i++) {
        char w[32];
        snprintf(w, sizeof w, "baud=%u", bauds[i]);
        if (OK(w))
            CHECK_EQ(cfg.baud, bauds[i]);
    }
    BAD("baud=4800", "bad value '4800': expected one of 9600, 19200, 38400, 57600, 115200 "
        "(word 1, column 1)");
    BAD_HAS("baud=115201", "bad value '115201'");

    static const char *const exits[] = { "auto", "qemu", "halt", "reboot" };
    static const enum exit_mode exit_vals[] = { EXIT_AUTO, EXIT_QEMU, EXIT_HALT, EXIT_REBOOT };
    for (int i = 0; i < 4; i++) {
        char w[32];
        snprintf(w, sizeof w, "exit=%s", exits[i]);
        if (OK(w))
            CHECK_EQ(cfg.exit, exit_vals[i]);
    }
    BAD("exit=poweroff", "bad value 'poweroff': expected one of auto, qemu, halt, reboot "
        "(word 1, column 1)");

    for (int i = 0; i < 3; i++) {
        char w[32];
        snprintf(w, sizeof w, "verbose=%d", i);
        if (OK(w))
            CHECK_EQ(cfg.verbose, i);
    }
    BAD("verbose=3", "bad value '3': expected one of 0, 1, 2 (word 1, column 1)");

    OK("bench=on");
    CHECK_EQ(cfg.bench, 1);
    OK("bench=off");
    CHECK_EQ(cfg.bench, 0);
    BAD("bench=yes", "bad value 'yes': expected one of off, on (word 1, column 1)");

    static const char *const tests[] = { "none", "ud", "gp", "pf", "guest-hang" };
    static const enum selftest test_vals[] = { SELFTEST_NONE, SELFTEST_UD, SELFTEST_GP,
                                               SELFTEST_PF, SELFTEST_GUEST_HANG };
    for (int i = 0; i < 5; i++) {
        char w[32];
        snprintf(w, sizeof w, "selftest=%s", tests[i]);
        if (OK(w))
            CHECK_EQ(cfg.selftest, test_vals[i]);
    }
    BAD("selftest=df", "bad value 'df': expected one of none, ud, gp, pf, guest-hang, "
        "ap-deviate, ap-ud "
        "(word 1, column 1)");
}

static void test_words(void)
{
    OK("only=probe host=4 npt=5 fill=demand guest=4 npf_limit=7 console=com2 baud=9600 "
       "exit=qemu verbose=2 bench=on selftest=ud");
    CHECK_SET(cfg.only, M_PROBE);
    CHECK_EQ(cfg.npf_limit, 7);
    CHECK_EQ(cfg.console_port, 0x2f8);
    CHECK_EQ(cfg.baud, 9600);
    CHECK_EQ(cfg.exit, EXIT_QEMU);
    CHECK_EQ(cfg.verbose, 2);
    CHECK_EQ(cfg.selftest, SELFTEST_UD);
    OK("  host=4\tnpt=5\r\n");
    CHECK_EQ(cfg.host, DEPTH_4);
    CHECK_EQ(cfg.npt, DEPTH_5);

    BAD("host=4 host=4", "repeated key 'host': first given as word 1 (word 2, column 8)");
    BAD("only=probe npt=4 only=guest",
        "repeated key 'only': first given as word 1 (word 3, column 18)");
    BAD("verbose=1 verbose=1", "repeated key 'verbose': first given as word 1 (word 2, column 11)");
    BAD("hosts=4", "unknown key 'hosts' (word 1, column 1)");
    BAD("host=4 HOST=4", "unknown key 'HOST' (word 2, column 8)");
    BAD("debug=1", "unknown key 'debug' (word 1, column 1)");
    BAD("verbose", "malformed word 'verbose': expected key=value (word 1, column 1)");
    BAD("host=4  quiet", "malformed word 'quiet': expected key=value (word 2, column 9)");
    BAD("=4", "malformed word '=4': expected key=value (word 1, column 1)");
    BAD("host=", "empty value in 'host=': expected key=value (word 1, column 1)");
    BAD("npt=4 only=", "empty value in 'only=': expected key=value (word 2, column 7)");
    BAD("host==4", "bad value '=4': expected one of 4, 5, all (word 1, column 1)");
    /* what parsed before the error is kept */
    BAD_HAS("host=4 npt=bad", "(word 2, column 8)");
    CHECK_EQ(cfg.host, DEPTH_4);
    CHECK_EQ(cfg.npt, DEPTH_ALL);

    /* quotes and backslashes are echoed escaped */
    BAD("exit='x'", "bad value '\\x27x\\x27': expected one of auto, qemu, halt, reboot "
        "(word 1, column 1)");
}

static void test_bytes(void)
{
    BAD("only=caf\xc3\xa9", "non-ASCII byte 0xc3 in 'only=caf\\xc3\\xa9' (word 1, column 1)");
    BAD("host=4 only=\x80", "non-ASCII byte 0x80 in 'only=\\x80' (word 2, column 8)");
    BAD("host=4 only=\xff", "non-ASCII byte 0xff in 'only=\\xff' (word 2, column 8)");
    /* control characters are named as such, DEL included */
    BAD("host=4 \x7f", "control character 0x7f in '\\x7f' (word 2, column 8)");
    BAD("host=4\vnpt=4", "control character 0x0b in 'host=4\\x0bnpt=4' (word 1, column 1)");
    BAD("host=\x01", "control character 0x01 in 'host=\\x01' (word 1, column 1)");
    BAD("host=4\x1b[0m", "control character 0x1b in 'host=4\\x1b[0m' (word 1, column 1)");
    BAD("host=4\fnpt=4", "control character 0x0c in 'host=4\\x0cnpt=4' (word 1, column 1)");
    /* the separators: space, tab, CR and LF, in any mix and number */
    OK("host=4\tnpt=5\r\nfill=demand\n\tguest=4  \t");
    CHECK_EQ(cfg.host, DEPTH_4);
    CHECK_EQ(cfg.npt, DEPTH_5);
    CHECK_EQ(cfg.fill, FILL_MASK_DEMAND);
    CHECK_EQ(cfg.guest, DEPTH_4);
    BAD("host=4\tbogus=1", "unknown key 'bogus' (word 2, column 8)");

    /* a NUL ends the line, whatever len says */
    static const char nul[] = "host=4\0npt=bad";
    CHECK(ok_at(__FILE__, __LINE__, nul, sizeof nul - 1, 0));
    CHECK_EQ(cfg.host, DEPTH_4);
    CHECK_EQ(cfg.npt, DEPTH_ALL);
    static const char lead[] = "\0host=bad";
    CHECK(ok_at(__FILE__, __LINE__, lead, sizeof lead - 1, 0));
    CHECK_EQ(cfg.host, DEPTH_ALL);
    /* and len ends it too: no byte past len is read */
    CHECK(ok_at(__FILE__, __LINE__, "host=4 npt=bad", 6, 0));
    CHECK_EQ(cfg.host, DEPTH_4);
    bad_at(__FILE__, __LINE__, "host=4 npt=5", 5, 0,
           "empty value in 'host=': expected key=value (word 1, column 1)", 1);
}

static void test_skip_first_word(void)
{
    OK_SKIP("/boot/svmtest.elf host=5");
    CHECK_EQ(cfg.host, DEPTH_5);
    OK_SKIP("build/svmtest.elf");
    CHECK_SET(catalog_selected(&cfg), M_ALL);
    OK_SKIP("  svmtest.elf   ");
    OK_SKIP("k\xc3\xa9rnel=x.elf only=probe");   /* the file name is not checked */
    CHECK_SET(cfg.only, M_PROBE);
    BAD_SKIP("/boot/svmtest.elf bogus", "malformed word 'bogus': expected key=value (word 1, column 1)");
    BAD_SKIP("  svmtest.elf   host=4 npt=x",
             "bad value 'x': expected one of 4, 5, all (word 2, column 8)");
    BAD("/boot/svmtest.elf host=5",
        "malformed word '/boot/svmtest.elf': expected key=value (word 1, column 1)");
    bad_at(__FILE__, __LINE__, "svmtest.elf only=guest4_host4 host=5", 36, 1,
           "the filters select no scenario (only=guest4_host4 host=5 ", 0);
}

static void test_long_lines(void)
{
    static char line[4097];
    char expect[CONFIG_ERROR_MAX];

    /* 4 KiB of valid words spread out; the last one ends the line */
    memset(line, ' ', 4096);
    line[4096] = '\0';
    memcpy(line, "only=reset", 10);
    memcpy(line + 2000, "host=5", 6);
    memcpy(line + 4096 - 14, "npf_limit=1000", 14);
    if (OK(line)) {
        CHECK_EQ(cfg.npf_limit, 1000);
        CHECK_SET(catalog_selected(&cfg), set_mask(0x00f0));
    }
    memcpy(line + 4096 - 14, "npf_limit=1001", 14);
    BAD(line, "out of range '1001': npf_limit is a decimal number 2..1000 (word 3, column 4083)");

    /* one long invalid word: the echo is cut and the message stays bounded */
    memset(line, 'a', 4096);
    memcpy(line, "host=4 ", 7);
    BAD(line, "malformed word 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...': expected key=value "
        "(word 2, column 8)");
    CHECK(strlen(err) < sizeof err);
    memcpy(line + 7, "npt=", 4);
    BAD_HAS(line, "bad value 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...': expected one of 4, 5, all");

    /* only= takes 399 characters, not 400 */
    char list[420] = "only=";
    for (int i = 0; i < 66; i++)
        strcat(list, i ? ",probe" : "probe");
    strcat(list, ",all");                               /* 399 characters */
    if (OK(list)) {
        CHECK_EQ(strlen(cfg.only_text), 399);
        CHECK_SET(catalog_selected(&cfg), M_ALL);
        char d[CONFIG_ONLY_TEXT_MAX + 100];
        CHECK_EQ(config_describe(&cfg, d, sizeof d), 5 + 399 + 49);
    }
    strcat(list, "x");
    BAD_HAS(list, "too long '");
    CHECK_HAS(err, "only= takes at most 399 characters (word 1, column 1)");

    /* words that echo as \xNN four bytes each must still say where they are */
    memset(line, 0xff, 100);
    line[100] = '\0';
    BAD_HAS(line, "(word 1, column 1)");
    CHECK(strlen(err) < sizeof err);
    memcpy(line, "host=4 console=", 15);
    memset(line + 15, '\'', 85);
    BAD_HAS(line, "(word 2, column 8)");
    memcpy(line, "only=", 5);
    memset(line + 5, '\\', 95);
    BAD_HAS(line, "(word 1, column 1)");

    /* a short error buffer still gets a terminated, truncated message */
    char small[24];
    memset(small, 'Z', sizeof small);
    CHECK_EQ(config_parse(&cfg, &catalog_names, "hosts=4", 7, 0, small, 16), -1);
    snprintf(expect, sizeof expect, "%.15s", "unknown key 'hosts' (word 1, column 1)");
    CHECK_STR(small, expect);
    CHECK_EQ(small[16], 'Z');
    memset(small, 'Z', sizeof small);
    CHECK_EQ(config_parse(&cfg, &catalog_names, "hosts=4", 7, 0, small, 0), -1);
    CHECK_EQ(small[0], 'Z');
    CHECK_EQ(config_parse(&cfg, &catalog_names, "only=probe host=9", 17, 0, NULL, 0), -1);
    memset(small, 'Z', sizeof small);
    CHECK_EQ(config_parse(&cfg, &catalog_names, "only=probe_host4 host=5", 23, 0, small, 10), -1);
    CHECK_STR(small, "the filte");
}

static void test_describe(void)
{
    char d[CONFIG_ONLY_TEXT_MAX + 100];
    OK("only=probe,guest host=5 npt=4 fill=demand guest=4 npf_limit=100 baud=9600 console=com2");
    CHECK_EQ(config_describe(&cfg, d, sizeof d), 63);
    CHECK_STR(d, "only=probe,guest host=5 npt=4 fill=demand guest=4 npf_limit=100");
    OK("fill=prebuilt selftest=guest-hang bench=on verbose=1");
    config_describe(&cfg, d, sizeof d);
    CHECK_STR(d, "only=all host=all npt=all fill=prebuilt guest=all npf_limit=16 "
              "selftest=guest-hang bench=on");
    OK("selftest=none bench=off");
    config_describe(&cfg, d, sizeof d);
    CHECK_STR(d, "only=all host=all npt=all fill=all guest=all npf_limit=16");
    OK("only=all");
    config_describe(&cfg, d, sizeof d);
    CHECK_STR(d, "only=all host=all npt=all fill=all guest=all npf_limit=16");
    /* truncated into a small buffer; the length returned shows it was cut */
    char s[10];
    OK("bench=on");
    CHECK(config_describe(&cfg, s, sizeof s) >= (int)sizeof s);
    CHECK_STR(s, "only=all ");
}

/* The parser owns no scenario table: it accepts exactly the names it is
 * handed and asks the caller what the filters keep. */
static int two_names_lookup(const char *name, unsigned len, struct scenario_set *out)
{
    static const char *const names[] = { "alpha", "beta" };
    *out = (struct scenario_set){ { 0 } };
    for (unsigned i = 0; i < 2; i++)
        if (strlen(names[i]) == len && !memcmp(names[i], name, len))
            sset_add(out, i);
    if (len == 3 && !memcmp(name, "all", 3))
        sset_add(out, 0), sset_add(out, 1);
    return !sset_empty(out);
}

static struct scenario_set two_names_selected(const struct config *c)
{
    /* this table's two scenarios run at host depth 4 */
    return (c->host & DEPTH_4) ? c->only : (struct scenario_set){ { 0 } };
}

static void test_names_handed_in(void)
{
    static const struct config_names two = { two_names_lookup, two_names_selected };
    struct scenario_set want = { { 0 } };
    CHECK_EQ(config_parse(&cfg, &two, "", 0, 0, err, sizeof err), 0);
    sset_add(&want, 0), sset_add(&want, 1);
    CHECK_SET(cfg.only, want);
    CHECK_EQ(config_parse(&cfg, &two, "only=beta", 9, 0, err, sizeof err), 0);
    want = (struct scenario_set){ { 0 } };
    sset_add(&want, 1);
    CHECK_SET(cfg.only, want);
    CHECK_EQ(config_parse(&cfg, &two, "only=probe", 10, 0, err, sizeof err), -1);
    CHECK_STR(err, "unknown scenario or group 'probe': see docs/output.md for the names "
                   "(word 1, column 1)");
    CHECK_EQ(config_parse(&cfg, &two, "only=alpha host=5", 17, 0, err, sizeof err), -1);
    CHECK(strstr(err, "the filters select no scenario (only=alpha host=5") == err);
    CHECK_EQ(config_parse(&cfg, &two, "only=alpha host=4", 17, 0, err, sizeof err), 0);
}

SUITE(config)
{
    test_names_handed_in();
    test_defaults();
    test_only();
    test_depth_and_fill();
    test_filters();
    test_npf_limit();
    test_console();
    test_choices();
    test_words();
    test_bytes();
    test_skip_first_word();
    test_long_lines();
    test_describe();
}
