/* tools/kvm-trace/trace_summary.c: KVM's tracefs text from a silent L2,
 * summarised with svmtest's exit names, and the pattern named. The lines are
 * written as 5.10 and 6.1 print them (arch/x86/kvm/trace.h kvm_exit,
 * kvm_page_fault; arch/x86/kvm/mmu/mmutrace.h kvm_mmu_spte_requested). */
#include <stdint.h>
#include <stdio.h>

#include "check.h"
#include "tools/kvm-trace/trace_summary.h"

#define EXIT_510 " qemu-system-x86-171 [001] d..2 41.5: kvm_exit: vcpu 0 reason npf rip 0xfff0 " \
    "info1 0x0000000100000014 info2 0x00000000fffffff0 intr_info 0x00000000 error_code 0x00000000\n"
#define FAULT_510 " qemu-system-x86-171 [001] .... 41.5: kvm_page_fault: address fffffff0 error_code 14\n"
#define SPTE_510 " qemu-system-x86-171 [001] .... 41.5: kvm_mmu_spte_requested: gfn fffff pfn 3a4f1 level 1\n"
#define FAULT_61 " qemu-system-x86-190 [000] ..... 12.1: kvm_page_fault: vcpu 0 rip 0xfff0 " \
    "address 0x00000000fffffff0 error_code 0x100000014\n"

static const char *pattern_of(const struct trace_summary *s)
{
    static char buf[256];
    trace_pattern(s, buf, sizeof buf);
    return buf;
}

static void feed(struct trace_summary *s, const char *line, int times)
{
    for (int i = 0; i < times; i++)
        trace_summary_add(s, line);
}

static void test_reasons(void)
{
    uint64_t c = 0;
    CHECK(trace_reason_code("npf", &c) && c == 0x400);
    CHECK(trace_reason_code("hypercall", &c) && c == 0x81);   /* KVM's name for VMMCALL */
    CHECK(trace_reason_code("vmmcall", &c) && c == 0x81);
    CHECK(trace_reason_code("io", &c) && c == 0x7b);
    CHECK(trace_reason_code("interrupt", &c) && c == 0x60);
    CHECK(trace_reason_code("msr", &c) && c == 0x7c);
    CHECK(trace_reason_code("PF excp", &c) && c == 0x4e);
    CHECK(trace_reason_code("MC excp", &c) && c == 0x52);
    CHECK(trace_reason_code("read_cr3", &c) && c == 0x03);
    CHECK(trace_reason_code("write_cr4", &c) && c == 0x14);
    CHECK(trace_reason_code("write_cr8_trap", &c) && c == 0x98);
    CHECK(trace_reason_code("write_dr7", &c) && c == 0x37);
    CHECK(trace_reason_code("shutdown", &c) && c == 0x7f);
    CHECK(trace_reason_code("avic_unaccelerated_access", &c) && c == 0x402);
    CHECK(!trace_reason_code("no_such_exit", &c));
}

static void test_parse(void)
{
    struct trace_exit e;
    CHECK(trace_parse_exit(EXIT_510, &e));
    CHECK_STR(e.reason, "npf");
    CHECK(e.code_known);
    CHECK_EQ(e.code, 0x400);
    CHECK_EQ(e.rip, 0xfff0);
    CHECK_EQ(e.info1, 0x100000014ull);
    CHECK_EQ(e.info2, 0xfffffff0ull);
    CHECK(trace_parse_exit("kvm_exit: vcpu 1 reason PF excp rip 0x1234 info1 0x2 info2 0x7000", &e));
    CHECK_STR(e.reason, "PF excp");
    CHECK_EQ(e.code, 0x4e);
    CHECK_EQ(e.info2, 0x7000);
    /* kernels before 5.7: "info %llx %llx" */
    CHECK(trace_parse_exit(" q-1 [000] 1.0: kvm_exit: reason npf rip 0xfff0 info 100000014 fffffff0", &e));
    CHECK_EQ(e.info1, 0x100000014ull);
    CHECK_EQ(e.info2, 0xfffffff0ull);
    CHECK(!trace_parse_exit(FAULT_510, &e));
    CHECK(!trace_parse_exit("# tracer: nop", &e));
}

