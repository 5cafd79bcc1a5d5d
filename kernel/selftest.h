/* selftest=ud|gp|pf: trip a kernel exception on purpose, to prove the
 * exception path reports it and ends the run cleanly (ap-ud: #UD on the
 * first application processor, which all_cpus must report). */
#ifndef SVMTEST_SELFTEST_H
#define SVMTEST_SELFTEST_H

#include "config.h"

void selftest_trip(enum selftest which);

#endif
