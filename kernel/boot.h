/* From the loader to kmain: the boot information read through the identity
 * map, and the memory check that runs before .bss is touched. */
#ifndef SVMTEST_BOOT_H
#define SVMTEST_BOOT_H

#include <stddef.h>
#include <stdint.h>

#include "bootinfo.h"

/* Physical memory as the identity map (first 4 GiB) reaches it: a pointer,
 * or NULL outside it. A phys_resolver. */
const void *identity(uint64_t addr, size_t len, void *ctx);

void read_boot_info(struct boot_info *info, uint32_t magic, uint32_t addr);

/* Called by boot/entry.asm in long mode, on the boot stack, before .bss is
 * zeroed: returns if the loader's memory map holds svmtest's whole image
 * (.bss included) or gives no map to tell; otherwise reports a configuration
 * error on COM1 (both markers) and ends the run with status 39. Uses no
 * .bss. */
void boot_check_memory(uint32_t magic, uint32_t info_addr);

#endif
