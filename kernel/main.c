/* kmain: read the boot information and the command line, open the console,
 * print the KTAP header, run the selected tests, end the run. */
#include <stdint.h>

#include "apic.h"
#include "bootinfo.h"
#include "config.h"
#include "console.h"
#include "cpu.h"
#include "cpuinfo.h"
#include "exit.h"
#include "fmt.h"
#include "gdt.h"
#include "idt.h"
#include "report.h"
#include "screen.h"
#include "smp.h"
#include "../svm/run.h"
#include "spcr.h"
#include "../svm/caps.h"

#define BOOT_INFO_REACH (4ull << 30)   /* the identity map covers 4 GiB */
#define COM1_PORT 0x3f8
#define CONSOLE_NOTE_MAX 120

static const void *identity(uint64_t addr, size_t len, void *ctx)
{
    (void)ctx;
    if (addr == 0 || addr >= BOOT_INFO_REACH || len > BOOT_INFO_REACH - addr)
        return 0;
    return (const void *)(uintptr_t)addr;
}

static void read_boot_info(struct boot_info *info, uint32_t magic, uint32_t addr)
{
    const uint32_t *total_size = identity(addr, 8, 0);
    if (magic == MB2_LOADER_MAGIC && total_size && identity(addr, *total_size, 0)) {
        bootinfo_parse_mb2(info, total_size, *total_size);
    } else if (magic == MB1_LOADER_MAGIC && identity(addr, 88, 0)) {
        bootinfo_parse_mb1(info, identity(addr, 88, 0), identity, 0);
    } else {
        *info = (struct boot_info){ .loader = LOADER_UNKNOWN };
    }
}

/* console=spcr: the SPCR table's UART, or COM1 with a note saying why not. */
static void spcr_console(const struct boot_info *info, struct uart *u, uint32_t *baud, char *note)
{
    struct spcr_uart s;
    const char *why = 0;
    *u = (struct uart){ .base = COM1_PORT };
    if (spcr_find(info->rsdp, info->rsdp_len, identity, 0, &s, &why)) {
        fmt_snprintf(note, CONSOLE_NOTE_MAX, "spcr: %s, using com1", why);
        return;
    }
    if (s.space == SPCR_SPACE_MEMORY && !identity(s.address, 8 << s.reg_shift, 0)) {
        fmt_snprintf(note, CONSOLE_NOTE_MAX, "spcr: MMIO UART at 0x%lx is beyond the 4 GiB map, using com1",
                     s.address);
        return;
    }
    *u = (struct uart){ .base = s.address, .mmio = s.space == SPCR_SPACE_MEMORY,
                        .reg_shift = s.reg_shift, .access_bytes = s.access_bytes };
    if (s.baud)
        *baud = s.baud;
    fmt_snprintf(note, CONSOLE_NOTE_MAX, "spcr: UART at %s 0x%lx%s baud=%u",
                 u->mmio ? "MMIO" : "I/O port", s.address,
                 u->mmio ? (s.access_bytes == 4 ? " (32-bit registers)" : " (8-bit registers)") : "",
                 *baud);
}

static void print_header(const struct boot_info *info, const struct config *cfg,
                         const struct svm_caps *caps, const char *console_note,
                         const char *screen)
{
    struct cpu_ident id;
    cpu_ident_read(&id);
    ktap_begin(&report);
    diag("cpu: vendor=%s family=0x%x model=0x%x stepping=0x%x name=\"%s\"",
         id.vendor, id.family, id.model, id.stepping, id.name);
    diag("features: svm=%u npt=%u la57=%u nrips=%u decode_assists=%u vmcb_clean=%u "
         "flush_by_asid=%u vgif=%u nx=%u svm_revision=%u asids=%u svmdis=%u",
         caps->svm, caps->npt, caps->la57, caps->nrips, caps->decode_assists, caps->vmcb_clean,
         caps->flush_by_asid, caps->vgif, caps->nx, caps->revision, caps->asids,
         caps->svm_disabled);
    char line[CONFIG_ONLY_TEXT_MAX + 120];
    config_describe(cfg, line, sizeof line);
    diag("cmdline: %s", line);
    if (console_note)
        diag("console: %s", console_note);
    if (cfg->verbose) {
        static const char *const loaders[] = { "unknown", "multiboot1", "multiboot2" };
        diag("boot: loader=%s name=\"%.*s\" memory=%lu MiB mmap_entries=%u rsdp=%s",
             loaders[info->loader], (int)info->loader_name_len,
             info->loader_name ? info->loader_name : "", info->memory_available >> 20,
             info->mmap_entries, info->rsdp ? "yes" : "no");
        if (info->framebuffer_addr)
            diag("boot: framebuffer addr=0x%lx %ux%u pitch=%u bpp=%u type=%u efi=%u",
                 info->framebuffer_addr, info->framebuffer_width, info->framebuffer_height,
                 info->framebuffer_pitch, info->framebuffer_bpp, info->framebuffer_type, info->efi);
        if (info->error)
            diag("boot: %s", info->error);
        diag("exit: %s screen: %s", exit_mode_name(exit_resolve(cfg->exit)), screen);
    }
}

void kmain(uint32_t magic, uint32_t info_addr);
void kmain(uint32_t magic, uint32_t info_addr)
{
    static struct boot_info info;
    static struct config cfg;
    static struct svm_caps caps;
    char error[CONFIG_ERROR_MAX];

    tss_init();
    idt_init();
    report_init(EXIT_AUTO);   /* an exception from here on is reported on COM1 */
    apic_quiet_legacy_pic();
    read_boot_info(&info, magic, info_addr);
    int bad_config = config_parse(&cfg, info.cmdline, info.cmdline ? info.cmdline_len : 0,
                                  info.cmdline_has_file_name, error, sizeof error);
    char console_note[CONSOLE_NOTE_MAX] = "";
    struct uart uart = { .base = cfg.console_port };
    uint32_t baud = cfg.baud;
    if (!bad_config && cfg.console == CONSOLE_SPCR)
        spcr_console(&info, &uart, &baud, console_note);
    const char *screen = screen_init(&info);
    console_init(&uart, baud);
    report_set_exit_mode(cfg.exit);
    svm_caps_read(&caps);
    print_header(&info, &cfg, &caps, console_note[0] ? console_note : 0, screen);

    if (info.loader == LOADER_UNKNOWN)
        diag("boot: not started by a multiboot loader (magic 0x%08x): default command line", magic);
    if (bad_config) {
        ktap_plan(&report, 1);
        ktap_result(&report, "cmdline", RESULT_ERROR, error);
        report_finish();
    }
    smp_discover(&info);
    run_selected(&cfg, &caps);
    report_finish();
}
