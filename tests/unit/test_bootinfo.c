/* kernel/bootinfo.c: multiboot2 information blocks and multiboot1 structures
 * built here byte by byte. Blocks are parsed from exactly-sized heap copies so
 * that AddressSanitizer catches any read past them. */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "kernel/bootinfo.h"
#include "kernel/config.h"
#include "svm/catalog.h"

/* ---- multiboot2 ------------------------------------------------------------ */

struct mb2 { uint8_t b[8192]; size_t n; };

static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

static void mb2_start(struct mb2 *m)
{
    memset(m->b, 0, sizeof m->b);
    m->n = 8;                                  /* total_size, reserved */
}

/* Appends a tag of 8 + len bytes, padded to 8; returns its offset. */
static size_t mb2_tag(struct mb2 *m, uint32_t type, const void *payload, size_t len)
{
    size_t at = m->n;
    put32(m->b + at, type);
    put32(m->b + at + 4, (uint32_t)(8 + len));
    if (len)
        memcpy(m->b + at + 8, payload, len);
    m->n += (8 + len + 7) & ~(size_t)7;
    return at;
}

static size_t mb2_end(struct mb2 *m)
{
    mb2_tag(m, 0, NULL, 0);
    put32(m->b, (uint32_t)m->n);
    return m->n;
}

static uint8_t *heap;   /* the copy last parsed */

static int parse2(struct boot_info *info, const struct mb2 *m, size_t avail)
{
    free(heap);
    heap = malloc(avail ? avail : 1);
    memcpy(heap, m->b, avail);
    memset(info, 0x5a, sizeof *info);
    return bootinfo_parse_mb2(info, heap, avail);
}

/* a 24-byte multiboot2 memory map entry */
static void mmap_entry(uint8_t *p, uint64_t base, uint64_t len, uint32_t type)
{
    put64(p, base);
    put64(p + 8, len);
    put32(p + 16, type);
    put32(p + 20, 0);
}

static const char rsdp_v1[20] = "RSD PTR \x01OEMID!\x00....";
static const char rsdp_v2[36] = "RSD PTR \x02OEMID!\x02...$\x00\x00\x00xsdt_addr....";

static void test_mb2_full(void)
{
    struct mb2 m;
    struct boot_info info;
    uint8_t map[16 - 8 + 3 * 24];
    uint8_t fb[24];

    mb2_start(&m);
    size_t at_cmd = mb2_tag(&m, 1, "only=probe host=5", 18);
    size_t at_name = mb2_tag(&m, 2, "GRUB 2.06", 10);
    mb2_tag(&m, 21, "\x01\x02\x03\x04", 4);          /* unknown: skipped */
    put32(map, 24);                                    /* entry_size */
    put32(map + 4, 0);                                 /* entry_version */
    mmap_entry(map + 8, 0, 0x9fc00, 1);
    mmap_entry(map + 32, 0xf0000, 0x10000, 2);
    mmap_entry(map + 56, 0x100000, 0x7ee0000, 1);
    mb2_tag(&m, 6, map, sizeof map);
    mb2_tag(&m, 14, rsdp_v1, sizeof rsdp_v1);
    size_t at_new = mb2_tag(&m, 15, rsdp_v2, sizeof rsdp_v2);
    mb2_tag(&m, 14, rsdp_v1, sizeof rsdp_v1);          /* the ACPI 2.0 copy still wins */
    memset(fb, 0, sizeof fb);
    put64(fb, 0xfd000000);
    put32(fb + 8, 4096);
    put32(fb + 12, 1024);
    put32(fb + 16, 768);
    fb[20] = 32;
    fb[21] = 1;
    mb2_tag(&m, 8, fb, sizeof fb);
    size_t total = mb2_end(&m);

    CHECK_EQ(parse2(&info, &m, total), 0);
    CHECK(info.error == NULL);
    CHECK_EQ(info.loader, LOADER_MULTIBOOT2);
    CHECK_EQ(info.cmdline_has_file_name, 0);
    CHECK(info.cmdline == (const char *)heap + at_cmd + 8);
    CHECK_EQ(info.cmdline_len, 17);
    CHECK(info.loader_name == (const char *)heap + at_name + 8);
    CHECK_EQ(info.loader_name_len, 9);
    CHECK_EQ(info.loader_name_cut, 0);
    CHECK_EQ(info.mmap_entries, 3);
    CHECK_EQ(info.memory_available, 0x9fc00 + 0x7ee0000);
    CHECK(info.rsdp == heap + at_new + 8);
    CHECK_EQ(info.rsdp_len, 36);
    CHECK_EQ(info.framebuffer_addr, 0xfd000000);
    CHECK_EQ(info.framebuffer_pitch, 4096);
    CHECK_EQ(info.framebuffer_width, 1024);
    CHECK_EQ(info.framebuffer_height, 768);
    CHECK_EQ(info.framebuffer_bpp, 32);
    CHECK_EQ(info.framebuffer_type, 1);

    /* the command line found feeds the parser */
    struct config cfg;
    char err[CONFIG_ERROR_MAX];
    CHECK_EQ(config_parse(&cfg, &catalog_names, info.cmdline, info.cmdline_len, info.cmdline_has_file_name,
                          err, sizeof err), 0);
    CHECK(sset_has((struct scenario_set[]){ catalog_selected(&cfg) }, 9) && sset_count((struct scenario_set[]){ catalog_selected(&cfg) }) == 1);

    /* avail larger than total_size is fine */
    CHECK_EQ(parse2(&info, &m, total + 64), 0);
    CHECK(info.error == NULL);
}

