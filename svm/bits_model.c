#include "bits_model.h"

#include "guest_layout.h"
#include "npt/pt.h"
#include "vmcb.h"

/* Every #NPF of group bits: guest paging is off, so the access is the
 * final translation of a guest-physical address (EXITINFO1 bit 32); every
 * entry is present (bit 0: a protection or reserved-bit fault, not a
 * missing page); nested walks are user accesses (bit 2). AMD APM vol. 2,
 * 15.25.6 "Nested versus Guest Page Faults, Fault Ordering". */
#define NPF_PROTECTION (NPF_PRESENT | NPF_USER | NPF_FINAL_TRANSLATION)

enum walk_of { CODE_WALK, DATA_WALK };
/* Which access the fault comes from. */
enum fault_on {
    RUNS,             /* no fault: VMMCALL with the data marker */
    FIRST_FETCH,      /* the fetch at the reset vector */
    DATA_WRITE,       /* the write to the data page (fetches and reads pass) */
    FIRST_THROUGH,    /* the first access whose walk uses the entry */
};

/* One kind of change, as kvm-unit-tests' svm_npt.c has one case each. */
struct bits_rule {
    enum npt_bit bit;
    const char *bit_name;
    enum walk_of walk;        /* whose walk holds the edited entry */
    uint64_t set, clear;      /* BIT_RSVD: computed per level */
    enum fault_on fault;
    uint64_t extra;           /* EXITINFO1 bits beyond protection + access */
    uint64_t key;             /* the EXITINFO1 bit that tells this kind apart */
    const char *apm;
};

static const struct bits_rule rules[] = {
    /* NX in any level's entry forbids the fetch through it */
    { BIT_NX, "NX", CODE_WALK, PTE_NX, 0, FIRST_FETCH, 0, NPF_FETCH,
      "5.6 \"Page-Protection Checks\" (no-execute), 5.8 \"Protection Across Paging Hierarchy\"" },
    /* U/S clear at any level makes the page supervisor-only, and nested
     * walks are user accesses */
    { BIT_USER, "U/S", DATA_WALK, 0, PTE_U, FIRST_THROUGH, 0, NPF_USER,
      "5.6 \"Page-Protection Checks\" (user/supervisor), 15.25.5 \"Nested Table Walk\"" },
    /* R/W clear at any level makes the pages below read-only */
    { BIT_WRITE, "R/W", DATA_WALK, 0, PTE_W, DATA_WRITE, 0, NPF_WRITE,
      "5.6 \"Page-Protection Checks\" (read/write), 5.8 \"Protection Across Paging Hierarchy\"" },
    /* PS is reserved in PML5E/PML4E; address bits from MAXPHYADDR to 51
     * are reserved in every entry */
    { BIT_RSVD, "reserved", CODE_WALK, 0, 0, FIRST_FETCH, NPF_RESERVED, NPF_RESERVED,
      "5.3.3 \"4-Kbyte Page Translation\" (reserved fields), 5.4.1 \"Field Definitions\"" },
    /* large leaves: code and data through 2 MiB or 1 GiB pages */
    { BIT_LEAF_2M, "PS (2 MiB)", CODE_WALK, 0, 0, RUNS, 0, 0,
      "5.3.4 \"2-Mbyte Page Translation\"" },
    { BIT_LEAF_1G, "PS (1 GiB)", CODE_WALK, 0, 0, RUNS, 0, 0,
      "5.3.5 \"1-Gbyte Page Translation\"" },
    /* a run to VMMCALL leaves A on every entry walked, D on the written leaf */
    { BIT_AD, "A/D", DATA_WALK, 0, 0, RUNS, 0, 0,
      "5.4.2 \"Notes on Accessed and Dirty Bits\"" },
};

enum bits_match bits_compare(const struct bits_model *m, uint64_t exitinfo1)
{
    if (exitinfo1 == m->exitinfo1)
        return BITS_EQUAL;
    if (m->deviation && exitinfo1 == (m->exitinfo1 & ~m->deviation))
        return BITS_DEVIATION;
    return BITS_DIFFERENT;
}

int bits_entry_shared(uint64_t a, uint64_t b, int depth, int level)
{
    for (int l = depth; l >= level; l--)
        if (pt_index(a, l) != pt_index(b, l))
            return 0;
    return 1;
}

const char *bits_model_of(const struct scenario_desc *d, int host_nxe, unsigned maxphyaddr,
                          struct bits_model *m)
{
    const struct bits_rule *r = 0;
    for (unsigned i = 0; i < sizeof rules / sizeof rules[0]; i++)
        if (rules[i].bit == d->bit)
            r = &rules[i];
    *m = (struct bits_model){ 0 };
    if (!r)
        return "not a scenario of group bits";
    m->bit_name = r->bit_name;
    m->apm = r->apm;
    m->walk_gpa = r->walk == CODE_WALK ? GPA_CODE_PAGE : GPA_DATA_PAGE;
    m->set = r->set;
    m->clear = r->clear;
    if (r->bit == BIT_RSVD) {
        if (d->level >= 4) {
            m->set = PTE_PS;
            m->bit_name = "PS";
        } else if (maxphyaddr >= 52) {
            return "MAXPHYADDR is 52: no reserved physical-address bit";
        } else {
            m->set = 1ull << maxphyaddr;
            m->bit_name = "reserved address";
        }
    }
    enum fault_on on = r->fault;
    if (on == FIRST_THROUGH)
        on = bits_entry_shared(GPA_CODE_PAGE, GPA_DATA_PAGE, d->host, d->level) ? FIRST_FETCH
                                                                                : DATA_WRITE;
    if (on == RUNS) {
        m->model_text = "runs";
        return 0;
    }
    m->faults = 1;
    m->access = on == FIRST_FETCH ? ACCESS_FETCH : ACCESS_WRITE;
    m->gpa = on == FIRST_FETCH ? GPA_RESET_FETCH : GPA_DATA_PAGE;
    /* the I/D bit is reported when the host has EFER.NXE=1 (15.25.6) */
    uint64_t access = on == FIRST_FETCH ? (host_nxe ? NPF_FETCH : 0) : NPF_WRITE;
    m->exitinfo1 = NPF_PROTECTION | access | r->extra;
    if (r->bit == BIT_RSVD) {
        /* The APM's reserved-bit fault is on a present entry: P=1 with RSV
         * (kvm-unit-tests' npt_rsvd expects 0x10000001d on hardware). QEMU's
         * TCG since 7.2 reports RSV without P, for #PF and #NPF alike
         * (target/i386/tcg/sysemu/excp_helper.c, mmu_translate, label
         * do_fault_rsvd sets the error code to RSVD alone). */
        m->deviation = NPF_PRESENT;
        m->deviation_text = "reserved-bit #NPF without P";
    }
    m->model_text = r->bit == BIT_RSVD ? (on == FIRST_FETCH ? "reserved-bit fault on the fetch"
                                                            : "reserved-bit fault on the write")
                  : on == FIRST_FETCH ? "fetch fault" : "write fault";
#ifdef SVMTEST_WRONG_MODEL
    /* a test build whose models lack the bit that tells each kind apart:
     * every faulting scenario must then be not ok (tests/qemu) */
    m->exitinfo1 &= ~r->key;
#endif
    (void)r->key;
    return 0;
}
