#include "bootinfo.h"

#include <string.h>

#include "kernel/lib/bytes.h"

#define MB2_TAG_END 0
#define MB2_TAG_CMDLINE 1
#define MB2_TAG_LOADER_NAME 2
#define MB2_TAG_MMAP 6
#define MB2_TAG_FRAMEBUFFER 8
#define MB2_TAG_ACPI_OLD 14
#define MB2_TAG_ACPI_NEW 15
#define MB2_TAG_EFI32 11
#define MB2_TAG_EFI64 12
#define MB2_TAG_EFI_MMAP 17
#define MB2_HEADER_SIZE 8
#define MB2_TAG_HEADER_SIZE 8
#define MB2_MMAP_HEADER_SIZE 16
#define MB2_MMAP_ENTRY_MIN 24
#define MB2_FRAMEBUFFER_MIN 31
#define MB2_MAX_SIZE (1u << 20)

#define MB1_FLAG_MEMORY (1u << 0)
#define MB1_FLAG_CMDLINE (1u << 2)
#define MB1_FLAG_MMAP (1u << 6)
#define MB1_FLAG_LOADER_NAME (1u << 9)
#define MB1_MMAP_MAX (64u * 1024)
#define MB1_UPPER_MEMORY_BASE 0x100000u
#define MB1_INFO_SIZE 88

static size_t bounded_strlen(const char *s, size_t max)
{
    size_t n = 0;
    while (n < max && s[n])
        n++;
    return n;
}

#define CMDLINE_TOO_LONG_MB1 "multiboot1 command line longer than the 4096-byte limit"
#define CMDLINE_TOO_LONG_MB2 "multiboot2 command line longer than the 4096-byte limit"
#define CMDLINE_UNREADABLE_MB2 "multiboot2 information broken before its command line tag: " \
    "the command line could not be read"
_Static_assert(BOOTINFO_CMDLINE_MAX == 4096, "the messages name the limit");

static void set_loader_name(struct boot_info *info, const char *s, size_t max)
{
    info->loader_name = s;
    info->loader_name_len = bounded_strlen(s, max);
    if (info->loader_name_len > BOOTINFO_LOADER_NAME_MAX) {
        info->loader_name_len = BOOTINFO_LOADER_NAME_MAX;
        info->loader_name_cut = 1;
    }
}

static int bad(struct boot_info *info, const char *why)
{
    if (!info->error)
        info->error = why;
    return -1;
}

/* The low pages wholly inside [base, base + len): candidates for the AP
 * start-up page (kernel/smp.c). */
static void mark_low_free(struct boot_info *info, uint64_t base, uint64_t len)
{
    for (uint64_t page = 0; page < LOW_PAGES; page++) {
        uint64_t start = page * LOW_PAGE_SIZE;
        if (start >= base && len >= LOW_PAGE_SIZE && start - base <= len - LOW_PAGE_SIZE)
            info->low_free[page / 32] |= 1u << (page % 32);
    }
}

static void add_ram(struct boot_info *info, uint64_t base, uint64_t len)
{
    info->ram_known = 1;
    if (!len)
        return;
    if (info->ram_count == BOOT_RAM_RANGES_MAX) {
        info->ram_overflow = 1;
        return;
    }
    info->ram[info->ram_count++] = (struct mem_range){ base, len };
}

static void add_mmap_entry(struct boot_info *info, uint64_t base, uint64_t len, uint32_t type)
{
    info->mmap_entries++;
    info->ram_known = 1;
    if (type == MB_MMAP_AVAILABLE) {
        info->memory_available += len;
        add_ram(info, base, len);
        mark_low_free(info, base, len);
    }
}

int bootinfo_ram_covers(const struct boot_info *info, uint64_t start, uint64_t end)
{
    if (!info->ram_known)
        return -1;
    /* walk from start: each step needs a range holding the current address;
     * ranges may come in any order, adjacent or overlapping */
    uint64_t at = start;
    for (unsigned step = 0; at < end && step <= info->ram_count; step++) {
        uint64_t reach = at;
        for (unsigned i = 0; i < info->ram_count; i++) {
            const struct mem_range *r = &info->ram[i];
            uint64_t top = r->base + r->len < r->base ? UINT64_MAX : r->base + r->len;
            if (r->base <= at && top > reach)
                reach = top;
        }
        if (reach == at)
            return info->ram_overflow ? -1 : 0;
        at = reach;
    }
    return at >= end ? 1 : (info->ram_overflow ? -1 : 0);
}

static int overlaps(uint64_t start, uint64_t len, const struct mem_range *r)
{
    return r->len && start < r->base + r->len && r->base < start + len;
}

