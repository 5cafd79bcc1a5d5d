#include "fingerprint.h"

#include <string.h>

#include "kernel/lib/fmt.h"

#define FNV_OFFSET 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull

static uint64_t hash_byte(uint64_t h, uint8_t c)
{
    return (h ^ c) * FNV_PRIME;
}

void fp_init(struct fp_record *r, const struct fp_record *ref, int keep_text)
{
    r->ref = ref;
    r->keep_text = keep_text;
    r->scenarios = 0;
    r->lines = 0;
    r->total = FNV_OFFSET;
    r->text_used = 0;
    r->cur_len = 0;
    r->cur_hash = FNV_OFFSET;
    r->diverged = 0;
    r->diverged_line = 0;
    r->diverged_text[0] = '\0';
}

void fp_scenario(struct fp_record *r, unsigned index)
{
    if (r->scenarios < SCENARIO_COUNT) {
        r->scenario[r->scenarios] = (uint8_t)index;
        r->first_line[r->scenarios] = (uint16_t)(r->lines < FP_LINES_MAX ? r->lines : FP_LINES_MAX);
    }
    r->scenarios++;
    r->total = hash_byte(r->total, (uint8_t)index);
}

static void end_line(struct fp_record *r)
{
    unsigned n = r->lines;
    uint64_t h = r->cur_hash;
    if (n < FP_LINES_MAX) {
        r->line_hash[n] = h;
        r->text_len[n] = 0;
        r->text_off[n] = r->text_used;
        if (r->keep_text && r->cur_len <= FP_TEXT_MAX - r->text_used) {
            memcpy(r->text + r->text_used, r->cur, r->cur_len);
            r->text_len[n] = (uint16_t)r->cur_len;
            r->text_used += r->cur_len;
        }
    }
    const struct fp_record *ref = r->ref;
    if (ref && !r->diverged &&
        (n >= ref->lines || n >= FP_LINES_MAX || ref->line_hash[n] != h)) {
        r->diverged = 1;
        r->diverged_line = n;
        memcpy(r->diverged_text, r->cur, r->cur_len);
        r->diverged_text[r->cur_len] = '\0';
    }
    for (unsigned i = 0; i < 8; i++)
        r->total = hash_byte(r->total, (uint8_t)(h >> (8 * i)));
    r->lines++;
    r->cur_len = 0;
    r->cur_hash = FNV_OFFSET;
}

void fp_write(void *ctx, const char *s, size_t n)
{
    struct fp_record *r = ctx;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '\r')
            continue;
        if (c == '\n') {
            end_line(r);
            continue;
        }
        r->cur_hash = hash_byte(r->cur_hash, (uint8_t)c);
        if (r->cur_len < FP_LINE_MAX - 1)
            r->cur[r->cur_len++] = c;
    }
}

/* The scenario (position in r's list) that line n falls in, or -1. */
static int scenario_of_line(const struct fp_record *r, unsigned n)
{
    int found = -1;
    unsigned count = r->scenarios < SCENARIO_COUNT ? r->scenarios : SCENARIO_COUNT;
    for (unsigned i = 0; i < count; i++)
        if (r->first_line[i] <= n)
            found = (int)i;
    return found;
}

static void copy_span(char *dst, size_t size, const char *s, size_t len)
{
    if (len >= size)
        len = size - 1;
    memcpy(dst, s, len);
    dst[len] = '\0';
}

struct token { const char *p; size_t len; };

/* The i-th space-separated token of a line (len 0 past the end). */
static struct token token_at(const char *s, size_t len, unsigned i)
{
    size_t k = 0;
    for (unsigned t = 0;; t++) {
        while (k < len && s[k] == ' ')
            k++;
        size_t start = k;
        while (k < len && s[k] != ' ')
            k++;
        if (t == i || start == len)
            return (struct token){ s + start, k - start };
    }
}

static int token_eq(struct token a, struct token b)
{
    return a.len == b.len && !memcmp(a.p, b.p, a.len);
}

/* What kind of line: the word after "# " without its colon, or the
 * result keyword ("ok", "not ok"). */
static struct token label_of(const char *s, size_t len)
{
    if (len >= 6 && !memcmp(s, "not ok", 6))
        return (struct token){ s, 6 };
    struct token t = token_at(s, len, s[0] == '#' ? 1 : 0);
    if (t.len && t.p[t.len - 1] == ':')
        t.len--;
    return t;
}

