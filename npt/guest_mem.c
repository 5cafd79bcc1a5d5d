#include "guest_mem.h"

#include <string.h>

void pool_init(struct page_pool *p, void *base, uint64_t addr_base, unsigned pages)
{
    *p = (struct page_pool){ base, addr_base, pages, 0 };
}

void pool_reset(struct page_pool *p)
{
    p->used = 0;
}

uint64_t pool_alloc(struct page_pool *p)
{
    if (p->used == p->pages)
        return 0;
    unsigned i = p->used++;
    memset(p->base + (uint64_t)i * PAGE_SIZE, 0, PAGE_SIZE);
    return p->addr_base + (uint64_t)i * PAGE_SIZE;
}

void *pool_ptr(const struct page_pool *p, uint64_t addr)
{
    if (addr < p->addr_base || (addr & (PAGE_SIZE - 1)))
        return 0;
    uint64_t i = (addr - p->addr_base) / PAGE_SIZE;
    return i < p->used ? p->base + i * PAGE_SIZE : 0;
}

static uint64_t pool_space_alloc(void *ctx) { return pool_alloc(ctx); }
static uint64_t *pool_space_table(void *ctx, uint64_t addr) { return pool_ptr(ctx, addr); }

struct pt_space pool_space(struct page_pool *p)
{
    return (struct pt_space){ pool_space_alloc, pool_space_table, p };
}

void guest_mem_init(struct guest_mem *m, struct page_pool *pool, uint64_t table_gpa_base)
{
    memset(m, 0, sizeof *m);
    m->pool = pool;
    m->next_table_gpa = table_gpa_base;
}

struct guest_page *guest_mem_find(struct guest_mem *m, uint64_t gpa)
{
    gpa &= ~(uint64_t)(PAGE_SIZE - 1);
    for (unsigned i = 0; i < m->count; i++)
        if (m->page[i].gpa == gpa)
            return &m->page[i];
    return 0;
}

struct guest_page *guest_mem_add(struct guest_mem *m, uint64_t gpa, const char *what)
{
    if (m->count == GUEST_PAGES_MAX || (gpa & (PAGE_SIZE - 1)) || guest_mem_find(m, gpa))
        return 0;
    uint64_t hpa = pool_alloc(m->pool);
    if (!hpa)
        return 0;
    struct guest_page *p = &m->page[m->count++];
    *p = (struct guest_page){ gpa, hpa, what, 1 };
    return p;
}

void *guest_mem_ptr(struct guest_mem *m, uint64_t gpa)
{
    struct guest_page *p = guest_mem_find(m, gpa);
    return p ? pool_ptr(m->pool, p->hpa) : 0;
}

static uint64_t guest_table_alloc(void *ctx)
{
    struct guest_mem *m = ctx;
    struct guest_page *p = guest_mem_add(m, m->next_table_gpa, "guest page table");
    if (!p)
        return 0;
    m->next_table_gpa += PAGE_SIZE;
    return p->gpa;
}

static uint64_t *guest_table_at(void *ctx, uint64_t gpa)
{
    return guest_mem_ptr(ctx, gpa);
}

struct pt_space guest_table_space(struct guest_mem *m)
{
    return (struct pt_space){ guest_table_alloc, guest_table_at, m };
}

enum pt_map_status npt_map_page(struct page_pool *pool, uint64_t ncr3, int levels,
                                const struct guest_page *p)
{
    struct pt_space s = pool_space(pool);
    return pt_map(&s, ncr3, levels, p->gpa, p->hpa, PTE_NPT_FLAGS);
}

enum pt_map_status npt_map_all(struct guest_mem *m, uint64_t ncr3, int levels)
{
    for (unsigned i = 0; i < m->count; i++) {
        if (!m->page[i].in_npt)
            continue;
        enum pt_map_status st = npt_map_page(m->pool, ncr3, levels, &m->page[i]);
        if (st != PT_MAPPED && st != PT_ALREADY_MAPPED)
            return st;
    }
    return PT_MAPPED;
}
