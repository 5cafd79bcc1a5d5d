/* kmain: read the boot information and the command line, open the console,
 * print the KTAP header, run the selected tests, end the run. */
#include <stdint.h>

#include "boot.h"
#include "bootinfo.h"
#include "config.h"
#include "kernel/acpi/fadt.h"
#include "kernel/acpi/spcr.h"
#include "kernel/console/console.h"
#include "kernel/console/screen.h"
#include "kernel/cpu/cpu.h"
#include "kernel/cpu/cpuinfo.h"
#include "kernel/cpu/hypervisor.h"
#include "kernel/interrupts/apic.h"
#include "kernel/interrupts/gdt.h"
#include "kernel/interrupts/idt.h"
#include "kernel/lib/fmt.h"
#include "kernel/mce/mce.h"
#include "kernel/report/exit.h"
#include "kernel/report/report.h"
#include "smp.h"
#include "svm/caps.h"
#include "svm/catalog.h"
#include "svm/run.h"
#include "timer.h"

#define LINK_ADDRESS 0x100000u         /* boot/kernel.ld */

extern uint8_t __image_start[], __bss_end[];
#define CONSOLE_NOTE_MAX 256
#define CPU_LINE_MAX 200
#define IDENTITY_MAP_LIMIT (4ull << 30)   /* what identity() (kernel/boot.c) reaches */

/* console=spcr: the SPCR table's UART if it can be there and answers, or
 * COM1 with a note saying why not. */
static void spcr_console(const struct boot_info *info, const struct config *cfg,
                         const struct console_memory *mem, struct uart *u, uint32_t *baud, char *note)
{
    struct spcr_uart s;
    const char *why = 0;
    int found = spcr_find(info->rsdp, info->rsdp_len, identity, 0, &s, &why);
    if (spcr_console_choice(found, &s, why, cfg->uart_clock, cfg->baud, mem, u, baud, note,
                            CONSOLE_NOTE_MAX) && !uart_answers(u))
        spcr_console_unanswered(&s, cfg->uart_clock, cfg->baud, u, baud, note, CONSOLE_NOTE_MAX);
}

static void print_header(const struct boot_info *info, const struct config *cfg,
                         const struct svm_caps *caps, const char *console_note,
                         const char *screen)
{
    struct cpu_ident id;
    char text[CPU_LINE_MAX], leaves[CPU_LINE_MAX];
    cpu_ident_read(&id);
    ktap_begin(&report);
    char hv[HYPERVISOR_NAME_SIZE];
    hypervisor_name(hv);
    cpu_ident_format(&id, text, sizeof text);
    diag("cpu: %s hypervisor=%s", text, hv);
    cpu_leaves_format(&id, leaves, sizeof leaves);
    diag("features: svm=%u npt=%u la57=%u nrips=%u decode_assists=%u vmcb_clean=%u "
         "flush_by_asid=%u vgif=%u nx=%u svm_revision=%u asids=%u svmdis=%u %s",
         caps->svm, caps->npt, caps->la57, caps->nrips, caps->decode_assists, caps->vmcb_clean,
         caps->flush_by_asid, caps->vgif, caps->nx, caps->revision, caps->asids,
         caps->svm_disabled, leaves);
    char line[CONFIG_ONLY_TEXT_MAX + 120];
    config_describe(cfg, line, sizeof line);
    diag("cmdline: %s", line);
    if (console_note)
        diag("console: %s", console_note);
    if (timer_describe(cfg->verbose, line, sizeof line))
        diag("timer: %s", line);
    if (cfg->verbose) {
        static const char *const loaders[] = { "unknown", "multiboot1", "multiboot2" };
        diag("boot: loader=%s name=\"%.*s%s\" memory=%lu MiB mmap_entries=%u rsdp=%s",
             loaders[info->loader], (int)info->loader_name_len,
             info->loader_name ? info->loader_name : "", info->loader_name_cut ? "..." : "",
             info->memory_available >> 20,
             info->mmap_entries, info->rsdp ? "yes" : "no");
        if (info->framebuffer_addr)
            diag("boot: framebuffer addr=0x%lx %ux%u pitch=%u bpp=%u type=%u efi=%u",
                 info->framebuffer_addr, info->framebuffer_width, info->framebuffer_height,
                 info->framebuffer_pitch, info->framebuffer_bpp, info->framebuffer_type, info->efi);
        if (info->error)
            diag("boot: %s", info->error);
        diag("exit: %s screen: %s", exit_mode_name(exit_resolve(cfg->exit)), screen);
        if (exit_resolve(cfg->exit) == EXIT_REBOOT) {
            exit_describe_reboot(line, sizeof line);
            diag("exit: reboot tries %s", line);
        }
    }
}

