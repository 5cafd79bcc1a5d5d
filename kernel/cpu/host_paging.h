/* The host paging depth: 4-level or 5-level (CR4.LA57), switchable at run
 * time over the same identity-mapped tables (boot/entry.asm). */
#ifndef SVMTEST_HOST_PAGING_H
#define SVMTEST_HOST_PAGING_H

int host_paging_la57_supported(void);
/* Switch to depth 4 or 5. Returns 0, or -1 (nothing changed) when the CPU
 * cannot: depth 5 without LA57. */
int host_paging_set(int depth);
int host_paging_depth(void);

#endif
