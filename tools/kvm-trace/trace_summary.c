#include "trace_summary.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "svm/exit_decode.h"

#define RESET_VECTOR_PAGE 0xfffff000ull /* APM vol. 2, 14.1.5: CS base 0xffff0000, RIP 0xfff0 */
#define PAGE_MASK_4K (~0xfffull)
#define SHOWN 4 /* distinct events of each kind printed */

/* KVM's names (arch/x86/include/uapi/asm/svm.h, SVM_EXIT_REASONS) that are
 * not svmtest's (svm/exit_decode.c) in lower case. */
static const struct { const char *kvm; uint64_t code; } irregular[] = {
    { "interrupt", VMEXIT_INTR }, { "io", VMEXIT_IOIO }, { "hypercall", VMEXIT_VMMCALL },
    { "read_idtr", 0x066 }, { "read_gdtr", 0x067 }, { "read_ldtr", 0x068 }, { "read_rt", 0x069 },
    { "write_idtr", 0x06a }, { "write_gdtr", 0x06b }, { "write_ldtr", 0x06c }, { "write_rt", 0x06d },
    { "write_efer_trap", 0x08f }, { "efer_trap", 0x08f },
    { "avic_unaccelerated_access", 0x402 }, { "invalid_guest_state", VMEXIT_INVALID },
    { "invalid", VMEXIT_INVALID }, { "err", VMEXIT_INVALID },
};

static int same_name(const char *svmtest, const char *kvm_upper)
{
    return strcmp(svmtest, kvm_upper) == 0;
}

int trace_reason_code(const char *reason, uint64_t *code)
{
    char up[40];
    size_t n = strlen(reason);
    unsigned reg;
    char excp[8];

    for (size_t i = 0; i < sizeof irregular / sizeof irregular[0]; i++)
        if (strcmp(reason, irregular[i].kvm) == 0) {
            *code = irregular[i].code;
            return 1;
        }
    /* read_cr3, write_cr4, read_dr7, write_cr0_trap */
    if (sscanf(reason, "read_cr%u", &reg) == 1 && reg < 16) {
        *code = reg;
        return 1;
    }
    if (sscanf(reason, "write_cr%u", &reg) == 1 && reg < 16) {
        *code = (strstr(reason, "_trap") ? 0x90 : 0x10) + reg;
        return 1;
    }
    if (sscanf(reason, "read_dr%u", &reg) == 1 && reg < 16) {
        *code = 0x20 + reg;
        return 1;
    }
    if (sscanf(reason, "write_dr%u", &reg) == 1 && reg < 16) {
        *code = 0x30 + reg;
        return 1;
    }
    /* "PF excp" -> EXCP_PF */
    if (sscanf(reason, "%7s excp", excp) == 1 && strstr(reason, " excp")) {
        snprintf(up, sizeof up, "EXCP_%s", excp);
        for (uint64_t c = VMEXIT_EXCP_BASE; c < VMEXIT_EXCP_BASE + 32; c++)
            if (same_name(exit_code_name(c), up)) {
                *code = c;
                return 1;
            }
        return 0;
    }
    if (n >= sizeof up)
        return 0;
    for (size_t i = 0; i <= n; i++)
        up[i] = (char)(reason[i] >= 'a' && reason[i] <= 'z' ? reason[i] - 'a' + 'A' : reason[i]);
    for (uint64_t c = 0x60; c < 0x410; c++)
        if (same_name(exit_code_name(c), up)) {
            *code = c;
            return 1;
        }
    return 0;
}

/* the value after " KEY " in LINE (hex, 0x optional); 0 if absent */
static int field_hex(const char *line, const char *key, uint64_t *v)
{
    char pat[24];
    const char *p;
    char *end;

    snprintf(pat, sizeof pat, " %s ", key);
    p = strstr(line, pat);
    if (!p)
        return 0;
    p += strlen(pat);
    *v = strtoull(p, &end, 16);
    return end != p;
}

