/* kernel/report/ktap.c: the KTAP reporter (SPEC.md "Output", "Exit"). */
#include "check.h"
#include "kernel/report/ktap.h"

struct capture {
    char text[8192];
    size_t n;
    unsigned calls, bad_calls;   /* writes that were not exactly one line */
};

static void writer(void *ctx, const char *s, size_t n)
{
    struct capture *c = ctx;
    c->calls++;
    if (n == 0 || s[n - 1] != '\n' || memchr(s, '\n', n) != s + n - 1 || memchr(s, '\0', n))
        c->bad_calls++;
    if (c->n + n < sizeof c->text) {
        memcpy(c->text + c->n, s, n);
        c->n += n;
        c->text[c->n] = '\0';
    }
}

static struct capture cap;
static struct ktap k;

static void start(void)
{
    memset(&cap, 0, sizeof cap);
    ktap_init(&k, writer, &cap);
}

#define BEGIN "# svmtest-begin version=" SVMTEST_VERSION "\nKTAP version 1\n"

static void test_lines(void)
{
    start();
    ktap_begin(&k);
    /* the begin marker starts a fresh line: an empty line comes first */
    CHECK_STR(cap.text, "\n" BEGIN);
    CHECK_EQ(cap.calls, 3);
    CHECK_EQ(cap.bad_calls, 0);

    start();
    ktap_plan(&k, 16);
    CHECK_STR(cap.text, "1..16\n");
    CHECK_EQ(k.planned, 16);

    start();
    ktap_result(&k, "host4_npt4_prebuilt", RESULT_PASS, NULL);
    ktap_result(&k, "host4_npt4_demand", RESULT_PASS, "ignored");
    ktap_result(&k, "host5_npt4_demand", RESULT_SKIP, "CPU lacks LA57");
    ktap_result(&k, "probe_host5", RESULT_SKIP, NULL);
    ktap_result(&k, "probe_host4", RESULT_SKIP, "");
    ktap_result(&k, "guest4_host4", RESULT_FAIL, "ignored too");
    ktap_result(&k, "guest5_host5", RESULT_TIMEOUT, "guest never exited");
    ktap_result(&k, "gptfault4_l1_host4", RESULT_TIMEOUT, NULL);
    ktap_result(&k, "cmdline", RESULT_ERROR, "unknown key 'x' (word 1, column 1)");
    ktap_result(&k, "gptfault4_l1_host5", RESULT_ERROR, NULL);
    CHECK_STR(cap.text,
              "ok 1 host4_npt4_prebuilt\n"
              "ok 2 host4_npt4_demand\n"
              "ok 3 host5_npt4_demand # SKIP CPU lacks LA57\n"
              "ok 4 probe_host5 # SKIP\n"
              "ok 5 probe_host4 # SKIP\n"
              "not ok 6 guest4_host4\n"
              "not ok 7 guest5_host5 # TIMEOUT guest never exited\n"
              "not ok 8 gptfault4_l1_host4 # TIMEOUT\n"
              "not ok 9 cmdline # ERROR unknown key 'x' (word 1, column 1)\n"
              "not ok 10 gptfault4_l1_host5 # ERROR\n");
    CHECK_EQ(k.reported, 10);
    CHECK_EQ(k.pass, 2);
    CHECK_EQ(k.skip, 3);
    CHECK_EQ(k.fail, 3);                    /* TIMEOUT is a not ok */
    CHECK_EQ(k.error, 2);
    cap.n = 0;
    ktap_end(&k);
    ktap_end(&k);                           /* printed once */
    CHECK_STR(cap.text, "# svmtest-end pass=2 fail=3 skip=3 error=2\n");
    CHECK_EQ(cap.calls, 11);
    CHECK_EQ(cap.bad_calls, 0);

    start();
    ktap_diag(&k, "npf: gpa=0x%016lx exitinfo1=0x%016lx [%s]", 0xfffffff0ul, 0x100000014ul,
              "not-present user fetch final");
    ktap_diag(&k, "one\ntwo\r\nthree\n");
    ktap_diag(&k, "%s", "");
    CHECK_STR(cap.text,
              "# npf: gpa=0x00000000fffffff0 exitinfo1=0x0000000100000014 "
              "[not-present user fetch final]\n"
              "# one two  three \n"
              "# \n");
    CHECK_EQ(cap.bad_calls, 0);

    /* over-long lines are cut but stay one line */
    static char longname[2000];
    memset(longname, 'n', sizeof longname - 1);
    start();
    ktap_diag(&k, "%s\n%s", longname, longname);
    ktap_result(&k, longname, RESULT_SKIP, longname);
    CHECK_EQ(cap.calls, 2);
    CHECK_EQ(cap.bad_calls, 0);
    CHECK(cap.n <= 2 * 512);
    CHECK(strncmp(cap.text, "# nnnn", 6) == 0);
    CHECK(strstr(cap.text, "\nok 1 nnnn") != NULL);
    CHECK_EQ(k.skip, 1);

    /* the version is x.y.z */
    unsigned a, b, c;
    char tail;
    CHECK_EQ(sscanf(SVMTEST_VERSION, "%u.%u.%u%c", &a, &b, &c, &tail), 3);
}

