/* Kernel GDT selectors (defined in boot/entry.asm, mirrored by boot/gdt.inc)
 * and the TSS that gives NMI, and #DF/#MC, stacks of their own. */
#ifndef SVMTEST_GDT_H
#define SVMTEST_GDT_H

#define SEL_CODE32 0x08
#define SEL_DATA 0x10
#define SEL_CODE64 0x18
#define SEL_TSS 0x20

void tss_init(void);

#endif