static const char *event_of(const char *line, const char *name)
{
    char pat[40];
    const char *p;

    snprintf(pat, sizeof pat, " %s: ", name);
    p = strstr(line, pat);
    if (!p && strncmp(line, pat + 1, strlen(pat) - 1) == 0)
        return line + strlen(pat) - 2;
    return p ? p + strlen(pat) - 1 : NULL;
}

int trace_parse_exit(const char *line, struct trace_exit *out)
{
    const char *p = event_of(line, "kvm_exit"), *r;
    size_t n = 0;

    if (!p)
        return 0;
    memset(out, 0, sizeof *out);
    r = strstr(p, " reason ");
    if (!r)
        return 0;
    r += strlen(" reason ");
    /* KVM's name may hold one space ("PF excp"); it ends before " rip " */
    const char *stop = strstr(r, " rip ");
    n = stop ? (size_t)(stop - r) : strcspn(r, " ");
    if (n >= sizeof out->reason)
        n = sizeof out->reason - 1;
    memcpy(out->reason, r, n);
    out->reason[n] = 0;
    out->code_known = trace_reason_code(out->reason, &out->code);
    field_hex(p, "rip", &out->rip);
    if (!field_hex(p, "info1", &out->info1)) {
        /* older kernels: "info %llx %llx" */
        const char *i = strstr(p, " info ");
        if (i) {
            char *end;
            out->info1 = strtoull(i + 6, &end, 16);
            out->info2 = strtoull(end, NULL, 16);
        }
    } else {
        field_hex(p, "info2", &out->info2);
    }
    return 1;
}

void trace_summary_init(struct trace_summary *s)
{
    memset(s, 0, sizeof *s);
}

static int same_exit(const struct trace_exit *a, const struct trace_exit *b)
{
    return strcmp(a->reason, b->reason) == 0 && a->rip == b->rip && a->info1 == b->info1 &&
           a->info2 == b->info2;
}

/* the group equal to KEY (by CMP), or a new one; when all are taken, the
 * rarest one (the oldest of those) makes room, its count going to *OTHER:
 * a firmware's many one-off exits never hide the loop that follows them */
static struct trace_count *group(struct trace_count *g, size_t *n, const struct trace_count *key,
                                 int (*cmp)(const struct trace_count *, const struct trace_count *),
                                 unsigned long *other)
{
    size_t slot = *n;

    for (size_t i = 0; i < *n; i++)
        if (cmp(&g[i], key))
            return &g[i];
    if (*n == TRACE_GROUPS) {
        slot = 0;
        for (size_t i = 1; i < *n; i++)
            if (g[i].count < g[slot].count)
                slot = i;
        *other += g[slot].count;
        for (size_t i = slot; i + 1 < *n; i++)  /* keep the order of first sight */
            g[i] = g[i + 1];
        slot = *n - 1;
    } else {
        (*n)++;
    }
    g[slot] = *key;
    g[slot].count = 0;
    return &g[slot];
}

static int cmp_exit(const struct trace_count *a, const struct trace_count *b)
{
    return same_exit(&a->exit, &b->exit);
}
static int cmp_fault(const struct trace_count *a, const struct trace_count *b)
{
    return a->address == b->address && a->error_code == b->error_code;
}
static int cmp_spte(const struct trace_count *a, const struct trace_count *b)
{
    return a->gfn == b->gfn && a->level == b->level;
}

int trace_exit_async(const struct trace_exit *e)
{
    if (!e->code_known)
        return 0;
    return e->code == VMEXIT_INTR || e->code == VMEXIT_NMI || e->code == VMEXIT_SMI ||
           e->code == VMEXIT_INIT || e->code == VMEXIT_VINTR;
}

/* L2's own exits: identical ones in a row, skipping the asynchronous ones
 * that came at the same RIP (L2 still at that instruction); one elsewhere
 * ends the run (L2 has moved on) */
