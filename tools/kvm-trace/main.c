/* kvm-trace-summary [TRACE]: summarise KVM's tracefs text (a file, or stdin)
 * as tools/kvm-nested does for a silent L2: the repeating exits decoded with
 * svmtest's names and the pattern they form (tools/kvm-trace/trace_summary.c). */
#include <stdio.h>
#include <stdlib.h>

#include "trace_summary.h"

int main(int argc, char **argv)
{
    static struct trace_summary s;
    static char line[4096], out[8192];
    FILE *f = stdin;

    if (argc > 2 || (argc == 2 && argv[1][0] == '-' && argv[1][1])) {
        fprintf(stderr, "usage: kvm-trace-summary [TRACE-FILE]\n");
        return 2;
    }
    if (argc == 2 && !(f = fopen(argv[1], "r"))) {
        perror(argv[1]);
        return 2;
    }
    trace_summary_init(&s);
    while (fgets(line, sizeof line, f))
        trace_summary_add(&s, line);
    trace_summary_format(&s, out, sizeof out);
    fputs(out, stdout);
    return 0;
}
