/* Summarising KVM's tracepoints (tracefs text: kvm_exit, kvm_page_fault,
 * kvm_mmu_spte_requested) from a silent L2: which exits repeat, decoded with
 * svmtest's own names (svm/exit_decode.c), and the pattern they form. Host
 * only (tools/kvm-nested); pure logic, unit-tested in tests/unit. */
#ifndef SVMTEST_TRACE_SUMMARY_H
#define SVMTEST_TRACE_SUMMARY_H

#include <stddef.h>
#include <stdint.h>

#define TRACE_GROUPS 32
/* Stuck: the trace ends with at least this many identical exits
 * (svmtest's npf_limit default); spinning: with this many host interrupts
 * at one RIP and nothing else. */
#define TRACE_STORM_MIN 16
#define TRACE_SPIN_MIN 8

struct trace_exit {
    uint64_t code;        /* SVM exit code (APM vol. 2, appendix C) */
    int code_known;       /* 0: KVM's reason name matched no exit code */
    char reason[32];      /* KVM's own name ("npf", "hypercall", "PF excp") */
    uint64_t rip, info1, info2;
};

struct trace_count {      /* one distinct event and how often it came */
    unsigned long count;
    struct trace_exit exit;      /* kvm_exit */
    uint64_t address, error_code; /* kvm_page_fault */
    uint64_t gfn, level;          /* kvm_mmu_spte_requested */
};

struct trace_summary {
    unsigned long exits, faults, sptes, other_exits, other_faults, other_sptes;
    struct trace_exit last;   /* the newest exit ... */
    unsigned long run;        /* ... and how many identical ones end the trace */
    /* The same for L2's own exits: the newest one that is not asynchronous
     * (a host interrupt, NMI, SMI, INIT or interrupt window, which come
     * whatever L2 does), how many identical ones end the trace when the
     * asynchronous ones at their RIP are skipped, and how many of those came
     * among and after them (0 run: none, or L2 has moved on). A storm with
     * a timer tick in it is still a storm. */
    struct trace_exit last_own;
    unsigned long own_run, async_in_run;
    size_t n_exits, n_faults, n_sptes;
    struct trace_count exit[TRACE_GROUPS], fault[TRACE_GROUPS], spte[TRACE_GROUPS];
};

/* KVM's exit reason name -> SVM exit code; 0 when unknown. */
int trace_reason_code(const char *reason, uint64_t *code);
/* 1 and *out filled when LINE is a kvm_exit event. */
int trace_parse_exit(const char *line, struct trace_exit *out);

void trace_summary_init(struct trace_summary *s);
void trace_summary_add(struct trace_summary *s, const char *line);
/* 1 for the exits that come whatever L2 does (APM vol. 2, 15.13
 * "Interrupt Intercepts": INTR, NMI, SMI, INIT; and VINTR, the interrupt
 * window KVM asks for). */
int trace_exit_async(const struct trace_exit *e);
/* The pattern the newest events form, one sentence, into BUF: judged on
 * the run of identical exits that ends the trace (what L2 does now): only
 * host interrupts at one RIP, else L2's own exits with asynchronous ones
 * skipped. */
void trace_pattern(const struct trace_summary *s, char *buf, size_t size);
/* The whole summary: the most frequent events of each kind, decoded, then
 * "pattern: ..." last. Returns the length it needed. */
size_t trace_summary_format(const struct trace_summary *s, char *buf, size_t size);

#endif