int bootinfo_find_frame(const struct boot_info *info, uint64_t size, uint64_t below,
                        const uint64_t *offset, unsigned npages, const struct mem_range *avoid,
                        unsigned navoid, uint64_t *frame)
{
    if (!size || (size & (size - 1)))
        return 0;
    for (uint64_t base = size; base <= below && size <= below - base; base += size) {
        int usable = 1;
        for (unsigned i = 0; usable && i < npages; i++) {
            uint64_t page = base + offset[i];
            if (offset[i] > size - LOW_PAGE_SIZE ||
                bootinfo_ram_covers(info, page, page + LOW_PAGE_SIZE) != 1)
                usable = 0;
            for (unsigned j = 0; usable && j < navoid; j++)
                if (overlaps(page, LOW_PAGE_SIZE, &avoid[j]))
                    usable = 0;
        }
        if (usable) {
            *frame = base;
            return 1;
        }
    }
    return 0;
}

/* The boot information itself lives in memory the map calls available. */
static void keep_out(struct boot_info *info, uint64_t addr, uint64_t len)
{
    for (uint64_t page = 0; page < LOW_PAGES && len; page++) {
        uint64_t start = page * LOW_PAGE_SIZE;
        if (start < addr + len && addr < start + LOW_PAGE_SIZE)
            info->low_free[page / 32] &= ~(1u << (page % 32));
    }
}

/* Keep-out ranges are applied after the whole map is read. */
#define KEEP_OUT_MAX 4
struct keep_out_list { unsigned n; uint64_t addr[KEEP_OUT_MAX], len[KEEP_OUT_MAX]; };

static void note_keep_out(struct keep_out_list *k, uint64_t addr, uint64_t len)
{
    if (k->n < KEEP_OUT_MAX) {
        k->addr[k->n] = addr;
        k->len[k->n++] = len;
    }
}

static void apply_keep_out(struct boot_info *info, const struct keep_out_list *k)
{
    for (unsigned i = 0; i < k->n; i++)
        keep_out(info, k->addr[i], k->len[i]);
}

int bootinfo_low_page_free(const struct boot_info *info, uint64_t addr)
{
    uint64_t page = addr / LOW_PAGE_SIZE;
    return page < LOW_PAGES && (info->low_free[page / 32] >> (page % 32) & 1);
}

static int parse_mb2_mmap(struct boot_info *info, const uint8_t *tag, uint32_t size)
{
    if (size < MB2_MMAP_HEADER_SIZE)
        return bad(info, "multiboot2 memory map tag too short");
    uint32_t entry_size = read_le32(tag + 8);
    if (entry_size < MB2_MMAP_ENTRY_MIN || entry_size % 8)
        return bad(info, "multiboot2 memory map entry size invalid");
    for (uint32_t off = MB2_MMAP_HEADER_SIZE; entry_size <= size - off; off += entry_size)
        add_mmap_entry(info, read_le64(tag + off), read_le64(tag + off + 8), read_le32(tag + off + 16));
    return 0;
}

static int parse_mb2_framebuffer(struct boot_info *info, const uint8_t *tag, uint32_t size)
{
    if (size < MB2_FRAMEBUFFER_MIN)
        return bad(info, "multiboot2 framebuffer tag too short");
    info->framebuffer_addr = read_le64(tag + 8);
    info->framebuffer_pitch = read_le32(tag + 16);
    info->framebuffer_width = read_le32(tag + 20);
    info->framebuffer_height = read_le32(tag + 24);
    info->framebuffer_bpp = tag[28];
    info->framebuffer_type = tag[29];
    return 0;
}

static int parse_mb2(struct boot_info *info, const uint8_t *b, size_t avail);

int bootinfo_parse_mb2(struct boot_info *info, const void *block, size_t avail)
{
    int r = parse_mb2(info, block, avail);
    if (r && !info->cmdline && !info->cmdline_error)
        info->cmdline_error = CMDLINE_UNREADABLE_MB2;
    return r;
}

