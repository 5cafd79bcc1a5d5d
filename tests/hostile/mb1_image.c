#include "mb1_image.h"

#define MB1_HEADER_SIZE 32u              /* magic .. entry_addr */
#define MB1_SUPPORTED (MB1_HEADER_PAGE_ALIGN | MB1_HEADER_MEMORY_INFO)

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static long find_header(const uint8_t *file, size_t len)
{
    size_t limit = len < MB1_SEARCH_LIMIT ? len : MB1_SEARCH_LIMIT;
    for (size_t off = 0; off + 12 <= limit; off += MB1_HEADER_ALIGN) {
        uint32_t magic = le32(file + off), flags = le32(file + off + 4);
        if (magic == MB1_HEADER_MAGIC && (uint32_t)(magic + flags + le32(file + off + 8)) == 0)
            return (long)off;
    }
    return -1;
}

const char *mb1_image_parse(const uint8_t *file, size_t len, struct mb1_image *img)
{
    *img = (struct mb1_image){ 0 };
    long at = find_header(file, len);
    if (at < 0)
        return "no multiboot1 header (magic and checksum) in the first 8 KiB";
    const uint8_t *h = file + at;
    img->header_offset = (uint32_t)at;
    img->flags = le32(h + 4);
    if (img->flags & MB1_HEADER_REQUIRED_MASK & ~MB1_SUPPORTED)
        return "the header asks for a feature this loader lacks (video mode or unknown bit 0-15)";
    if (!(img->flags & MB1_HEADER_ADDRESS))
        return "the header has no address fields (flag 16): ELF loading is not supported";
    if (len - (size_t)at < MB1_HEADER_SIZE)
        return "the header's address fields lie past the end of the file";
    if ((size_t)at + MB1_HEADER_SIZE > MB1_SEARCH_LIMIT)
        return "the header's address fields lie past the first 8 KiB";
    uint32_t header_addr = le32(h + 12);
    img->load_addr = le32(h + 16);
    img->load_end_addr = le32(h + 20);
    img->bss_end_addr = le32(h + 24);
    img->entry_addr = le32(h + 28);
    if (header_addr < img->load_addr || header_addr - img->load_addr > (uint32_t)at)
        return "header_addr is below load_addr or before the file's start";
    img->file_offset = (uint32_t)at - (header_addr - img->load_addr);
    size_t file_left = len - img->file_offset;
    if (img->load_end_addr == 0) {
        img->load_size = (uint32_t)file_left;
    } else {
        if (img->load_end_addr < img->load_addr)
            return "load_end_addr is below load_addr";
        img->load_size = img->load_end_addr - img->load_addr;
        if (img->load_size > file_left)
            return "load_end_addr lies past the end of the file";
    }
    if (header_addr - img->load_addr + MB1_HEADER_SIZE > img->load_size)
        return "the header is not inside the loaded part of the file";
    uint32_t load_end = img->load_addr + img->load_size;
    if (load_end < img->load_addr)
        return "the image wraps around 4 GiB";
    img->end_addr = load_end;
    if (img->bss_end_addr) {
        if (img->bss_end_addr < load_end)
            return "bss_end_addr is below the end of the loaded part";
        img->end_addr = img->bss_end_addr;
    }
    if (img->entry_addr < img->load_addr || img->entry_addr >= load_end)
        return "entry_addr is outside the loaded part";
    return 0;
}

int mb1_ranges_overlap(uint64_t a, uint64_t a_end, uint64_t b, uint64_t b_end)
{
    return a < b_end && b < a_end;
}
