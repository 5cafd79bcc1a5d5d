/* A mirror of the console on the screen, for machines reached only through
 * a remote screen: VGA text mode under BIOS, the framebuffer GRUB hands over
 * (multiboot2 framebuffer tag) under UEFI. Output only, never required. */
#ifndef SVMTEST_SCREEN_H
#define SVMTEST_SCREEN_H

#include "bootinfo.h"

/* Returns a short description of the screen in use ("vga-text 80x25",
 * "framebuffer 1024x768x32", "none: ..."). */
const char *screen_init(const struct boot_info *info);
void screen_putc(char c);

#endif
