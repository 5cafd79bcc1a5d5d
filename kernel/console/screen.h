/* A mirror of the console on the screen, for machines reached only through
 * a remote screen: VGA text mode under BIOS, the framebuffer GRUB hands over
 * (multiboot2 framebuffer tag) under UEFI. Output only, never required. */
#ifndef SVMTEST_SCREEN_H
#define SVMTEST_SCREEN_H

#include <stdint.h>

#include "kernel/bootinfo.h"

/* Returns a short description of the screen in use ("vga-text 80x25",
 * "framebuffer 1024x768x32", "none: ..."). */
const char *screen_init(const struct boot_info *info);
void screen_putc(char c);
/* The memory the mirror writes, [*start, *end) (after screen_init); 0 and 0
 * when there is no screen. */
void screen_extent(uint64_t *start, uint64_t *end);

#endif
