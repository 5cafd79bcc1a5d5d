/* What sits at which guest-physical (and, in group guest, linear) address:
 * the one table of the guest layout. The guest code images take everything
 * else from the parameter block the host writes into their page. */
#ifndef SVMTEST_GUEST_LAYOUT_H
#define SVMTEST_GUEST_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#define GPA_CODE_PAGE       ((uint64_t)0xfffff000)  /* holds the reset vector */
#define RESET_VECTOR_OFFSET 0xff0u         /* fetch address 0xfffffff0 */
#define GPA_RESET_FETCH     (GPA_CODE_PAGE + RESET_VECTOR_OFFSET)
#define GPA_DATA_PAGE       ((uint64_t)0x00001000)  /* group reset: low-RAM page the guest writes */
#define GPA_DEPTH4_PAGE     ((uint64_t)0x00002000)  /* group guest: data page reached by 4-level walks */
#define GPA_DEPTH5_PAGE     ((uint64_t)0x00003000)  /* group guest: data page reached by 5-level walks */
#define GPA_READ_PAGE       ((uint64_t)0x00004000)  /* group gptfault: the page the guest reads */
#define GPA_GUEST_TABLES    ((uint64_t)0x00010000)  /* guest page tables, allocated upward */

#define GVA_DUAL_DEPTH      0xffffe000u    /* group guest: one address, two data pages */
/* group gptfault: the address the guest reads, in the second entry of its
 * top-level table (guest paging depth g), so that every table below the
 * root on its walk is its own, apart from the code page's */
#define GVA_GPTFAULT_READ(g) (1ull << (12 + 9 * ((g) - 1)))

#define VMMCALL_MARKER      0x544d5653u    /* "SVMT" in RAX at the guest's VMMCALL */
#define DATA_MARKER         0x600dda7au    /* written by the reset guest to GPA_DATA_PAGE */

/* The parameter block in each guest code page (svm/guest_params.inc). */
#define GUEST_PARAMS_OFFSET 0xf80u
struct guest_params {
    uint32_t data_gpa, data_marker, vmmcall_marker, report_value, hang;
    uint32_t cr3, cr4, reserved;
    uint64_t read_va;
};
_Static_assert(offsetof(struct guest_params, data_gpa) == 0, "guest_params.inc .data_gpa");
_Static_assert(offsetof(struct guest_params, vmmcall_marker) == 8, "guest_params.inc .vmmcall_marker");
_Static_assert(offsetof(struct guest_params, hang) == 16, "guest_params.inc .hang");
_Static_assert(offsetof(struct guest_params, cr3) == 20, "guest_params.inc .cr3");
_Static_assert(offsetof(struct guest_params, read_va) == 32, "guest_params.inc .read_va");
_Static_assert(GUEST_PARAMS_OFFSET + sizeof(struct guest_params) <= RESET_VECTOR_OFFSET,
               "parameters below the reset vector");

extern const uint8_t guest_realmode_image[4096];
extern const uint8_t guest_longmode_image[4096];

#endif
