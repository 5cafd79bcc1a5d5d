/* Guest-physical memory of one scenario: host pages from a pool, each
 * backing one guest page, and the NPT that maps them. Pure logic. */
#ifndef SVMTEST_GUEST_MEM_H
#define SVMTEST_GUEST_MEM_H

#include <stdint.h>

#include "pt.h"

/* A pool of 4 KiB pages; addr_base is the address (host physical) of the
 * first page, base the pointer to it. */
struct page_pool {
    uint8_t *base;
    uint64_t addr_base;
    unsigned pages, used;
};

void pool_init(struct page_pool *p, void *base, uint64_t addr_base, unsigned pages);
void pool_reset(struct page_pool *p);
uint64_t pool_alloc(struct page_pool *p);           /* zeroed page, 0 if exhausted */
void *pool_ptr(const struct page_pool *p, uint64_t addr);  /* NULL outside the pool */
/* The NPT's table space: tables from the pool, addressed by host address. */
struct pt_space pool_space(struct page_pool *p);

#define GUEST_PAGES_MAX 48

struct guest_page {
    uint64_t gpa, hpa;
    const char *what;
    uint8_t in_npt;     /* mapped when the NPT is built (prebuilt fill) */
};

struct guest_mem {
    struct page_pool *pool;
    struct guest_page page[GUEST_PAGES_MAX];
    unsigned count;
    uint64_t next_table_gpa;   /* where guest page tables are allocated */
};

void guest_mem_init(struct guest_mem *m, struct page_pool *pool, uint64_t table_gpa_base);
/* Back a guest page with a fresh zeroed host page; returns it, or NULL when
 * out of pages or when the gpa is already backed. */
struct guest_page *guest_mem_add(struct guest_mem *m, uint64_t gpa, const char *what);
struct guest_page *guest_mem_find(struct guest_mem *m, uint64_t gpa);
void *guest_mem_ptr(struct guest_mem *m, uint64_t gpa);
/* Table space for the guest's own page tables: tables are guest pages. */
struct pt_space guest_table_space(struct guest_mem *m);

/* Map one guest page in an NPT of `levels` levels. */
enum pt_map_status npt_map_page(struct page_pool *pool, uint64_t ncr3, int levels,
                                const struct guest_page *p);
/* Map every guest page marked in_npt; returns the first failure or PT_MAPPED. */
enum pt_map_status npt_map_all(struct guest_mem *m, uint64_t ncr3, int levels);

#endif