static void test_mb2_tags(void)
{
    struct mb2 m;
    struct boot_info info;

    /* only the old RSDP */
    mb2_start(&m);
    size_t at_old = mb2_tag(&m, 14, rsdp_v1, sizeof rsdp_v1);
    CHECK_EQ(parse2(&info, &m, mb2_end(&m)), 0);
    CHECK(info.rsdp == heap + at_old + 8);
    CHECK_EQ(info.rsdp_len, 20);
    CHECK(info.cmdline == NULL);
    CHECK(info.loader_name == NULL);
    CHECK_EQ(info.mmap_entries, 0);
    CHECK_EQ(info.framebuffer_addr, 0);

    /* a command line without its NUL stops at the tag's end, not at the padding */
    mb2_start(&m);
    size_t at = mb2_tag(&m, 1, "host=4", 6);
    memset(m.b + at + 14, 'X', 2);
    CHECK_EQ(parse2(&info, &m, mb2_end(&m)), 0);
    CHECK_EQ(info.cmdline_len, 6);
    CHECK(info.cmdline_error == NULL);

    /* 4096 bytes of command line are read whole; 4097 are an error naming the limit */
    static char long_line[4098];
    memset(long_line, ' ', sizeof long_line);
    memcpy(long_line, "only=reset", 10);
    memcpy(long_line + 4096 - 7, "bogus=1", 7);
    long_line[4096] = '\0';
    mb2_start(&m);
    mb2_tag(&m, 1, long_line, 4097);
    CHECK_EQ(parse2(&info, &m, mb2_end(&m)), 0);
    CHECK(info.cmdline_error == NULL);
    CHECK_EQ(info.cmdline_len, 4096);
    long_line[4096] = 'x';
    long_line[4097] = '\0';
    mb2_start(&m);
    mb2_tag(&m, 1, long_line, 4098);
    CHECK_EQ(parse2(&info, &m, mb2_end(&m)), 0);
    CHECK_STR(info.cmdline_error, "multiboot2 command line longer than the 4096-byte limit");
    /* without a NUL the tag's end ends it: still too long */
    mb2_start(&m);
    mb2_tag(&m, 1, long_line, 4097);
    CHECK_EQ(parse2(&info, &m, mb2_end(&m)), 0);
    CHECK_STR(info.cmdline_error, "multiboot2 command line longer than the 4096-byte limit");

    /* a long loader name is cut at 64 bytes and says so */
    mb2_start(&m);
    mb2_tag(&m, 2, long_line, 100);
    CHECK_EQ(parse2(&info, &m, mb2_end(&m)), 0);
    CHECK_EQ(info.loader_name_len, 64);
    CHECK_EQ(info.loader_name_cut, 1);

    /* an empty command line tag */
    mb2_start(&m);
    mb2_tag(&m, 1, NULL, 0);
    CHECK_EQ(parse2(&info, &m, mb2_end(&m)), 0);
    CHECK(info.cmdline != NULL);
    CHECK_EQ(info.cmdline_len, 0);

    /* tags after the end tag are not read */
    mb2_start(&m);
    mb2_tag(&m, 0, NULL, 0);
    mb2_tag(&m, 1, "host=4", 7);
    put32(m.b, (uint32_t)m.n);
    CHECK_EQ(parse2(&info, &m, m.n), 0);
    CHECK(info.cmdline == NULL);

    /* larger mmap entries (a later entry_version) are stepped over whole;
     * a trailing partial entry is ignored */
    uint8_t map[8 + 2 * 32 + 16];
    memset(map, 0, sizeof map);
    put32(map, 32);
    mmap_entry(map + 8, 0x100000, 0x1000, 1);
    mmap_entry(map + 40, 0x200000, 0x2000, 1);
    put64(map + 80, 0x4000);                           /* half an entry */
    mb2_start(&m);
    mb2_tag(&m, 6, map, sizeof map);
    CHECK_EQ(parse2(&info, &m, mb2_end(&m)), 0);
    CHECK_EQ(info.mmap_entries, 2);
    CHECK_EQ(info.memory_available, 0x3000);
}