/* the hang svmtest exists for: 5.10 with 5-level paging, 4-level NPT */
static void test_reset_vector_storm(void)
{
    static struct trace_summary s;
    static char out[4096];
    trace_summary_init(&s);
    trace_summary_add(&s, "# tracer: nop\n");
    for (int i = 0; i < 200; i++) {
        feed(&s, EXIT_510, 1);
        feed(&s, FAULT_510, 1);
        feed(&s, SPTE_510, 1);
    }
    CHECK_EQ(s.exits, 200);
    CHECK_EQ(s.n_exits, 1);
    CHECK_STR(pattern_of(&s), "L2 is stuck in an #NPF storm at GPA 0xfffff000 (fetch at the reset vector): "
                              "L1's KVM built NPT with fewer levels than the CPU walks");
    trace_summary_format(&s, out, sizeof out);
    CHECK(strstr(out, "exits (kvm_exit): 200, 1 distinct\n"));
    CHECK(strstr(out, "  200 x NPF rip=0x000000000000fff0 exitinfo1=0x0000000100000014 "
                      "exitinfo2=0x00000000fffffff0 [not-present user fetch final] (100%)\n"));
    CHECK(strstr(out, "  200 x address=0x00000000fffffff0 error_code=0x14 (100%)\n"));
    CHECK(strstr(out, "  200 x gfn=0xfffff (GPA 0xfffff000) level=1 (100%)\n"));
    CHECK(strstr(out, "\nthe trace ends with 200 identical exits: NPF rip=0x000000000000fff0 "
                      "exitinfo1=0x0000000100000014 exitinfo2=0x00000000fffffff0 [not-present user fetch final]\n"));
    CHECK(strstr(out, "\npattern: L2 is stuck in an #NPF storm at GPA 0xfffff000"));
    /* the same in 6.1's format, with a few other exits before the storm */
    trace_summary_init(&s);
    feed(&s, "kvm_exit: vcpu 0 reason io rip 0xe05b info1 0x0000000000700210 info2 0x0 intr_info 0x0\n", 3);
    feed(&s, EXIT_510, 60);
    feed(&s, FAULT_61, 60);
    CHECK(strstr(pattern_of(&s), "#NPF storm at GPA 0xfffff000 (fetch at the reset vector)"));
    trace_summary_format(&s, out, sizeof out);
    CHECK(strstr(out, "  60 x NPF rip="));
    CHECK(strstr(out, "  3 x IOIO rip=0x000000000000e05b"));
    CHECK(strstr(out, "error_code=0x100000014 (100%)"));
}

#define INTR_AT_FFF0 "kvm_exit: vcpu 0 reason interrupt rip 0xfff0 info1 0x0 info2 0x0\n"

/* host interrupts come whatever L2 does: one among or after a storm, at the
 * storm's RIP, is skipped (CI's trace once ended with one) */
