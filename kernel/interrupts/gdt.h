/* Kernel GDT selectors (defined in boot/entry.asm, mirrored by boot/gdt.inc)
 * and the TSS that gives NMI, and #DF/#MC, stacks of their own. */
#ifndef SVMTEST_GDT_H
#define SVMTEST_GDT_H

#define SEL_CODE32 0x08
#define SEL_DATA 0x10
#define SEL_CODE64 0x18
#define SEL_TSS 0x20

#define GDT_BYTES 48   /* null, code32, data, code64, TSS (two slots) */

void tss_init(void);
/* A GDT for the next application processor to start: the boot GDT's
 * segments and a TSS of its own (available, not busy) with its own
 * NMI and #DF/#MC stacks. Returns its address. */
const void *gdt_prepare_ap(void);

#endif
