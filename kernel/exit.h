/* How the run ends: QEMU's isa-debug-exit, halt, or reboot. */
#ifndef SVMTEST_EXIT_H
#define SVMTEST_EXIT_H

#include "config.h"

/* The value written to isa-debug-exit so that QEMU exits with status. */
unsigned exit_debug_port_value(int status);
/* What exit=auto means on this machine. */
enum exit_mode exit_resolve(enum exit_mode mode);
const char *exit_mode_name(enum exit_mode mode);
_Noreturn void machine_exit(enum exit_mode mode, int status);

#endif
