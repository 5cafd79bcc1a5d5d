/* Runs the tests the configuration selects and reports each. */
#ifndef SVMTEST_RUN_H
#define SVMTEST_RUN_H

#include "config.h"
#include "../svm/caps.h"

void run_selected(const struct config *cfg, const struct svm_caps *caps);

#endif