static void add_own(struct trace_summary *s, const struct trace_exit *e)
{
    if (trace_exit_async(e)) {
        if (s->own_run && e->rip == s->last_own.rip)
            s->async_in_run++;
        else
            s->own_run = 0;
        return;
    }
    if (s->own_run && same_exit(&s->last_own, e)) {
        s->own_run++;
        return;
    }
    s->own_run = 1;
    s->async_in_run = 0;
    s->last_own = *e;
}

void trace_summary_add(struct trace_summary *s, const char *line)
{
    struct trace_count key;
    const char *p;

    memset(&key, 0, sizeof key);
    if (trace_parse_exit(line, &key.exit)) {
        s->exits++;
        s->run = s->run && same_exit(&s->last, &key.exit) ? s->run + 1 : 1;
        s->last = key.exit;
        add_own(s, &key.exit);
        group(s->exit, &s->n_exits, &key, cmp_exit, &s->other_exits)->count++;
    } else if ((p = event_of(line, "kvm_page_fault"))) {
        s->faults++;
        field_hex(p, "address", &key.address);
        field_hex(p, "error_code", &key.error_code);
        group(s->fault, &s->n_faults, &key, cmp_fault, &s->other_faults)->count++;
    } else if ((p = event_of(line, "kvm_mmu_spte_requested"))) {
        s->sptes++;
        field_hex(p, "gfn", &key.gfn);
        field_hex(p, "level", &key.level);
        group(s->spte, &s->n_sptes, &key, cmp_spte, &s->other_sptes)->count++;
    }
}

static const struct trace_count *most(const struct trace_count *g, size_t n, const struct trace_count *below)
{
    const struct trace_count *best = NULL;

    /* the most frequent group after BELOW (ties: first seen) */
    for (size_t i = 0; i < n; i++) {
        if (below && (g[i].count > below->count || (g[i].count == below->count && &g[i] <= below)))
            continue;
        if (!best || g[i].count > best->count)
            best = &g[i];
    }
    return best;
}

static const char *exit_name(const struct trace_exit *e)
{
    return e->code_known ? exit_code_name(e->code) : e->reason;
}

/* RUN identical exits E, host interrupts only: L2 spins in guest mode */
static int spins(const struct trace_exit *e, unsigned long run)
{
    return e->code_known && e->code == VMEXIT_INTR && run >= TRACE_SPIN_MIN;
}

/* What the pattern is judged on: a spin's run of host interrupts, else the
 * run of L2's own exits (the asynchronous ones among them in *ASYNC), else
 * (only a few asynchronous exits) the newest run. */
static const struct trace_exit *tail(const struct trace_summary *s, unsigned long *run,
                                     unsigned long *async)
{
    *async = 0;
    if (spins(&s->last, s->run) || !s->own_run) {
        *run = s->run;
        return &s->last;
    }
    *run = s->own_run;
    *async = s->async_in_run;
    return &s->last_own;
}

void trace_pattern(const struct trace_summary *s, char *buf, size_t size)
{
    unsigned long run, async;
    const struct trace_exit *e = tail(s, &run, &async);

    if (!s->exits) {
        snprintf(buf, size, "KVM recorded no exit of L2: L2 never ran, or runs without ever exiting");
        return;
    }
    if (spins(e, run)) {
        snprintf(buf, size, "L2 spins in guest mode at RIP 0x%llx: only host interrupts make it exit "
                 "(no I/O, no fault), so it never reaches its serial port",
                 (unsigned long long)e->rip);
        return;
    }
    if (run < TRACE_STORM_MIN) {
        snprintf(buf, size, "no repeating exit: L2 runs and exits for varied reasons, but prints nothing "
                 "(the exits above)");
        return;
    }
    if (e->code_known && e->code == VMEXIT_NPF && !(e->info1 & NPF_PRESENT) &&
        (e->info2 & PAGE_MASK_4K) == RESET_VECTOR_PAGE) {
        snprintf(buf, size, "L2 is stuck in an #NPF storm at GPA 0x%llx (fetch at the reset vector): "
                 "L1's KVM built NPT with fewer levels than the CPU walks",
                 (unsigned long long)RESET_VECTOR_PAGE);
        return;
    }
    if (e->code_known && e->code == VMEXIT_NPF) {
        snprintf(buf, size, "L2 is stuck in an #NPF storm at GPA 0x%llx (RIP 0x%llx): KVM handles the "
                 "fault and the CPU takes the same one again",
                 (unsigned long long)(e->info2 & PAGE_MASK_4K), (unsigned long long)e->rip);
        return;
    }
    snprintf(buf, size, "L2 is stuck exiting with %s at RIP 0x%llx over and over", exit_name(e),
             (unsigned long long)e->rip);
}

