#include "pt.h"

#include "../kernel/fmt.h"

#define TABLE_FLAGS (PTE_P | PTE_W | PTE_U)

enum pt_map_status pt_map(const struct pt_space *s, uint64_t root, int levels, uint64_t addr,
                          uint64_t target, uint64_t leaf_flags)
{
    uint64_t table_addr = root;
    for (int level = levels; level > 1; level--) {
        uint64_t *table = s->table(s->ctx, table_addr);
        if (!table)
            return PT_NO_MEMORY;
        uint64_t *e = &table[pt_index(addr, level)];
        if (*e & PTE_P) {
            if (*e & PTE_PS)
                return PT_CONFLICT;
        } else {
            uint64_t fresh = s->alloc_table(s->ctx);
            if (!fresh)
                return PT_NO_MEMORY;
            *e = (fresh & PTE_ADDR_MASK) | TABLE_FLAGS;
        }
        table_addr = *e & PTE_ADDR_MASK;
    }
    uint64_t *table = s->table(s->ctx, table_addr);
    if (!table)
        return PT_NO_MEMORY;
    uint64_t *leaf = &table[pt_index(addr, 1)];
    uint64_t want = (target & PTE_ADDR_MASK) | leaf_flags | PTE_P;
    if (*leaf & PTE_P) {
        uint64_t ignore_ad = ~(PTE_A | PTE_D);
        return (*leaf & ignore_ad) == (want & ignore_ad) ? PT_ALREADY_MAPPED : PT_CONFLICT;
    }
    *leaf = want;
    return PT_MAPPED;
}

void pt_walk(const struct pt_space *s, uint64_t root, int levels, uint64_t addr,
             struct pt_walk *w)
{
    *w = (struct pt_walk){ .levels = levels };
    uint64_t table_addr = root;
    for (int level = levels; level >= 1; level--) {
        uint64_t *table = s->table(s->ctx, table_addr);
        if (!table) {
            w->status = PT_WALK_NO_TABLE;
            return;
        }
        unsigned idx = pt_index(addr, level);
        uint64_t e = table[idx];
        w->step[w->steps++] = (struct pt_walk_step){ level, idx, e };
        if (!(e & PTE_P)) {
            w->status = PT_WALK_NOT_PRESENT;
            return;
        }
        if (level > 1 && (e & PTE_PS)) {
            w->status = PT_WALK_LARGE_PAGE;
            return;
        }
        table_addr = e & PTE_ADDR_MASK;
    }
    w->status = PT_WALK_OK;
    w->result = table_addr | (addr & (PAGE_SIZE - 1));
}

int pt_walk_format(const struct pt_walk *w, char *buf, size_t size)
{
    size_t n = 0;
    if (size)
        buf[0] = '\0';
    for (int i = 0; i < w->steps && n < size; i++)
        n += (size_t)fmt_snprintf(buf + n, size - n, "%sL%d[%u]=0x%016lx", i ? " " : "",
                                  w->step[i].level, w->step[i].index, w->step[i].entry);
    const char *sep = w->steps ? " " : "";
    if (n < size) {
        switch (w->status) {
        case PT_WALK_OK:
            n += (size_t)fmt_snprintf(buf + n, size - n, "%s-> 0x%016lx", sep, w->result);
            break;
        case PT_WALK_NOT_PRESENT:
            n += (size_t)fmt_snprintf(buf + n, size - n, "%snot-present", sep);
            break;
        case PT_WALK_LARGE_PAGE:
            n += (size_t)fmt_snprintf(buf + n, size - n, "%slarge-page", sep);
            break;
        case PT_WALK_NO_TABLE:
            n += (size_t)fmt_snprintf(buf + n, size - n, "%sunbacked-table", sep);
            break;
        }
    }
    return (int)n;
}

void pt_walk_clear_hw_set(struct pt_walk *w)
{
    for (int i = 0; i < w->steps; i++)
        w->step[i].entry &= ~PTE_HW_SET;
}

int pt_walk_format_ad(const struct pt_walk *w, char *buf, size_t size)
{
    static const char *const names[4] = { "-", "A", "D", "AD" };
    size_t n = 0;
    if (size)
        buf[0] = '\0';
    for (int i = 0; i < w->steps && n < size; i++) {
        uint64_t e = w->step[i].entry;
        unsigned ad = ((e & PTE_A) ? 1u : 0u) | ((e & PTE_D) ? 2u : 0u);
        n += (size_t)fmt_snprintf(buf + n, size - n, "%sL%d[%u]=%s", i ? " " : "",
                                  w->step[i].level, w->step[i].index, names[ad]);
    }
    return (int)n;
}
