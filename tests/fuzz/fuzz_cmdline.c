/* libFuzzer target: config_parse on arbitrary bytes, with and without the
 * multiboot1 file name, with a full and a short error buffer. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/config.h"
#include "svm/catalog.h"

#define CANARY 0x5a

static void one(const uint8_t *data, size_t size, int skip, size_t errlen)
{
    struct config cfg;
    char err[CONFIG_ERROR_MAX + 16];
    memset(err, CANARY, sizeof err);
    int r = config_parse(&cfg, &catalog_names, (const char *)data, size, skip, err, errlen);

    /* err is terminated inside errlen and nothing past errlen is touched */
    if (errlen && !memchr(err, '\0', errlen))
        abort();
    for (size_t i = errlen; i < sizeof err; i++)
        if (err[i] != CANARY)
            abort();
    if (r == 0) {
        if (errlen && err[0] != '\0')
            abort();
        struct scenario_set sel = catalog_selected(&cfg);
        if (sset_empty(&sel))
            abort();
        for (unsigned i = SCENARIO_COUNT; i < SCENARIO_SET_MAX; i++)
            if (sset_has(&sel, i))   /* only catalog scenarios */
                abort();
        if (cfg.npf_limit < 1 || cfg.npf_limit > 1000)
            abort();
        if (cfg.console == CONSOLE_PORT && (cfg.console_port < 0x100 || cfg.console_port > 0xfff8))
            abort();
        char d[CONFIG_ONLY_TEXT_MAX + 100];
        int n = config_describe(&cfg, d, sizeof d);
        if (n < 0 || (size_t)n >= sizeof d || strlen(d) != (size_t)n)
            abort();
    } else if (r != -1 || (errlen > 1 && err[0] == '\0')) {
        abort();
    } else if (errlen == CONFIG_ERROR_MAX) {
        /* a full-size message always says where: "... (word N, column M)" */
        size_t n = strlen(err);
        if (strncmp(err, "the filters select no scenario (", 32) != 0 &&
            (!strstr(err, " (word ") || !strstr(err, ", column ") || err[n - 1] != ')'))
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    one(data, size, 0, CONFIG_ERROR_MAX);
    one(data, size, 1, size % (CONFIG_ERROR_MAX + 1));   /* 0..CONFIG_ERROR_MAX */
    return 0;
}
