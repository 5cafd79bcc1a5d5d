/* A page-table arena for the NPT unit tests: TABLES zeroed tables at the
 * pretend physical address BASE, handed out in order (define both before
 * including). `used` counts the tables given out; set it to 0 to start a
 * fresh table tree. */
#ifndef SVMTEST_TESTS_PT_ARENA_H
#define SVMTEST_TESTS_PT_ARENA_H

#include <string.h>

#include "npt/pt.h"

static uint64_t tables[TABLES][PT_ENTRIES];
static unsigned used;

static uint64_t alloc_table(void *ctx)
{
    (void)ctx;
    if (used == TABLES)
        return 0;
    memset(tables[used], 0, sizeof tables[used]);
    return BASE + PAGE_SIZE * used++;
}

static uint64_t *table_at(void *ctx, uint64_t addr)
{
    (void)ctx;
    if (addr < BASE || addr >= BASE + PAGE_SIZE * used || addr % PAGE_SIZE)
        return NULL;
    return tables[(addr - BASE) / PAGE_SIZE];
}

static const struct pt_space space = { alloc_table, table_at, NULL };

#endif