/* Reports the results given as a string (p s f t e) against a plan. */
static int status(unsigned plan, const char *results)
{
    start();
    ktap_begin(&k);
    ktap_plan(&k, plan);
    for (const char *r = results; *r; r++)
        ktap_result(&k, "t", *r == 'p' ? RESULT_PASS : *r == 's' ? RESULT_SKIP :
                    *r == 'f' ? RESULT_FAIL : *r == 't' ? RESULT_TIMEOUT : RESULT_ERROR, "why");
    ktap_end(&k);
    return ktap_exit_status(&k);
}

static void test_exit_status(void)
{
    CHECK_EQ(EXIT_STATUS_OK, 33);
    CHECK_EQ(EXIT_STATUS_FAIL, 35);
    CHECK_EQ(EXIT_STATUS_ALL_SKIPPED, 37);
    CHECK_EQ(EXIT_STATUS_ERROR, 39);
    CHECK_EQ(status(3, "ppp"), 33);
    CHECK_EQ(status(3, "psp"), 33);         /* skips allowed */
    CHECK_EQ(status(3, "pfp"), 35);
    CHECK_EQ(status(2, "fs"), 35);
    CHECK_EQ(status(2, "pt"), 35);          /* a TIMEOUT is a not ok */
    CHECK_EQ(status(3, "sss"), 37);
    CHECK_EQ(status(1, "s"), 37);
    CHECK_EQ(status(1, "e"), 39);
    CHECK_EQ(status(3, "pep"), 39);
    CHECK_EQ(status(3, "fes"), 39);
    CHECK_EQ(status(3, "pp"), 39);          /* fewer results than planned */
    CHECK_EQ(status(3, "ss"), 39);
    CHECK_EQ(status(1, ""), 39);
    CHECK_STR(strstr(cap.text, "# svmtest-end"), "# svmtest-end pass=0 fail=0 skip=0 error=0\n");
    status(4, "pfse");
    CHECK_STR(strstr(cap.text, "# svmtest-end"), "# svmtest-end pass=1 fail=1 skip=1 error=1\n");
    CHECK_EQ(status(2, "ppp"), 39);         /* more results than planned */
    CHECK_STR(result_name(RESULT_PASS), "ok");
    CHECK_STR(result_name(RESULT_SKIP), "SKIP");
    CHECK_STR(result_name(RESULT_FAIL), "not ok");
    CHECK_STR(result_name(RESULT_TIMEOUT), "TIMEOUT");
    CHECK_STR(result_name(RESULT_ERROR), "ERROR");
}

SUITE(ktap)
{
    test_lines();
    test_exit_status();
}