static void test_storm_with_interrupts(void)
{
    static struct trace_summary s;
    static char out[4096];
    struct trace_exit e;

    CHECK(trace_parse_exit(INTR_AT_FFF0, &e) && trace_exit_async(&e));
    CHECK(trace_parse_exit("kvm_exit: vcpu 0 reason vintr rip 0x0 info1 0x0 info2 0x0", &e) &&
          trace_exit_async(&e));
    CHECK(trace_parse_exit("kvm_exit: vcpu 0 reason nmi rip 0x0 info1 0x0 info2 0x0", &e) &&
          trace_exit_async(&e));
    CHECK(trace_parse_exit(EXIT_510, &e) && !trace_exit_async(&e));
    CHECK(trace_parse_exit("kvm_exit: vcpu 0 reason no_such rip 0x0 info1 0x0 info2 0x0", &e) &&
          !trace_exit_async(&e));
    /* the trace CI printed: 199 faults, then a timer tick */
    trace_summary_init(&s);
    for (int i = 0; i < 199; i++) {
        feed(&s, EXIT_510, 1);
        feed(&s, FAULT_510, 1);
        feed(&s, SPTE_510, 1);
    }
    feed(&s, INTR_AT_FFF0, 1);
    CHECK_EQ(s.run, 1);
    CHECK_EQ(s.own_run, 199);
    CHECK_EQ(s.async_in_run, 1);
    CHECK_STR(pattern_of(&s), "L2 is stuck in an #NPF storm at GPA 0xfffff000 (fetch at the reset vector): "
                              "L1's KVM built NPT with fewer levels than the CPU walks");
    trace_summary_format(&s, out, sizeof out);
    CHECK(strstr(out, "\nthe trace ends with 199 identical exits: NPF rip=0x000000000000fff0 "
                      "exitinfo1=0x0000000100000014 exitinfo2=0x00000000fffffff0 [not-present user fetch final]\n"
                      "  not counted: 1 asynchronous exit (host interrupt, NMI, SMI, INIT, interrupt window) "
                      "among and after them\n"));
    CHECK(strstr(out, "  1 x INTR rip=0x000000000000fff0 "));
    /* ticks among the faults too, of several kinds */
    trace_summary_init(&s);
    feed(&s, EXIT_510, 10);
    feed(&s, INTR_AT_FFF0, 1);
    feed(&s, EXIT_510, 10);
    feed(&s, "kvm_exit: vcpu 0 reason nmi rip 0xfff0 info1 0x0 info2 0x0\n", 1);
    feed(&s, EXIT_510, 3);
    CHECK_EQ(s.own_run, 23);
    CHECK_EQ(s.async_in_run, 2);
    CHECK(strstr(pattern_of(&s), "#NPF storm at GPA 0xfffff000 (fetch at the reset vector)"));
    trace_summary_format(&s, out, sizeof out);
    CHECK(strstr(out, "\nthe trace ends with 23 identical exits: NPF "));
    CHECK(strstr(out, "  not counted: 2 asynchronous exits "));
    /* an interrupt at another RIP: L2 has left the storm, and few of them
     * are no spin */
    trace_summary_init(&s);
    feed(&s, EXIT_510, 80);
    feed(&s, "kvm_exit: vcpu 0 reason interrupt rip 0x1234 info1 0x0 info2 0x0\n", 2);
    CHECK_EQ(s.own_run, 0);
    CHECK(strstr(pattern_of(&s), "no repeating exit"));
    trace_summary_format(&s, out, sizeof out);
    CHECK(strstr(out, "\nthe trace ends with 2 identical exits: INTR rip=0x0000000000001234 "));
    CHECK(!strstr(out, "not counted"));
    /* nothing but interrupts at the storm's RIP: L2 no longer faults, it spins */
    trace_summary_init(&s);
    feed(&s, EXIT_510, 80);
    feed(&s, INTR_AT_FFF0, TRACE_SPIN_MIN);
    CHECK(strstr(pattern_of(&s), "L2 spins in guest mode at RIP 0xfff0"));
    /* one fewer is still the storm */
    trace_summary_init(&s);
    feed(&s, EXIT_510, 80);
    feed(&s, INTR_AT_FFF0, TRACE_SPIN_MIN - 1);
    CHECK(strstr(pattern_of(&s), "#NPF storm at GPA 0xfffff000"));
}

