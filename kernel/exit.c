#include "exit.h"

#include "cpu.h"
#include "hypervisor.h"

#define DEBUG_EXIT_PORT 0xf4
#define KBC_COMMAND_PORT 0x64
#define KBC_PULSE_RESET 0xfe
#define RESET_CONTROL_PORT 0xcf9
#define RESET_CONTROL_FULL 0x0e

unsigned exit_debug_port_value(int status)
{
    return (unsigned)(status - 1) / 2;
}

enum exit_mode exit_resolve(enum exit_mode mode)
{
    if (mode != EXIT_AUTO)
        return mode;
    return hypervisor_is_qemu_or_kvm() ? EXIT_QEMU : EXIT_HALT;
}

const char *exit_mode_name(enum exit_mode mode)
{
    static const char *const names[] = { "auto", "qemu", "halt", "reboot" };
    return names[mode];
}

_Noreturn void machine_exit(enum exit_mode mode, int status)
{
    irq_disable();
    switch (exit_resolve(mode)) {
    case EXIT_QEMU:
        outl(DEBUG_EXIT_PORT, exit_debug_port_value(status));
        break; /* no such device: halt below */
    case EXIT_REBOOT: {
        outb(RESET_CONTROL_PORT, RESET_CONTROL_FULL);
        outb(KBC_COMMAND_PORT, KBC_PULSE_RESET);
        /* last resort: a triple fault through an empty IDT */
        static const struct __attribute__((packed)) { uint16_t limit; uint64_t base; } empty = { 0, 0 };
        __asm__ volatile("lidt %0; int3" :: "m"(empty));
        break;
    }
    case EXIT_AUTO:
    case EXIT_HALT:
        break;
    }
    cpu_halt_forever();
}