static void test_mb2_malformed(void)
{
    struct mb2 m;
    struct boot_info info;

    /* shorter than the header: nothing is read */
    CHECK_EQ(bootinfo_parse_mb2(&info, NULL, 0), -1);
    CHECK_STR(info.error, "multiboot2 information shorter than its header");
    mb2_start(&m);
    mb2_end(&m);
    CHECK_EQ(parse2(&info, &m, 7), -1);
    CHECK_STR(info.error, "multiboot2 information shorter than its header");

    /* total_size beyond the buffer, too small, or beyond 1 MiB */
    mb2_start(&m);
    mb2_tag(&m, 1, "host=4", 7);
    size_t total = mb2_end(&m);
    CHECK_EQ(parse2(&info, &m, total - 1), -1);
    CHECK_STR(info.error, "multiboot2 information total_size invalid");
    CHECK(info.cmdline == NULL);
    /* information broken before the command line tag: the command line is lost, and says so */
    CHECK_STR(info.cmdline_error, "multiboot2 information broken before its command line tag: "
              "the command line could not be read");
    put32(m.b, 15);
    CHECK_EQ(parse2(&info, &m, total), -1);
    CHECK_STR(info.error, "multiboot2 information total_size invalid");
    size_t huge = (1u << 20) + 16;
    uint8_t *big = calloc(1, huge);
    put32(big, (uint32_t)huge);
    put32(big + 8 + 4, 8);                            /* an end tag */
    CHECK_EQ(bootinfo_parse_mb2(&info, big, huge), -1);
    CHECK_STR(info.error, "multiboot2 information total_size invalid");
    put32(big, 16);
    CHECK_EQ(bootinfo_parse_mb2(&info, big, huge), 0);
    free(big);

    /* a tag whose size runs past total_size, or is below a tag header;
     * what parsed before is kept */
    mb2_start(&m);
    mb2_tag(&m, 2, "GRUB", 5);
    size_t at = mb2_tag(&m, 1, "host=4", 7);
    total = mb2_end(&m);
    put32(m.b + at + 4, (uint32_t)(total - at + 1));
    CHECK_EQ(parse2(&info, &m, total), -1);
    CHECK_STR(info.error, "multiboot2 tag size runs past the information");
    CHECK_EQ(info.loader_name_len, 4);
    CHECK(info.cmdline == NULL);
    CHECK(info.cmdline_error != NULL);
    put32(m.b + at + 4, 0xfffffff8);
    CHECK_EQ(parse2(&info, &m, total), -1);
    CHECK_STR(info.error, "multiboot2 tag size runs past the information");
    put32(m.b + at + 4, 4);
    CHECK_EQ(parse2(&info, &m, total), -1);
    CHECK_STR(info.error, "multiboot2 tag size runs past the information");
    put32(m.b + at + 4, 0);
    CHECK_EQ(parse2(&info, &m, total), -1);

    /* no end tag: the tags fill total_size, or it ends inside a tag header */
    mb2_start(&m);
    mb2_tag(&m, 1, "host=4", 7);
    put32(m.b, (uint32_t)m.n);
    CHECK_EQ(parse2(&info, &m, m.n), -1);
    CHECK_STR(info.error, "multiboot2 information has no end tag");
    CHECK_EQ(info.cmdline_len, 6);
    CHECK(info.cmdline_error == NULL);     /* read whole before the framing broke */
    put32(m.b, (uint32_t)m.n + 4);
    CHECK_EQ(parse2(&info, &m, m.n + 4), -1);
    CHECK_STR(info.error, "multiboot2 information has no end tag");

    /* memory map: entry sizes below 24 or not a multiple of 8, a short tag,
     * and an entry size so large that off + entry_size wraps around */
    static const uint32_t bad_sizes[] = { 0, 8, 16, 20, 28, 25 };
    for (int i = 0; i < 6; i++) {
        uint8_t map[8 + 48];
        memset(map, 0, sizeof map);
        put32(map, bad_sizes[i]);
        mmap_entry(map + 8, 0, 0x1000, 1);
        mmap_entry(map + 32, 0x1000, 0x1000, 1);
        mb2_start(&m);
        mb2_tag(&m, 6, map, sizeof map);
        mb2_tag(&m, 1, "host=4", 7);                   /* still parsed */
        parse2(&info, &m, mb2_end(&m));
        CHECK_STR(info.error, "multiboot2 memory map entry size invalid");
        CHECK_EQ(info.mmap_entries, 0);
        CHECK_EQ(info.cmdline_len, 6);
    }
    uint8_t map_hdr[8] = { 24 };
    mb2_start(&m);
    at = mb2_tag(&m, 6, map_hdr, 8);
    put32(m.b + at + 4, 12);
    parse2(&info, &m, mb2_end(&m));
    CHECK_STR(info.error, "multiboot2 memory map tag too short");
    static const uint32_t wrap_sizes[] = { 0xfffffff0, 0xfffffff8, 0x80000000 };
    for (int i = 0; i < 3; i++) {
        uint8_t hdr[8];
        put32(hdr, wrap_sizes[i]);
        put32(hdr + 4, 0);
        mb2_start(&m);
        mb2_tag(&m, 6, hdr, 8);                        /* no entries at all */
        parse2(&info, &m, mb2_end(&m));
        CHECK_EQ(info.mmap_entries, 0);
        CHECK_EQ(info.memory_available, 0);
    }

    /* framebuffer tag shorter than its fixed part */
    uint8_t fb[16] = { 0 };
    put64(fb, 0xfd000000);
    mb2_start(&m);
    mb2_tag(&m, 8, fb, sizeof fb);
    parse2(&info, &m, mb2_end(&m));
    CHECK_STR(info.error, "multiboot2 framebuffer tag too short");
    CHECK_EQ(info.framebuffer_addr, 0);
}

