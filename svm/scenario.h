/* What every scenario shares: its description, fresh guest memory and NPT,
 * the vCPU, and the diagnostics that explain a run. */
#ifndef SVMTEST_SCENARIO_H
#define SVMTEST_SCENARIO_H

#include "caps.h"
#include "catalog.h"
#include "guest_layout.h"
#include "kernel/bootinfo.h"
#include "kernel/config.h"
#include "kernel/report/ktap.h"
#include "npt/guest_mem.h"
#include "vcpu.h"

#define SCENARIO_SETUP_LINES 3
#define SCENARIO_LINE_MAX 200

struct scenario {
    const struct scenario_desc *desc;
    const struct config *cfg;
    const struct svm_caps *caps;    /* the running CPU's */
    const struct boot_info *boot;   /* the loader's memory map (large leaves), or NULL */
    int hang;                   /* selftest=guest-hang: the guest spins */
    struct page_pool *pool;
    struct guest_mem mem;
    uint64_t ncr3;
    struct vcpu vcpu;
    char reason[160];           /* for SKIP, TIMEOUT, ERROR directives */
    /* What the scenario built ("<name>: host=... ncr3=..." lines): printed
     * before the run when detailed, else only as evidence of a not ok. */
    char setup[SCENARIO_SETUP_LINES][SCENARIO_LINE_MAX];
    unsigned setup_lines;
    int setup_shown;
    char why[SCENARIO_LINE_MAX]; /* "expected ...; observed ..." of a not ok */
    const struct run_result *run; /* the last scenario_run's */
};

/* Switch the host to the scenario's paging depth, start fresh guest memory
 * and NPT root, reset the vCPU. Returns RESULT_PASS or an ERROR. */
enum result scenario_prepare(struct scenario *s);

/* A guest code page at GPA_CODE_PAGE holding image, with params written in. */
struct guest_page *scenario_code_page(struct scenario *s, const uint8_t *image,
                                      struct guest_params params);
/* One 4 KiB host page holding image and params, outside guest memory (the
 * probe maps two of them at the same GPA). Returns its host address. */
uint64_t scenario_loose_code_page(struct scenario *s, const uint8_t *image,
                                  struct guest_params params);
struct guest_params scenario_params(const struct scenario *s);

/* How much a scenario shows (SPEC.md "Output"). At verbose=0 the report
 * keeps what proves the answer: the #NPFs, the VMMCALL, the verdict and the
 * result. The setup lines and the software walks are shown when the
 * scenario is detailed (verbose>=1, or host5_npt4_demand, the KVM case the
 * contract shows in full) and, whatever verbose says, as the evidence of a
 * scenario whose outcome does not match the model. */
int scenario_detailed(const struct scenario *s);

/* Add a setup line (printf-style); printed at once when detailed. */
void scenario_setup(struct scenario *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Whether the evidence of a run judged res is shown: detailed, or res is
 * not a pass; then the setup lines not yet printed come first, and the
 * run's #NPF where scenario_run kept it quiet (groups gptfault and bits,
 * whose passing scenarios print their result line only at verbose=0). */
int scenario_show_evidence(struct scenario *s, enum result res);

/* "walk4 <gpa>: ..." and "walk5 <gpa>: ..." through the NPT (prefix "walk"),
 * or through the guest's own tables (prefix "gwalk", root is a GPA), with
 * the accessed/dirty bits the CPU sets masked; verbose=2 adds them on
 * "ad <prefix>N" lines, informative only. */
void scenario_print_walks(struct scenario *s, const char *prefix, uint64_t root, uint64_t addr,
                          int nested);
/* The NPT depth whose walk of gpa agrees with a not-present #NPF: the depth
 * at which the entry is missing while the other reaches the page; 0 if no
 * single depth explains it. */
int scenario_depth_explaining_npf(struct scenario *s, uint64_t gpa);

/* Run the guest (vcpu_run) after the verbose diagnostics: verbose=1 lists
 * the guest pages and where they live, verbose=2 adds the VMCB's state. */
void scenario_run(struct scenario *s, npf_handler on_npf, struct run_result *r);

/* Shared verdicts for runs that did not end as the scenario expects:
 * TIMEOUT and unexpected exits, explained (after the setup lines). Returns
 * RESULT_PASS if the run ended in a way the scenario judges itself. */
enum result scenario_judge_abnormal(struct scenario *s, const struct run_result *r);

/* Keep "<what>: expected X, observed Y" for scenario_finish and return
 * RESULT_FAIL (the first one kept wins). */
enum result scenario_mismatch(struct scenario *s, const char *what, uint64_t expected,
                              uint64_t observed);
/* Keep "expected: <want>; observed: <got>" likewise. */
enum result scenario_expected(struct scenario *s, const char *want, const char *got);
/* Print what scenario_mismatch/scenario_expected kept; returns res. */
enum result scenario_finish(struct scenario *s, enum result res);

/* The long-mode guest (svm/scn_guest.c): its code page (paging depth from
 * the scenario, read address read_va) and a fresh page-table root mapping
 * the code page at itself for walks of depths first..last. Returns the
 * root's GPA, or 0. */
uint64_t scenario_longmode_guest(struct scenario *s, uint64_t read_va, int first, int last);
/* Map va to gpa in the guest's own tables (present, writable); 1 if done. */
int scenario_guest_map(struct scenario *s, uint64_t root, int levels, uint64_t va, uint64_t gpa);
/* A guest page at gpa holding value in its first word; 1 if done. */
int scenario_value_page(struct scenario *s, uint64_t gpa, const char *what, uint32_t value);
/* RESULT_ERROR "could not build guest memory and tables". */
enum result scenario_build_error(struct scenario *s);

enum result scenario_reset(struct scenario *s);
enum result scenario_probe(struct scenario *s);
enum result scenario_guest(struct scenario *s);
enum result scenario_gptfault(struct scenario *s);
enum result scenario_bits(struct scenario *s);

#endif