/* Name the first difference between two versions of a line: lines of
 * different kinds by their labels; result lines whole; a diagnostic by the
 * key of its first differing key=value token (both values), or by its
 * label when the token has no key. */
static void name_field(struct fp_diff *d, const char *a, size_t alen, const char *b, size_t blen)
{
    struct token la = label_of(a, alen), lb = label_of(b, blen);
    if (!token_eq(la, lb)) {
        copy_span(d->field, sizeof d->field, "line", 4);
        copy_span(d->ref_value, sizeof d->ref_value, la.p, la.len);
        copy_span(d->value, sizeof d->value, lb.p, lb.len);
        return;
    }
    if (a[0] != '#') {
        copy_span(d->field, sizeof d->field, "result", 6);
        copy_span(d->ref_value, sizeof d->ref_value, a, alen);
        copy_span(d->value, sizeof d->value, b, blen);
        return;
    }
    for (unsigned i = 2;; i++) {
        struct token x = token_at(a, alen, i), y = token_at(b, blen, i);
        if (token_eq(x, y)) {
            if (!x.len)
                break;
            continue;
        }
        size_t k = 0;
        while (k < x.len && x.p[k] != '=')
            k++;
        if (k < x.len && k < FP_FIELD_MAX && y.len > k && !memcmp(x.p, y.p, k + 1)) {
            copy_span(d->field, sizeof d->field, x.p, k);
            copy_span(d->ref_value, sizeof d->ref_value, x.p + k + 1, x.len - k - 1);
            copy_span(d->value, sizeof d->value, y.p + k + 1, y.len - k - 1);
            return;
        }
        copy_span(d->field, sizeof d->field, la.p, la.len);
        copy_span(d->ref_value, sizeof d->ref_value, x.p, x.len);
        copy_span(d->value, sizeof d->value, y.p, y.len);
        return;
    }
    copy_span(d->field, sizeof d->field, la.p, la.len);
    d->ref_value[0] = d->value[0] = '\0';
}

int fp_compare(const struct fp_record *ref, const struct fp_record *r, struct fp_diff *d)
{
    *d = (struct fp_diff){ .scenario = -1 };
    unsigned ns = ref->scenarios < r->scenarios ? ref->scenarios : r->scenarios;
    if (ns > SCENARIO_COUNT)
        ns = SCENARIO_COUNT;
    for (unsigned i = 0; i < ns; i++)
        if (ref->scenario[i] != r->scenario[i]) {
            d->scenario = ref->scenario[i];
            fmt_snprintf(d->field, sizeof d->field, "scenario");
            fmt_snprintf(d->ref_value, sizeof d->ref_value, "%s", scenario_catalog[ref->scenario[i]].name);
            fmt_snprintf(d->value, sizeof d->value, "%s", scenario_catalog[r->scenario[i]].name);
            return 1;
        }
    if (ref->total == r->total && ref->lines == r->lines && ref->scenarios == r->scenarios)
        return 0;
    unsigned kept = ref->lines < r->lines ? ref->lines : r->lines;
    if (kept > FP_LINES_MAX)
        kept = FP_LINES_MAX;
    unsigned n = 0;
    while (n < kept && ref->line_hash[n] == r->line_hash[n])
        n++;
    int si = scenario_of_line(ref, n);
    if (si < 0)
        si = scenario_of_line(r, n);
    if (si >= 0) {
        const struct fp_record *owner = scenario_of_line(ref, n) >= 0 ? ref : r;
        d->scenario = owner->scenario[si];
        d->line = n - owner->first_line[si] + 1;
    }
    if (n == kept) {
        fmt_snprintf(d->field, sizeof d->field, "lines");
        fmt_snprintf(d->ref_value, sizeof d->ref_value, "%u", ref->lines);
        fmt_snprintf(d->value, sizeof d->value, "%u", r->lines);
        return 1;
    }
    if (n < FP_LINES_MAX && ref->text_len[n] && r->diverged && r->diverged_line == n) {
        name_field(d, ref->text + ref->text_off[n], ref->text_len[n], r->diverged_text,
                   strlen(r->diverged_text));
    } else {
        fmt_snprintf(d->field, sizeof d->field, "line");
        d->ref_value[0] = d->value[0] = '\0';
    }
    return 1;
}
