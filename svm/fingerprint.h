/* A CPU's run of the matrix reduced to what must be equal across identical
 * cores: every line its report would print, hashed line by line and marked
 * by scenario. The boot CPU keeps its lines' text as the reference; an
 * application processor runs silently into a record of its own, keeping the
 * text of its first line that differs from the reference, so that the
 * comparison can name the scenario and the field. Pure: host-tested. */
#ifndef SVMTEST_FINGERPRINT_H
#define SVMTEST_FINGERPRINT_H

#include <stddef.h>
#include <stdint.h>

#include "catalog.h"

/* room for the whole matrix at verbose=2 (75 scenarios: about 1300 lines, 110 KiB) */
#define FP_LINES_MAX 2048
#define FP_TEXT_MAX 163840
#define FP_LINE_MAX 256
#define FP_FIELD_MAX 40
#define FP_VALUE_MAX 72

struct fp_record {
    const struct fp_record *ref;   /* reference to compare against while recording, or NULL */
    int keep_text;                 /* keep every line's text (the reference) */
    unsigned scenarios;            /* scenarios begun */
    uint8_t scenario[SCENARIO_COUNT];
    uint16_t first_line[SCENARIO_COUNT];
    unsigned lines;                /* complete lines seen (may exceed FP_LINES_MAX) */
    uint64_t total;                /* hash over every line, in order */
    uint64_t line_hash[FP_LINES_MAX];
    uint32_t text_off[FP_LINES_MAX];
    uint16_t text_len[FP_LINES_MAX];
    char text[FP_TEXT_MAX];
    unsigned text_used;
    char cur[FP_LINE_MAX];         /* the line being written */
    unsigned cur_len;
    uint64_t cur_hash;
    int diverged;                  /* a line differed from ref's at the same place */
    unsigned diverged_line;
    char diverged_text[FP_LINE_MAX];
};

/* Start an empty record. keep_text for the reference; ref (may be NULL) is
 * the reference a silent run is compared against as it goes. */
void fp_init(struct fp_record *r, const struct fp_record *ref, int keep_text);
/* The lines that follow belong to catalog scenario index. */
void fp_scenario(struct fp_record *r, unsigned index);
/* A ktap_writer: text of one or more lines ending in '\n' (CR ignored). */
void fp_write(void *ctx, const char *s, size_t n);

struct fp_diff {
    int scenario;                  /* catalog index of the first difference, -1 if none */
    unsigned line;                 /* its line within the scenario, from 1; 0 = missing/extra scenario */
    char field[FP_FIELD_MAX];      /* what differs: a key, the line's label, or "lines" */
    char ref_value[FP_VALUE_MAX], value[FP_VALUE_MAX];
};

/* 0 when r matches ref exactly; else 1 with the first difference in d. */
int fp_compare(const struct fp_record *ref, const struct fp_record *r, struct fp_diff *d);

#endif
