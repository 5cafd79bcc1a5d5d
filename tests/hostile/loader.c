/* Hostile loader: a multiboot1 kernel for QEMU -kernel that loads svmtest
 * from its first module (-initrd "build/svmtest.elf ARGS"), leaves the machine
 * in the hostile state its command line asks for, and hands over to svmtest
 * as a multiboot1 loader does (EAX = 0x2BADB002, EBX = info, paging off,
 * IF = 0). Words: la57 efer pic lapic_timer lint0 selfipi x2apic, all (every
 * one), debug (say on COM1 what state svmtest gets), mem_end=0xADDR (cut the
 * memory map given to svmtest at ADDR). See README.md, "Hostile loader". */
#include <stddef.h>
#include <stdint.h>

#include "console.h"
#include "mb1_image.h"
#include "states.h"

#define MB1_LOADER_MAGIC 0x2BADB002u
#define MB1_INFO_MEMORY (1u << 0)
#define MB1_INFO_CMDLINE (1u << 2)
#define MB1_INFO_MODS (1u << 3)
#define MB1_INFO_MMAP (1u << 6)
#define MB1_INFO_LOADER_NAME (1u << 9)
#define MB1_MMAP_AVAILABLE 1
#define LOW_MEMORY_END 0x100000u   /* mem_upper counts from 1 MiB */
#define CMDLINE_MAX 8192           /* more than svmtest holds: its own limit is tested, not ours */
#define LOADER_NAME_MAX 64
#define MMAP_MAX 64

struct mb1_info {
    uint32_t flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length, mmap_addr, drives_length, drives_addr, config_table;
    uint32_t boot_loader_name, apm_table;
    uint32_t vbe_and_framebuffer[12];   /* not given: zero */
};

struct mb1_module { uint32_t mod_start, mod_end, string, reserved; };

struct mb1_mmap_entry {   /* size counts the bytes after itself */
    uint32_t size;
    uint64_t base, length;
    uint32_t type;
} __attribute__((packed));

extern char __loader_start[], __loader_end[];
void enter_kernel(uint32_t entry, uint32_t info) __attribute__((noreturn));
void loader_main(uint32_t magic, uint32_t mbi_addr) __attribute__((noreturn));

/* the information block svmtest gets, and everything it points to: all in
 * the loader's own .bss, far above svmtest's image */
static struct mb1_info info;
static char cmdline[CMDLINE_MAX + 1];
static char loader_name[LOADER_NAME_MAX + 1];
static struct mb1_mmap_entry mmap[MMAP_MAX];

void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n)
{
    char *d = dst;
    const char *s = src;
    while (n--)
        *d++ = *s++;
    return dst;
}
void *memset(void *dst, int c, size_t n)
{
    char *d = dst;
    while (n--)
        *d++ = (char)c;
    return dst;
}

static int word_is(const char *w, size_t len, const char *name)
{
    size_t i = 0;
    for (; i < len && name[i]; i++)
        if (w[i] != name[i])
            return 0;
    return i == len && !name[i];
}

static int parse_hex(const char *s, size_t len, uint32_t *out)
{
    if (len < 3 || s[0] != '0' || s[1] != 'x' || len > 10)
        return 0;
    uint32_t v = 0;
    for (size_t i = 2; i < len; i++) {
        char c = s[i];
        unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0')
                   : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10) : 16;
        if (d == 16)
            return 0;
        v = v << 4 | d;
    }
    *out = v;
    return 1;
}

struct options { unsigned states; int debug; uint32_t mem_end; };

/* The loader's own command line: its file name first (as QEMU gives it), then words. */
static struct options parse_options(const char *s)
{
    struct options o = { 0, 0, 0 };
    int first = 1;
    while (s && *s) {
        while (*s == ' ')
            s++;
        const char *w = s;
        while (*s && *s != ' ')
            s++;
        size_t len = (size_t)(s - w);
        if (!len || first) {
            first = 0;
            continue;
        }
        const struct state_word *sw = state_words;
        while (sw->word && !word_is(w, len, sw->word))
            sw++;
        if (sw->word)
            o.states |= sw->state;
        else if (word_is(w, len, "all"))
            for (sw = state_words; sw->word; sw++)
                o.states |= sw->state;
        else if (word_is(w, len, "debug"))
            o.debug = 1;
        else if (len > 8 && word_is(w, 8, "mem_end=") && parse_hex(w + 8, len - 8, &o.mem_end))
            ;
        else {
            char word[32];
            size_t n = len < sizeof word - 1 ? len : sizeof word - 1;
            memcpy(word, w, n);
            word[n] = 0;
            die("unknown word '%s' (words: la57 efer pic lapic_timer lint0 selfipi x2apic all debug mem_end=0xADDR)", word);
        }
    }
    return o;
}