static void test_other_patterns(void)
{
    static struct trace_summary s;
    /* nothing at all */
    trace_summary_init(&s);
    CHECK(strstr(pattern_of(&s), "KVM recorded no exit of L2"));
    /* an #NPF storm elsewhere: a present fault (a permission KVM does not fix) */
    trace_summary_init(&s);
    feed(&s, "kvm_exit: vcpu 0 reason npf rip 0x1000 info1 0x0000000100000007 info2 0x0000000000200000\n", 40);
    CHECK_STR(pattern_of(&s), "L2 is stuck in an #NPF storm at GPA 0x200000 (RIP 0x1000): KVM handles the "
                              "fault and the CPU takes the same one again");
    /* a not-present fault at the reset vector that only came a few times is no storm */
    trace_summary_init(&s);
    feed(&s, EXIT_510, 5);
    CHECK(strstr(pattern_of(&s), "no repeating exit"));
    /* nor a storm that L2 has left: the trace ends with other exits */
    trace_summary_init(&s);
    feed(&s, EXIT_510, 80);
    feed(&s, "kvm_exit: vcpu 0 reason cpuid rip 0x10 info1 0x0 info2 0x0\n", 1);
    feed(&s, "kvm_exit: vcpu 0 reason cpuid rip 0x12 info1 0x0 info2 0x0\n", 1);
    CHECK(strstr(pattern_of(&s), "no repeating exit"));
    CHECK_EQ(s.run, 1);
    /* only host interrupts at one RIP at the end (after a firmware's varied
     * exits): L2 spins in guest mode */
    trace_summary_init(&s);
    for (int i = 0; i < 50; i++) {
        static char line[160];
        snprintf(line, sizeof line, "kvm_exit: vcpu 0 reason npf rip 0xea664 info1 0x100000006 info2 0x%x\n",
                 0x3bfff - i * 0x1000);
        trace_summary_add(&s, line);
    }
    feed(&s, "kvm_exit: vcpu 0 reason interrupt rip 0x10000a info1 0x0 info2 0x0\n", 2);
    feed(&s, "kvm_exit: vcpu 0 reason interrupt rip 0x100021 info1 0x0 info2 0x0\n", 30);
    CHECK_STR(pattern_of(&s), "L2 spins in guest mode at RIP 0x100021: only host interrupts make it exit "
                              "(no I/O, no fault), so it never reaches its serial port");
    static char out[4096];
    trace_summary_format(&s, out, sizeof out);
    CHECK(strstr(out, "  30 x INTR rip=0x0000000000100021 exitinfo1=0x0000000000000000 "
                      "exitinfo2=0x0000000000000000 (36%)\n"));
    CHECK(strstr(out, "\nthe trace ends with 30 identical exits: INTR rip=0x0000000000100021 "));
    /* a few interrupts are not yet a spin */
    trace_summary_init(&s);
    feed(&s, "kvm_exit: vcpu 0 reason interrupt rip 0x100021 info1 0x0 info2 0x0\n", 3);
    CHECK(strstr(pattern_of(&s), "no repeating exit"));
    /* any other exit over and over, with svmtest's name for it */
    trace_summary_init(&s);
    feed(&s, "kvm_exit: vcpu 0 reason hlt rip 0x7c00 info1 0x0 info2 0x0\n", 20);
    CHECK_STR(pattern_of(&s), "L2 is stuck exiting with HLT at RIP 0x7c00 over and over");
}

static void test_many_groups(void)
{
    static struct trace_summary s;
    static char line[200], out[8192];
    trace_summary_init(&s);
    for (int i = 0; i < TRACE_GROUPS + 5; i++) {
        snprintf(line, sizeof line, "kvm_exit: vcpu 0 reason cpuid rip 0x%x info1 0x0 info2 0x0\n", i);
        trace_summary_add(&s, line);
    }
    CHECK_EQ(s.exits, TRACE_GROUPS + 5);
    CHECK_EQ(s.n_exits, TRACE_GROUPS);
    CHECK_EQ(s.other_exits, 5);
    /* the oldest rare ones made room: the newest is still counted */
    CHECK_EQ(s.exit[TRACE_GROUPS - 1].exit.rip, TRACE_GROUPS + 4);
    CHECK_EQ(s.exit[0].exit.rip, 5);
    CHECK(trace_summary_format(&s, out, sizeof out) < sizeof out);
    CHECK(strstr(out, "distinct and more"));
    /* a buffer too small is cut, never overrun, and the length is still told */
    char tiny[16];
    size_t need = trace_summary_format(&s, tiny, sizeof tiny);
    CHECK(need > sizeof tiny);
    CHECK_EQ(strlen(tiny), sizeof tiny - 1);
}

SUITE(kvm_trace)
{
    test_reasons();
    test_parse();
    test_reset_vector_storm();
    test_storm_with_interrupts();
    test_other_patterns();
    test_many_groups();
}