/* ---- multiboot1 ------------------------------------------------------------ */

#define ARENA_BASE 0x10000u
#define ARENA_SIZE 8192u

static uint8_t *arena;   /* "physical memory" ARENA_BASE.. in an exact heap block */
static unsigned resolves;

static const void *resolve(uint64_t addr, size_t len, void *ctx)
{
    (void)ctx;
    resolves++;
    if (addr < ARENA_BASE || addr - ARENA_BASE > ARENA_SIZE || len > ARENA_SIZE - (addr - ARENA_BASE))
        return NULL;
    return arena + (addr - ARENA_BASE);
}

enum { MB1_CMDLINE = 1 << 2, MB1_MEMORY = 1 << 0, MB1_MMAP = 1 << 6, MB1_NAME = 1 << 9 };

static void mbi_set(uint8_t *mbi, unsigned off, uint32_t v) { put32(mbi + off, v); }

/* a multiboot1 memory map entry: size (not counting itself), base, length, type */
static size_t mb1_entry(uint8_t *p, uint32_t size, uint64_t base, uint64_t len, uint32_t type)
{
    put32(p, size);
    put64(p + 4, base);
    put64(p + 12, len);
    put32(p + 20, type);
    return size + 4;
}

static void test_mb1(void)
{
    uint8_t mbi[88];
    struct boot_info info;
    arena = calloc(1, ARENA_SIZE);

    memset(mbi, 0, sizeof mbi);
    strcpy((char *)arena, "/boot/svmtest.elf host=5 only=probe");
    strcpy((char *)arena + 256, "iPXE 1.21.1");
    size_t n = 0;
    n += mb1_entry(arena + 512 + n, 20, 0, 0x9fc00, 1);
    n += mb1_entry(arena + 512 + n, 20, 0xf0000, 0x10000, 2);
    n += mb1_entry(arena + 512 + n, 20, 0x100000, 0x3ff00000, 1);
    mbi_set(mbi, 0, MB1_CMDLINE | MB1_MMAP | MB1_NAME | MB1_MEMORY);
    mbi_set(mbi, 4, 639);
    mbi_set(mbi, 8, 1024);
    mbi_set(mbi, 16, ARENA_BASE);
    mbi_set(mbi, 44, (uint32_t)n);
    mbi_set(mbi, 48, ARENA_BASE + 512);
    mbi_set(mbi, 64, ARENA_BASE + 256);
    CHECK_EQ(bootinfo_parse_mb1(&info, mbi, resolve, NULL), 0);
    CHECK(info.error == NULL);
    CHECK_EQ(info.loader, LOADER_MULTIBOOT1);
    CHECK_EQ(info.cmdline_has_file_name, 1);
    CHECK(info.cmdline == (const char *)arena);
    CHECK_EQ(info.cmdline_len, 35);
    CHECK(info.loader_name == (const char *)arena + 256);
    CHECK_EQ(info.loader_name_len, 11);
    CHECK_EQ(info.mmap_entries, 3);
    CHECK_EQ(info.memory_available, 0x9fc00 + 0x3ff00000);   /* the map wins over mem_* */
    CHECK(info.rsdp == NULL);

    struct config cfg;
    char err[CONFIG_ERROR_MAX];
    CHECK_EQ(config_parse(&cfg, &catalog_names, info.cmdline, info.cmdline_len, info.cmdline_has_file_name,
                          err, sizeof err), 0);
    CHECK(sset_has((struct scenario_set[]){ catalog_selected(&cfg) }, 9) && sset_count((struct scenario_set[]){ catalog_selected(&cfg) }) == 1);

    /* entries with a larger size field are stepped over; a partial tail is ignored */
    n = 0;
    n += mb1_entry(arena + 512 + n, 28, 0, 0x1000, 1);
    n += mb1_entry(arena + 512 + n, 28, 0x1000, 0x2000, 1);
    mbi_set(mbi, 44, (uint32_t)n + 20);
    CHECK_EQ(bootinfo_parse_mb1(&info, mbi, resolve, NULL), 0);
    CHECK_EQ(info.mmap_entries, 2);
    CHECK_EQ(info.memory_available, 0x3000);

    /* bad entry sizes: too small, or running past the map */
    static const uint32_t bad_sizes[] = { 0, 12, 19, 21, 24, 100, 0xfffffffc };
    for (int i = 0; i < 7; i++) {
        mb1_entry(arena + 512, 20, 0, 0x1000, 1);
        mb1_entry(arena + 512 + 24, bad_sizes[i], 0x1000, 0x1000, 1);
        mbi_set(mbi, 44, 48);
        CHECK_EQ(bootinfo_parse_mb1(&info, mbi, resolve, NULL), -1);
        CHECK_STR(info.error, "multiboot1 memory map entry size invalid");
        CHECK_EQ(info.mmap_entries, 1);
    }

    /* an oversized or unreachable map */
    mbi_set(mbi, 44, 64 * 1024 + 1);
    CHECK_EQ(bootinfo_parse_mb1(&info, mbi, resolve, NULL), -1);
    CHECK_STR(info.error, "multiboot1 memory map too long");
    mbi_set(mbi, 44, 48);
    mbi_set(mbi, 48, ARENA_BASE + ARENA_SIZE - 24);
    CHECK_EQ(bootinfo_parse_mb1(&info, mbi, resolve, NULL), -1);
    CHECK_STR(info.error, "multiboot1 memory map unreachable");

    /* no map: mem_lower + mem_upper, in KiB */
    mbi_set(mbi, 0, MB1_MEMORY);
    CHECK_EQ(bootinfo_parse_mb1(&info, mbi, resolve, NULL), 0);
    CHECK_EQ(info.memory_available, (639 + 1024) * 1024);
    CHECK(info.cmdline == NULL);
    CHECK(info.loader_name == NULL);

    /* no flags: nothing resolved, nothing read */
    mbi_set(mbi, 0, 0);
    resolves = 0;
    CHECK_EQ(bootinfo_parse_mb1(&info, mbi, resolve, NULL), 0);
    CHECK_EQ(resolves, 0);
    CHECK_EQ(info.memory_available, 0);
    CHECK(info.error == NULL);

    /* an unreachable command line is an error; an unreachable loader name is not */
    mbi_set(mbi, 0, MB1_CMDLINE);
    mbi_set(mbi, 16, 0x1000);
    CHECK_EQ(bootinfo_parse_mb1(&info, mbi, resolve, NULL), -1);
    CHECK_STR(info.error, "multiboot1 command line unreachable");
    CHECK_STR(info.cmdline_error, "multiboot1 command line unreachable");
    mbi_set(mbi, 0, MB1_NAME);
    mbi_set(mbi, 64, 0);
    CHECK_EQ(bootinfo_parse_mb1(&info, mbi, resolve, NULL), 0);
    CHECK(info.loader_name == NULL);
    CHECK(info.cmdline_error == NULL);

    /* a loader name is shown up to 64 bytes; a longer one is marked cut */
    memset(arena, 0, ARENA_SIZE);
    memset(arena, 'n', 64);
    mbi_set(mbi, 0, MB1_NAME);
    mbi_set(mbi, 64, ARENA_BASE);
    CHECK_EQ(bootinfo_parse_mb1(&info, mbi, resolve, NULL), 0);
    CHECK_EQ(info.loader_name_len, 64);
    CHECK_EQ(info.loader_name_cut, 0);
    arena[64] = 'n';
    CHECK_EQ(bootinfo_parse_mb1(&info, mbi, resolve, NULL), 0);
    CHECK_EQ(info.loader_name_len, 64);
    CHECK_EQ(info.loader_name_cut, 1);

    /* 4096 bytes are read whole; one more is an error naming the limit, never a cut */
    memset(arena, ' ', ARENA_SIZE);
    memcpy(arena, "k.elf only=reset", 16);
    memcpy(arena + 4096 - 7, "bogus=1", 7);
    arena[4096] = '\0';
    mbi_set(mbi, 0, MB1_CMDLINE);
    mbi_set(mbi, 16, ARENA_BASE);
    CHECK_EQ(bootinfo_parse_mb1(&info, mbi, resolve, NULL), 0);
    CHECK(info.cmdline_error == NULL);
    CHECK_EQ(info.cmdline_len, 4096);
    struct config c2;
    char e2[CONFIG_ERROR_MAX];
    CHECK_EQ(config_parse(&c2, &catalog_names, info.cmdline, info.cmdline_len, 1, e2, sizeof e2), -1);
    CHECK_HAS(e2, "unknown key 'bogus'");   /* the last word is seen */
    arena[4096] = ' ';
    arena[4097] = '\0';
    CHECK_EQ(bootinfo_parse_mb1(&info, mbi, resolve, NULL), 0);
    CHECK_STR(info.cmdline_error, "multiboot1 command line longer than the 4096-byte limit");
    CHECK_EQ(info.cmdline_len, 4096);
    /* no NUL at all within reach */
    memset(arena, 'a', ARENA_SIZE);
    CHECK_EQ(bootinfo_parse_mb1(&info, mbi, resolve, NULL), 0);
    CHECK_STR(info.cmdline_error, "multiboot1 command line longer than the 4096-byte limit");
    /* the reproducer: "only=reset <4100 spaces> bogus=1" */
    memset(arena, 0, ARENA_SIZE);
    snprintf((char *)arena, 32, "k.elf only=reset ");
    memset(arena + 17, ' ', 4100);
    memcpy(arena + 17 + 4100, "bogus=1", 8);
    CHECK_EQ(bootinfo_parse_mb1(&info, mbi, resolve, NULL), 0);
    CHECK_STR(info.cmdline_error, "multiboot1 command line longer than the 4096-byte limit");
    /* a command line whose 4097 bytes cannot all be resolved is unreachable, not cut */
    mbi_set(mbi, 16, ARENA_BASE + ARENA_SIZE - 100);
    CHECK_EQ(bootinfo_parse_mb1(&info, mbi, resolve, NULL), -1);
    CHECK_STR(info.cmdline_error, "multiboot1 command line unreachable");

    free(arena);
}

SUITE(bootinfo)
{
    test_mb2_full();
    test_mb2_tags();
    test_mb2_malformed();
    test_mb1();
    free(heap);
    heap = NULL;
}
