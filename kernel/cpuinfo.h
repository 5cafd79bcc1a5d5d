/* The "# cpu:" line: vendor, family, model, stepping, brand string. */
#ifndef SVMTEST_CPUINFO_H
#define SVMTEST_CPUINFO_H

#include <stdint.h>

struct cpu_ident {
    char vendor[13];
    char name[49];
    uint32_t family, model, stepping;
};

void cpu_ident_read(struct cpu_ident *id);

#endif
