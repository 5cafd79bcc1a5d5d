/* Multiboot1 and multiboot2 boot information: what svmtest keeps of it. */
#ifndef SVMTEST_BOOTINFO_H
#define SVMTEST_BOOTINFO_H

#include <stddef.h>
#include <stdint.h>

#define MB1_LOADER_MAGIC 0x2BADB002u
#define MB2_LOADER_MAGIC 0x36d76289u

enum loader { LOADER_UNKNOWN, LOADER_MULTIBOOT1, LOADER_MULTIBOOT2 };

#define MB_MMAP_AVAILABLE 1
/* The longest command line svmtest reads (bytes, without the NUL), from
 * either loader: a longer one is a configuration error naming this limit,
 * never cut silently (../shared/SPEC.md, Command line). */
#define BOOTINFO_CMDLINE_MAX 4096
/* The loader's name is only shown (verbose=1): that much of it. */
#define BOOTINFO_LOADER_NAME_MAX 64
#define BOOT_RAM_RANGES_MAX 128

struct mem_range { uint64_t base, len; };
#define LOW_MEMORY_END 0x100000u        /* real-mode reach: the AP start-up page */
#define LOW_PAGE_SIZE 4096u
#define LOW_PAGES (LOW_MEMORY_END / LOW_PAGE_SIZE)

struct boot_info {
    enum loader loader;
    const char *cmdline;          /* not NUL-terminated necessarily: use cmdline_len */
    size_t cmdline_len;
    int cmdline_has_file_name;    /* multiboot1 loaders put the kernel's name first */
    const char *loader_name;
    size_t loader_name_len;       /* at most BOOTINFO_LOADER_NAME_MAX */
    int loader_name_cut;          /* the name was longer: shown cut, marked "..." */
    uint64_t memory_available;    /* bytes of type-1 memory in the map */
    unsigned mmap_entries;
    const void *rsdp;             /* ACPI RSDP (multiboot2 copies it), or NULL */
    size_t rsdp_len;
    uint64_t framebuffer_addr;    /* multiboot2 framebuffer tag, 0 if none */
    uint32_t framebuffer_pitch, framebuffer_width, framebuffer_height;
    uint8_t framebuffer_bpp, framebuffer_type;
    uint8_t efi;                  /* booted by UEFI firmware (multiboot2 EFI tags) */
    const char *error;            /* first malformation met, or NULL */
    /* The command line could not be read whole (longer than
     * BOOTINFO_CMDLINE_MAX, unreachable, or in information whose framing is
     * broken before its tag): what to say as the configuration error. */
    const char *cmdline_error;
    /* the RAM the loader's map says is available (type 1), or what
     * multiboot1's mem_lower/mem_upper say when it gives no map */
    struct mem_range ram[BOOT_RAM_RANGES_MAX];
    unsigned ram_count;
    int ram_known;                /* the loader gave a map or memory sizes */
    int ram_overflow;             /* more ranges than BOOT_RAM_RANGES_MAX */
    /* 4 KiB pages below 1 MiB that the memory map says are available and
     * that hold none of the boot information itself (bit i: page i) */
    uint32_t low_free[LOW_PAGES / 32];
    struct mem_range block;       /* the boot information block itself (set by kernel/boot.c) */
};

/* Is the low page at addr free (see low_free)? */
int bootinfo_low_page_free(const struct boot_info *info, uint64_t addr);

/* Parse a multiboot2 information block of at most avail bytes (the block's own
 * total_size must fit). Returns -1 with info->error set when the block's
 * framing is broken (what parsed before is kept); a malformed tag inside a
 * sound block only sets info->error and parsing goes on (returns 0). */
int bootinfo_parse_mb2(struct boot_info *info, const void *block, size_t avail);

/* Resolves a physical address range to a pointer, or NULL if unreachable. */
typedef const void *(*phys_resolver)(uint64_t addr, size_t len, void *ctx);

/* Parse a multiboot1 information structure; physical pointers in it are
 * resolved through resolve, for as many bytes as may be read there (the
 * command line up to BOOTINFO_CMDLINE_MAX + 1 bytes, its NUL included). */
int bootinfo_parse_mb1(struct boot_info *info, const void *mbi, phys_resolver resolve, void *ctx);

/* The lowest frame aligned to `size` (a power of two), at or above `size`
 * and ending at or below `below`, in which each of the npages 4 KiB pages
 * at frame + offset[i] lies wholly in RAM the loader's map provides and
 * outside every range in avoid[0..navoid). Returns 1 with *frame, or 0. */
int bootinfo_find_frame(const struct boot_info *info, uint64_t size, uint64_t below,
                        const uint64_t *offset, unsigned npages, const struct mem_range *avoid,
                        unsigned navoid, uint64_t *frame);

/* Whether [start, end) lies wholly in RAM the loader's map provides:
 * 1 yes, 0 no, -1 the loader gave no map to tell (nor could all of it be kept). */
int bootinfo_ram_covers(const struct boot_info *info, uint64_t start, uint64_t end);

#endif
