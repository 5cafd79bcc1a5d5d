#include "pt.h"

#include "kernel/lib/fmt.h"

#define TABLE_FLAGS (PTE_P | PTE_W | PTE_U)

/* The entry for addr at `level` in a table of `levels` levels, creating
 * the tables above it as needed; NULL (with *st) when it cannot. */
static uint64_t *entry_for(const struct pt_space *s, uint64_t root, int levels, uint64_t addr,
                           int level, int create, enum pt_map_status *st)
{
    uint64_t table_addr = root;
    for (int l = levels; l > level; l--) {
        uint64_t *table = s->table(s->ctx, table_addr);
        if (!table) {
            *st = PT_NO_MEMORY;
            return 0;
        }
        uint64_t *e = &table[pt_index(addr, l)];
        if (*e & PTE_P) {
            if (*e & PTE_PS) {
                *st = PT_CONFLICT;
                return 0;
            }
        } else {
            uint64_t fresh = create ? s->alloc_table(s->ctx) : 0;
            if (!fresh) {
                *st = create ? PT_NO_MEMORY : PT_CONFLICT;
                return 0;
            }
            *e = (fresh & PTE_ADDR_MASK) | TABLE_FLAGS;
        }
        table_addr = *e & PTE_ADDR_MASK;
    }
    uint64_t *table = s->table(s->ctx, table_addr);
    if (!table)
        *st = PT_NO_MEMORY;
    return table ? &table[pt_index(addr, level)] : 0;
}

enum pt_map_status pt_map_leaf(const struct pt_space *s, uint64_t root, int levels, uint64_t addr,
                               uint64_t target, int leaf_level, uint64_t leaf_flags)
{
    if (leaf_level < 1 || leaf_level > 3 || leaf_level > levels)
        return PT_CONFLICT;
    uint64_t size = pt_level_size(leaf_level);
    if ((addr & (size - 1)) || (target & (size - 1)))
        return PT_MISALIGNED;
    enum pt_map_status st = PT_MAPPED;
    uint64_t *leaf = entry_for(s, root, levels, addr, leaf_level, 1, &st);
    if (!leaf)
        return st;
    uint64_t want = (target & PTE_ADDR_MASK) | leaf_flags | PTE_P | (leaf_level > 1 ? PTE_PS : 0);
    if (*leaf & PTE_P) {
        uint64_t ignore_ad = ~(PTE_A | PTE_D);
        return (*leaf & ignore_ad) == (want & ignore_ad) ? PT_ALREADY_MAPPED : PT_CONFLICT;
    }
    *leaf = want;
    return PT_MAPPED;
}

enum pt_map_status pt_map(const struct pt_space *s, uint64_t root, int levels, uint64_t addr,
                          uint64_t target, uint64_t leaf_flags)
{
    return pt_map_leaf(s, root, levels, addr, target, 1, leaf_flags);
}

int pt_edit(const struct pt_space *s, uint64_t root, int levels, uint64_t addr, int level,
            uint64_t set, uint64_t clear, uint64_t *before)
{
    if (level < 1 || level > levels)
        return -1;
    enum pt_map_status st = PT_MAPPED;
    uint64_t *e = entry_for(s, root, levels, addr, level, 0, &st);
    if (!e || !(*e & PTE_P))
        return -1;
    if (before)
        *before = *e;
    *e = (*e & ~clear) | set;
    return 0;
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
            uint64_t size = pt_level_size(level);
            w->status = PT_WALK_LARGE_PAGE;
            w->result = (e & PTE_ADDR_MASK & ~(size - 1)) | (addr & (size - 1));
            return;
        }
        table_addr = e & PTE_ADDR_MASK;
    }
    w->status = PT_WALK_OK;
    w->result = table_addr | (addr & (PAGE_SIZE - 1));
}

uint64_t pt_walk_table(const struct pt_walk *w, uint64_t root, int level)
{
    if (level == w->levels)
        return root;
    int above = w->levels - level - 1;   /* step index of the level+1 entry */
    if (level < 1 || above < 0 || above >= w->steps || !(w->step[above].entry & PTE_P))
        return 0;
    return w->step[above].entry & PTE_ADDR_MASK;
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
            n += (size_t)fmt_snprintf(buf + n, size - n, "%slarge-page -> 0x%016lx", sep,
                                      w->result);
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

int pt_walk_lacks_ad(const struct pt_walk *w, int dirty_leaf, uint64_t *bit)
{
    for (int i = 0; i < w->steps; i++) {
        uint64_t e = w->step[i].entry;
        int leaf = i == w->steps - 1 && (w->status == PT_WALK_OK || w->status == PT_WALK_LARGE_PAGE);
        uint64_t need = PTE_A | (leaf && dirty_leaf ? PTE_D : 0);
        if ((e & need) != need) {
            *bit = (e & PTE_A) ? PTE_D : PTE_A;
            return w->step[i].level;
        }
    }
    *bit = 0;
    return 0;
}
