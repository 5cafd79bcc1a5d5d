/* libFuzzer target: bootinfo_parse_mb2 on arbitrary bytes. Every pointer it
 * returns must lie, with its length, inside the input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/bootinfo.h"

static void inside(const uint8_t *data, size_t size, const void *p, size_t len)
{
    const uint8_t *q = p;
    if (!p)
        return;
    if (q < data || q > data + size || len > (size_t)(data + size - q))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct boot_info info;
    int r = bootinfo_parse_mb2(&info, data, size);
    if (r != 0 && (r != -1 || !info.error))
        abort();
    if (info.loader != LOADER_MULTIBOOT2 || info.cmdline_has_file_name)
        abort();
    inside(data, size, info.cmdline, info.cmdline_len);
    inside(data, size, info.loader_name, info.loader_name_len);
    inside(data, size, info.rsdp, info.rsdp_len);
    if (!info.cmdline && info.cmdline_len)
        abort();
    /* a command line ends at its NUL, if it has one */
    if (info.cmdline && memchr(info.cmdline, '\0', info.cmdline_len))
        abort();
    /* each entry takes at least 24 bytes of the input */
    if ((uint64_t)info.mmap_entries * 24 > size)
        abort();
    return 0;
}