static size_t copy_string(char *dst, size_t max, const char *src, const char *what)
{
    size_t n = 0;
    while (src[n]) {
        if (n == max)
            die("%s longer than %u bytes", what, (uint32_t)max);
        dst[n] = src[n];
        n++;
    }
    dst[n] = 0;
    return n;
}

/* The loader's memory map, cut at mem_end when asked (available memory past
 * it dropped, an entry across it shortened). */
static void copy_mmap(const struct mb1_info *mine, uint32_t mem_end)
{
    if (!(mine->flags & MB1_INFO_MMAP))
        return;
    uint32_t n = 0;
    for (uint32_t off = 0; off + sizeof(struct mb1_mmap_entry) <= mine->mmap_length;) {
        const struct mb1_mmap_entry *e = (const void *)(mine->mmap_addr + off);
        off += e->size + 4;
        struct mb1_mmap_entry c = { sizeof c - 4, e->base, e->length, e->type };
        if (mem_end && c.type == MB1_MMAP_AVAILABLE) {
            if (c.base >= mem_end)
                continue;
            if (c.base + c.length > mem_end)
                c.length = mem_end - c.base;
        }
        if (n == MMAP_MAX)
            die("memory map has more than %u entries", MMAP_MAX);
        mmap[n++] = c;
    }
    info.flags |= MB1_INFO_MMAP;
    info.mmap_addr = (uint32_t)mmap;
    info.mmap_length = n * sizeof mmap[0];
}

/* svmtest's information block: memory sizes, the module's command line
 * (its first word the file name, as QEMU gives it), the memory map and the
 * loader's name as the loader got them. */
static void build_info(const struct mb1_info *mine, const struct mb1_module *mod, uint32_t mem_end)
{
    if (mine->flags & MB1_INFO_MEMORY) {
        info.flags |= MB1_INFO_MEMORY;
        info.mem_lower = mine->mem_lower;
        info.mem_upper = mine->mem_upper;
        if (mem_end && mem_end > LOW_MEMORY_END && LOW_MEMORY_END + info.mem_upper * 1024ull > mem_end)
            info.mem_upper = (mem_end - LOW_MEMORY_END) / 1024;
    }
    if (mod->string) {
        info.flags |= MB1_INFO_CMDLINE;
        copy_string(cmdline, CMDLINE_MAX, (const char *)mod->string, "module command line");
        info.cmdline = (uint32_t)cmdline;
    }
    if (mine->flags & MB1_INFO_LOADER_NAME) {
        info.flags |= MB1_INFO_LOADER_NAME;
        copy_string(loader_name, LOADER_NAME_MAX, (const char *)mine->boot_loader_name, "loader name");
        info.boot_loader_name = (uint32_t)loader_name;
    }
    copy_mmap(mine, mem_end);
}

void loader_main(uint32_t magic, uint32_t mbi_addr)
{
    if (magic != MB1_LOADER_MAGIC)
        die("not started by a multiboot1 loader (eax=%x)", magic);
    const struct mb1_info *mine = (const void *)mbi_addr;
    struct options o = parse_options(mine->flags & MB1_INFO_CMDLINE ? (const char *)mine->cmdline : 0);
    if (!(mine->flags & MB1_INFO_MODS) || mine->mods_count < 1)
        die("no module: give svmtest with -initrd \"build/svmtest.elf ARGS\"");
    const struct mb1_module *mod = (const void *)mine->mods_addr;
    struct mb1_image img;
    const char *why = mb1_image_parse((const uint8_t *)mod->mod_start, mod->mod_end - mod->mod_start, &img);
    if (why)
        die("module: %s", why);
    if (mb1_ranges_overlap(img.load_addr, img.end_addr, (uint32_t)__loader_start, (uint32_t)__loader_end) ||
        mb1_ranges_overlap(img.load_addr, img.end_addr, mod->mod_start, mod->mod_end))
        die("module: image %x..%x overlaps the loader or the module itself", img.load_addr, img.end_addr);
    build_info(mine, mod, o.mem_end);   /* copies what it needs before the image lands */
    memcpy((void *)img.load_addr, (const void *)(mod->mod_start + img.file_offset), img.load_size);
    memset((void *)(img.load_addr + img.load_size), 0, img.end_addr - img.load_addr - img.load_size);

    unsigned applied = states_apply(o.states);
    if (o.debug) {
        say("kernel: load=%x..%x bss_end=%x entry=%x info=%x", img.load_addr,
            img.load_addr + img.load_size, img.end_addr, img.entry_addr, (uint32_t)&info);
        say("kernel: cmdline \"%s\"", cmdline);
        if (o.mem_end)
            say("kernel: memory map cut at %x", o.mem_end);
        states_report(applied);
        say("jumping to %x", img.entry_addr);
    }
    enter_kernel(img.entry_addr, (uint32_t)&info);
}