static int parse_mb2(struct boot_info *info, const uint8_t *b, size_t avail)
{
    *info = (struct boot_info){ .loader = LOADER_MULTIBOOT2 };
    if (avail < MB2_HEADER_SIZE)
        return bad(info, "multiboot2 information shorter than its header");
    uint32_t total = read_le32(b);
    if (total < MB2_HEADER_SIZE + MB2_TAG_HEADER_SIZE || total > avail || total > MB2_MAX_SIZE)
        return bad(info, "multiboot2 information total_size invalid");
    size_t off = MB2_HEADER_SIZE;
    while (off + MB2_TAG_HEADER_SIZE <= total) {
        const uint8_t *tag = b + off;
        uint32_t type = read_le32(tag), size = read_le32(tag + 4);
        if (size < MB2_TAG_HEADER_SIZE || size > total - off)
            return bad(info, "multiboot2 tag size runs past the information");
        if (type == MB2_TAG_END) {
            keep_out(info, (uintptr_t)b, total);
            return 0;
        }
        const char *payload = (const char *)tag + MB2_TAG_HEADER_SIZE;
        size_t payload_len = size - MB2_TAG_HEADER_SIZE;
        switch (type) {
        case MB2_TAG_CMDLINE:
            info->cmdline = payload;
            info->cmdline_len = bounded_strlen(payload, payload_len);
            if (info->cmdline_len > BOOTINFO_CMDLINE_MAX) {
                info->cmdline_error = CMDLINE_TOO_LONG_MB2;
                info->cmdline_len = BOOTINFO_CMDLINE_MAX;
            }
            break;
        case MB2_TAG_LOADER_NAME:
            set_loader_name(info, payload, payload_len);
            break;
        case MB2_TAG_MMAP:
            parse_mb2_mmap(info, tag, size);
            break;
        case MB2_TAG_FRAMEBUFFER:
            parse_mb2_framebuffer(info, tag, size);
            break;
        case MB2_TAG_ACPI_OLD:
        case MB2_TAG_ACPI_NEW:
            /* prefer the ACPI 2.0 copy when both are given */
            if (!info->rsdp || type == MB2_TAG_ACPI_NEW) {
                info->rsdp = payload;
                info->rsdp_len = payload_len;
            }
            break;
        case MB2_TAG_EFI32:
        case MB2_TAG_EFI64:
        case MB2_TAG_EFI_MMAP:
            info->efi = 1;
            break;
        default:
            break;
        }
        off += (size + 7u) & ~7u;
    }
    return bad(info, "multiboot2 information has no end tag");
}

static int parse_mb1(struct boot_info *info, const uint8_t *m, phys_resolver resolve, void *ctx,
                     struct keep_out_list *keep)
{
    uint32_t flags = read_le32(m);
    if (flags & MB1_FLAG_CMDLINE) {
        note_keep_out(keep, read_le32(m + 16), BOOTINFO_CMDLINE_MAX + 1);
        const char *s = resolve(read_le32(m + 16), BOOTINFO_CMDLINE_MAX + 1, ctx);
        if (!s) {
            info->cmdline_error = "multiboot1 command line unreachable";
            return bad(info, info->cmdline_error);
        }
        info->cmdline = s;
        info->cmdline_len = bounded_strlen(s, BOOTINFO_CMDLINE_MAX + 1);
        if (info->cmdline_len > BOOTINFO_CMDLINE_MAX) {
            info->cmdline_error = CMDLINE_TOO_LONG_MB1;
            info->cmdline_len = BOOTINFO_CMDLINE_MAX;
        }
    }
    if (flags & MB1_FLAG_LOADER_NAME) {
        note_keep_out(keep, read_le32(m + 64), BOOTINFO_LOADER_NAME_MAX + 1);
        const char *s = resolve(read_le32(m + 64), BOOTINFO_LOADER_NAME_MAX + 1, ctx);
        if (s)
            set_loader_name(info, s, BOOTINFO_LOADER_NAME_MAX + 1);
    }
    if (flags & MB1_FLAG_MMAP) {
        uint32_t len = read_le32(m + 44), addr = read_le32(m + 48);
        if (len > MB1_MMAP_MAX)
            return bad(info, "multiboot1 memory map too long");
        note_keep_out(keep, addr, len);
        const uint8_t *map = resolve(addr, len, ctx);
        if (!map)
            return bad(info, "multiboot1 memory map unreachable");
        /* each entry: size (not counting itself), base, length, type */
        for (uint32_t off = 0; off + 24 <= len;) {
            uint32_t size = read_le32(map + off);
            if (size < 20 || size > len - off - 4)
                return bad(info, "multiboot1 memory map entry size invalid");
            add_mmap_entry(info, read_le64(map + off + 4), read_le64(map + off + 12), read_le32(map + off + 20));
            off += size + 4;
        }
    } else if (flags & MB1_FLAG_MEMORY) {
        info->memory_available = ((uint64_t)read_le32(m + 4) + read_le32(m + 8)) * 1024;
        add_ram(info, 0, (uint64_t)read_le32(m + 4) * 1024);
        add_ram(info, MB1_UPPER_MEMORY_BASE, (uint64_t)read_le32(m + 8) * 1024);
        mark_low_free(info, 0, (uint64_t)read_le32(m + 4) * 1024);
    }
    return 0;
}

int bootinfo_parse_mb1(struct boot_info *info, const void *mbi, phys_resolver resolve, void *ctx)
{
    struct keep_out_list keep = { 0 };
    *info = (struct boot_info){ .loader = LOADER_MULTIBOOT1, .cmdline_has_file_name = 1 };
    note_keep_out(&keep, (uintptr_t)mbi, MB1_INFO_SIZE);
    int r = parse_mb1(info, mbi, resolve, ctx, &keep);
    apply_keep_out(info, &keep);
    return r;
}
