/* Runs the scenarios the configuration selects, in catalog order, and
 * reports each as one KTAP result. */
#ifndef SVMTEST_RUN_H
#define SVMTEST_RUN_H

#include "caps.h"
#include "kernel/bootinfo.h"
#include "kernel/config.h"

/* boot: the loader's memory map (group bits' large leaves), may be NULL */
void run_selected(const struct config *cfg, const struct svm_caps *caps,
                  const struct boot_info *boot);

#endif
