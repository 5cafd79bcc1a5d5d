/* How the run ends: QEMU's isa-debug-exit, halt, or reboot; each drains the
 * UART first so the end marker's line gets out. */
#ifndef SVMTEST_EXIT_H
#define SVMTEST_EXIT_H

#include <stddef.h>

#include "kernel/acpi/fadt.h"
#include "kernel/config.h"

/* The value written to isa-debug-exit so that QEMU exits with status. */
unsigned exit_debug_port_value(int status);
/* What exit=auto means on this machine. */
enum exit_mode exit_resolve(enum exit_mode mode);
const char *exit_mode_name(enum exit_mode mode);
/* The FADT (reset register) exit=reboot uses; NULL or never set: none. */
void exit_set_fadt(const struct fadt_info *fadt);
/* "fadt-reset-register (I/O 0xcf9 = 0x6), port-0xcf9, ...": the reboot
 * methods in the order they will be tried. */
void exit_describe_reboot(char *buf, size_t size);
_Noreturn void machine_exit(enum exit_mode mode, int status);

#endif
