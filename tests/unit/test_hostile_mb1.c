/* tests/hostile/mb1_image.c: the multiboot1 header search and image layout
 * the hostile loader uses to load svmtest. Images are built here byte by byte
 * in exactly-sized heap buffers so that AddressSanitizer catches overreads. */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "tests/hostile/mb1_image.h"

#define FLAGS_SVMTEST (MB1_HEADER_PAGE_ALIGN | MB1_HEADER_MEMORY_INFO | MB1_HEADER_ADDRESS)

struct fields { uint32_t flags, header_addr, load_addr, load_end, bss_end, entry; };

static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }

/* A len-byte file with a header at offset `at` (the fields that fit). */
static uint8_t *image(size_t len, size_t at, struct fields f)
{
    uint8_t *b = calloc(1, len);
    uint32_t words[] = { MB1_HEADER_MAGIC, f.flags, (uint32_t)-(MB1_HEADER_MAGIC + f.flags),
                         f.header_addr, f.load_addr, f.load_end, f.bss_end, f.entry };
    for (size_t i = 0; i < 8 && at + 4 * i + 4 <= len; i++)
        put32(b + at + 4 * i, words[i]);
    return b;
}

/* svmtest's layout: file offset 0x1000 holds load_addr 0x100000, the header
 * 0x18 bytes into it */
static struct fields svmtest_like(void)
{
    return (struct fields){ FLAGS_SVMTEST, 0x100018, 0x100000, 0x102000, 0x105000, 0x100100 };
}

static const char *parse(size_t len, size_t at, struct fields f, struct mb1_image *img)
{
    uint8_t *b = image(len, at, f);
    const char *why = mb1_image_parse(b, len, img);
    free(b);
    return why;
}

static int says(const char *why, const char *word)
{
    return why && strstr(why, word);
}

SUITE(hostile_mb1)
{
    struct mb1_image img;

    /* svmtest's layout: copy 0x2000 bytes from file offset 0x1000, bss to 0x105000 */
    CHECK(parse(0x3000, 0x1018, svmtest_like(), &img) == NULL);
    CHECK_EQ(img.header_offset, 0x1018);
    CHECK_EQ(img.file_offset, 0x1000);
    CHECK_EQ(img.load_addr, 0x100000);
    CHECK_EQ(img.load_size, 0x2000);
    CHECK_EQ(img.end_addr, 0x105000);
    CHECK_EQ(img.entry_addr, 0x100100);

    /* load_end_addr 0: the rest of the file; bss_end_addr 0: no bss */
    struct fields f = svmtest_like();
    f.load_end = 0;
    f.bss_end = 0;
    CHECK(parse(0x2800, 0x1018, f, &img) == NULL);
    CHECK_EQ(img.load_size, 0x1800);
    CHECK_EQ(img.end_addr, 0x101800);

    /* the header must sit at a 4-byte boundary, with a valid checksum, its
     * 32 bytes within the first 8 KiB */
    f = svmtest_like();
    f.header_addr = 0x100002;
    CHECK(says(parse(0x3000, 0x1002, f, &img), "no multiboot1 header"));
    uint8_t *b = image(0x3000, 0x1018, svmtest_like());
    b[0x1018 + 8] ^= 1;
    CHECK(says(mb1_image_parse(b, 0x3000, &img), "no multiboot1 header"));
    free(b);
    f = (struct fields){ FLAGS_SVMTEST, 0x101fe0, 0x100000, 0x103000, 0, 0x100100 };
    CHECK(parse(0x4000, 0x1fe0, f, &img) == NULL);   /* ends exactly at 8 KiB */
    f.header_addr = 0x101fe4;
    CHECK(says(parse(0x4000, 0x1fe4, f, &img), "first 8 KiB"));
    f.header_addr = 0x102000;
    CHECK(says(parse(0x4000, 0x2000, f, &img), "no multiboot1 header"));
    CHECK(says(parse(0x1024, 0x1018, svmtest_like(), &img), "past the end of the file"));
    CHECK(says(parse(12, 0, svmtest_like(), &img), "past the end of the file"));
    CHECK(says(parse(8, 0, svmtest_like(), &img), "no multiboot1 header"));

    /* flags: address fields needed (svmtest is a 64-bit ELF), no video mode,
     * no unknown required bit; optional bits 17-31 ignored */
    f = svmtest_like();
    f.flags &= ~MB1_HEADER_ADDRESS;
    CHECK(says(parse(0x3000, 0x1018, f, &img), "no address fields"));
    f = svmtest_like();
    f.flags |= MB1_HEADER_VIDEO_MODE;
    CHECK(says(parse(0x3000, 0x1018, f, &img), "lacks"));
    f.flags = FLAGS_SVMTEST | (1u << 15);
    CHECK(says(parse(0x3000, 0x1018, f, &img), "lacks"));
    f.flags = FLAGS_SVMTEST | (1u << 20);
    CHECK(parse(0x3000, 0x1018, f, &img) == NULL);

    /* address fields that do not fit the file or each other */
    f = svmtest_like();
    f.load_addr = 0x100020;
    CHECK(says(parse(0x3000, 0x1018, f, &img), "header_addr is below load_addr"));
    f = svmtest_like();
    f.load_addr = 0xf0000;     /* would start 0x10018 bytes before the header: before the file */
    CHECK(says(parse(0x3000, 0x1018, f, &img), "before the file"));
    f = svmtest_like();
    f.load_end = 0xfff00;
    CHECK(says(parse(0x3000, 0x1018, f, &img), "load_end_addr is below"));
    f.load_end = 0x102001;
    CHECK(says(parse(0x3000, 0x1018, f, &img), "past the end of the file"));
    f.load_end = 0x100030;     /* the header is not all in the loaded part */
    f.entry = 0x100000;
    CHECK(says(parse(0x3000, 0x1018, f, &img), "not inside the loaded part"));
    f = svmtest_like();
    f.bss_end = 0x101000;
    CHECK(says(parse(0x3000, 0x1018, f, &img), "bss_end_addr"));
    f = svmtest_like();
    f.entry = 0x102000;
    CHECK(says(parse(0x3000, 0x1018, f, &img), "entry_addr"));
    f.entry = 0xfffff;
    CHECK(says(parse(0x3000, 0x1018, f, &img), "entry_addr"));

    /* ranges: half-open */
    CHECK(mb1_ranges_overlap(0x100000, 0x235000, 0x234000, 0x2000000));
    CHECK(!mb1_ranges_overlap(0x100000, 0x235000, 0x235000, 0x2000000));
    CHECK(!mb1_ranges_overlap(0x2000000, 0x2010000, 0x100000, 0x2000000));
    CHECK(mb1_ranges_overlap(0x100000, 0x200000, 0x0, 0xffffffffull));
}