/* Before the end marker: a machine check nothing reported yet (an emulator
 * may hand it to the guest, ignoring the intercept; another CPU's is
 * recorded for the boot CPU). */
static void check_unreported_errors(void)
{
    if (mce_pending())
        mce_report_pending("the last test");
    const struct mce_record *ap = smp_machine_check();
    if (ap)
        mce_report_record(ap);
}

/* The verbose=1 "# interrupts:" line: what the IDT counted. */
static void describe_interrupts(char *buf, unsigned size)
{
    interrupt_counts_describe(interrupt_counts(), buf, size);
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
    idt_set_machine_check_handler(mce_report);
    report_init(EXIT_AUTO);
    idt_set_exception_handler(report_exception);   /* from here on reported on COM1 */
    report_set_interrupts(describe_interrupts);
    report_set_final_check(check_unreported_errors);
    apic_quiet_legacy_pic();
    apic_init();
    mce_init();
    read_boot_info(&info, magic, info_addr);
    int bad_config = config_parse(&cfg, &catalog_names, info.cmdline, info.cmdline ? info.cmdline_len : 0,
                                  info.cmdline_has_file_name, error, sizeof error);
    if (info.cmdline_error) {   /* what was read still picks the console */
        bad_config = -1;
        fmt_snprintf(error, sizeof error, "%s", info.cmdline_error);
    }
    char console_note[CONSOLE_NOTE_MAX] = "";
    struct uart uart = { .base = cfg.console_port, .clock_hz = cfg.uart_clock };
    uint32_t baud = cfg.baud;
    const char *screen = screen_init(&info);
    /* where no console UART can be: svmtest as loaded, its screen, the RAM
     * the map lists */
    struct console_memory memory = { .own_start = (uint64_t)__image_start,
                                     .own_end = (uint64_t)__bss_end, .info = &info,
                                     .mmio_limit = IDENTITY_MAP_LIMIT };
    screen_extent(&memory.screen_start, &memory.screen_end);
    if (!bad_config)
        bad_config = config_console_refused(&cfg, &memory, error, sizeof error);
    if (!bad_config && cfg.console == CONSOLE_SPCR)
        spcr_console(&info, &cfg, &memory, &uart, &baud, console_note);
    if (!bad_config && cfg.console == CONSOLE_MMIO)
        uart = config_console_uart(&cfg);
    console_init(&uart, baud);
    report_set_exit_mode(cfg.exit);
    report_set_verbose(cfg.verbose);
    static struct fadt_info fadt;
    const char *no_fadt;
    int have_fadt = !fadt_find(info.rsdp, info.rsdp_len, identity, 0, &fadt, &no_fadt);
    exit_set_fadt(have_fadt ? &fadt : 0);
    timer_init(have_fadt ? &fadt : 0);
    if (!bad_config)
        timer_calibrate(cfg.guest_timeout_ms);
    svm_caps_read(&caps);
    print_header(&info, &cfg, &caps, console_note[0] ? console_note : 0, screen);

    if (cfg.verbose)
        diag("boot: image at 0x%lx-0x%lx (linked at 0x%x: moved by the loader if they differ)",
             (uint64_t)__image_start, (uint64_t)__bss_end, LINK_ADDRESS);
    if (info.loader == LOADER_UNKNOWN)
        diag("boot: not started by a multiboot loader (magic 0x%08x): default command line", magic);
    if (bad_config) {
        ktap_plan(&report, 1);
        ktap_result(&report, "cmdline", RESULT_ERROR, error);
        report_finish();
    }
    smp_discover(&info);
    run_selected(&cfg, &caps, &info);
    report_finish();
}