struct out { char *buf; size_t size, len; };

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct out *o, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(o->len < o->size ? o->buf + o->len : NULL, o->len < o->size ? o->size - o->len : 0,
                  fmt, ap);
    va_end(ap);
    if (n > 0)
        o->len += (size_t)n;
}

static void percent(struct out *o, unsigned long part, unsigned long whole)
{
    put(o, " (%lu%%)", whole ? part * 100 / whole : 0);
}

static void put_exit(struct out *o, const struct trace_exit *e)
{
    char bits[96];

    put(o, "%s rip=0x%016llx exitinfo1=0x%016llx exitinfo2=0x%016llx", exit_name(e),
        (unsigned long long)e->rip, (unsigned long long)e->info1, (unsigned long long)e->info2);
    if (e->code_known && e->code == VMEXIT_NPF) {
        npf_describe(e->info1, bits, sizeof bits);
        put(o, " %s", bits);
    }
}

size_t trace_summary_format(const struct trace_summary *s, char *buf, size_t size)
{
    struct out o = { buf, size, 0 };
    const struct trace_count *g;
    char pattern[256];

    if (size)
        buf[0] = 0;
    put(&o, "exits (kvm_exit): %lu, %zu distinct%s\n", s->exits, s->n_exits,
        s->other_exits ? " and more" : "");
    g = NULL;
    for (int i = 0; i < SHOWN && (g = most(s->exit, s->n_exits, g)); i++) {
        put(&o, "  %lu x ", g->count);
        put_exit(&o, &g->exit);
        percent(&o, g->count, s->exits);
        put(&o, "\n");
    }
    if (s->exits) {
        unsigned long run, async;
        const struct trace_exit *e = tail(s, &run, &async);

        put(&o, "the trace ends with %lu identical exit%s: ", run, run == 1 ? "" : "s");
        put_exit(&o, e);
        put(&o, "\n");
        if (async)
            put(&o, "  not counted: %lu asynchronous exit%s (host interrupt, NMI, SMI, INIT, "
                "interrupt window) among and after them\n", async, async == 1 ? "" : "s");
    }
    if (s->faults) {
        put(&o, "page faults (kvm_page_fault): %lu, %zu distinct\n", s->faults, s->n_faults);
        g = NULL;
        for (int i = 0; i < SHOWN && (g = most(s->fault, s->n_faults, g)); i++) {
            put(&o, "  %lu x address=0x%016llx error_code=0x%llx", g->count,
                (unsigned long long)g->address, (unsigned long long)g->error_code);
            percent(&o, g->count, s->faults);
            put(&o, "\n");
        }
    }
    if (s->sptes) {
        put(&o, "mappings KVM made (kvm_mmu_spte_requested): %lu, %zu distinct\n", s->sptes, s->n_sptes);
        g = NULL;
        for (int i = 0; i < SHOWN && (g = most(s->spte, s->n_sptes, g)); i++) {
            put(&o, "  %lu x gfn=0x%llx (GPA 0x%llx) level=%llu", g->count, (unsigned long long)g->gfn,
                (unsigned long long)(g->gfn << 12), (unsigned long long)g->level);
            percent(&o, g->count, s->sptes);
            put(&o, "\n");
        }
    }
    trace_pattern(s, pattern, sizeof pattern);
    put(&o, "pattern: %s\n", pattern);
    return o.len;
}
