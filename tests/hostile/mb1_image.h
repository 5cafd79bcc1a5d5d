/* The multiboot1 header of a kernel image, and where its bytes go: what a
 * multiboot1 loader reads before it copies a kernel (multiboot 0.6.96, 3.1).
 * Host-testable: used by the hostile loader and by tests/unit. */
#ifndef SVMTEST_MB1_IMAGE_H
#define SVMTEST_MB1_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#define MB1_HEADER_MAGIC 0x1BADB002u
#define MB1_SEARCH_LIMIT 8192u           /* the header lies in the first 8 KiB */
#define MB1_HEADER_ALIGN 4u
#define MB1_HEADER_PAGE_ALIGN (1u << 0)  /* modules page aligned */
#define MB1_HEADER_MEMORY_INFO (1u << 1) /* mem_* and mmap_* wanted */
#define MB1_HEADER_VIDEO_MODE (1u << 2)
#define MB1_HEADER_ADDRESS (1u << 16)    /* header_addr..entry_addr are valid */
#define MB1_HEADER_REQUIRED_MASK 0xffffu /* bits a loader must understand */

struct mb1_image {
    uint32_t header_offset;              /* of the header in the file */
    uint32_t flags;
    uint32_t load_addr, load_end_addr, bss_end_addr, entry_addr;
    uint32_t file_offset;                /* file offset of the byte that goes to load_addr */
    uint32_t load_size;                  /* bytes copied from the file */
    uint32_t end_addr;                   /* first address after the image and its bss */
};

/* Finds and checks the header of a len-byte file and fills img. Returns NULL,
 * or what is wrong (only images with the address fields are supported: that
 * is how a 64-bit ELF such as svmtest is loaded by multiboot1). */
const char *mb1_image_parse(const uint8_t *file, size_t len, struct mb1_image *img);

/* 1 when [a, a_end) and [b, b_end) share a byte. */
int mb1_ranges_overlap(uint64_t a, uint64_t a_end, uint64_t b, uint64_t b_end);

#endif
