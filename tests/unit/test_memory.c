/* kernel/bootinfo.c: the RAM ranges kept from the loader's memory map, and
 * whether they hold svmtest's image (the check before .bss is touched). */
#include <stdint.h>

#include "check.h"
#include "kernel/bootinfo.h"

#define MIB (1ull << 20)

static struct boot_info with_ranges(const struct mem_range *r, unsigned n)
{
    struct boot_info info = { .ram_known = 1, .ram_count = n };
    for (unsigned i = 0; i < n; i++)
        info.ram[i] = r[i];
    return info;
}

static void coverage(void)
{
    /* QEMU -m 512 as SeaBIOS reports it: low RAM, then 1 MiB up */
    struct mem_range qemu[] = { { 0, 0x9fc00 }, { MIB, 511 * MIB - 0x20000 } };
    struct boot_info info = with_ranges(qemu, 2);
    CHECK_EQ(bootinfo_ram_covers(&info, MIB, 3 * MIB), 1);
    CHECK_EQ(bootinfo_ram_covers(&info, 0x9f000, 0x9fc00), 1);
    CHECK_EQ(bootinfo_ram_covers(&info, 0x9f000, MIB + 1), 0);   /* the hole below 1 MiB */
    CHECK_EQ(bootinfo_ram_covers(&info, 511 * MIB, 512 * MIB), 0);

    /* QEMU -m 2: the image's .bss runs past the end of RAM */
    struct mem_range tiny[] = { { 0, 0x9fc00 }, { MIB, MIB - 0x20000 } };
    info = with_ranges(tiny, 2);
    CHECK_EQ(bootinfo_ram_covers(&info, MIB, 0x239000), 0);
    CHECK_EQ(bootinfo_ram_covers(&info, MIB, 2 * MIB - 0x20000), 1);

    /* adjacent and overlapping ranges in any order join up */
    struct mem_range pieces[] = { { 3 * MIB, MIB }, { MIB, MIB }, { 2 * MIB - 4096, MIB + 4096 } };
    info = with_ranges(pieces, 3);
    CHECK_EQ(bootinfo_ram_covers(&info, MIB, 4 * MIB), 1);
    CHECK_EQ(bootinfo_ram_covers(&info, MIB, 4 * MIB + 1), 0);

    /* a range reaching the top of the address space does not wrap */
    struct mem_range top[] = { { UINT64_MAX - MIB, MIB + 1 } };
    info = with_ranges(top, 1);
    CHECK_EQ(bootinfo_ram_covers(&info, UINT64_MAX - 4096, UINT64_MAX), 1);

    /* no map: cannot tell */
    struct boot_info none = { 0 };
    CHECK_EQ(bootinfo_ram_covers(&none, MIB, 2 * MIB), -1);
    /* ranges were dropped: a gap may be one of them, so cannot tell */
    info = with_ranges(tiny, 2);
    info.ram_overflow = 1;
    CHECK_EQ(bootinfo_ram_covers(&info, MIB, 0x239000), -1);
    CHECK_EQ(bootinfo_ram_covers(&info, MIB, 2 * MIB - 0x20000), 1);
}

static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

static void from_multiboot(void)
{
    /* multiboot2: total size, reserved, one mmap tag with 3 entries, end tag */
    uint8_t b[8 + 16 + 3 * 24 + 8] = { 0 };
    put32(b, sizeof b);
    uint8_t *tag = b + 8;
    put32(tag, 6);
    put32(tag + 4, 16 + 3 * 24);
    put32(tag + 8, 24);
    uint64_t entries[3][3] = { { 0, 0x9fc00, 1 }, { 0xf0000, 0x10000, 2 }, { MIB, 63 * MIB, 1 } };
    for (int i = 0; i < 3; i++) {
        put64(tag + 16 + 24 * i, entries[i][0]);
        put64(tag + 24 + 24 * i, entries[i][1]);
        put32(tag + 32 + 24 * i, (uint32_t)entries[i][2]);
    }
    put32(b + sizeof b - 4, 8);                  /* end tag: type 0, size 8 */
    struct boot_info info;
    CHECK_EQ(bootinfo_parse_mb2(&info, b, sizeof b), 0);
    CHECK_EQ(info.ram_count, 2);
    CHECK_EQ(info.ram[1].base, MIB);
    CHECK_EQ(info.ram[1].len, 63 * MIB);
    CHECK_EQ(bootinfo_ram_covers(&info, MIB, 64 * MIB), 1);
    CHECK_EQ(bootinfo_ram_covers(&info, 0xf0000, MIB), 0);   /* reserved, not RAM */

    /* multiboot1 without a map: mem_lower and mem_upper (KiB) */
    uint8_t mbi[88] = { 0 };
    put32(mbi, 1u << 0);
    put32(mbi + 4, 639);
    put32(mbi + 8, 1023);
    CHECK_EQ(bootinfo_parse_mb1(&info, mbi, NULL, NULL), 0);
    CHECK_EQ(bootinfo_ram_covers(&info, MIB, MIB + 1023 * 1024), 1);
    CHECK_EQ(bootinfo_ram_covers(&info, MIB, 2 * MIB), 0);
}

SUITE(memory)
{
    coverage();
    from_multiboot();
}
