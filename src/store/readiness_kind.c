/*
 * readiness_kind.c — answers by kind of question (readiness_kind.h).
 *
 * Every answer is stored as text in readiness_answers.answer, so that the
 * table of answers (and every assessment already recorded) stays as it
 * was: a choice, a month and words as themselves, a number in decimal,
 * several choices as a JSON array.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/json_input.h"
#include "store/readiness_kind.h"
#include "xsirt/limits.h"

const char *xsirt_readiness_kind(const json_t *q)
{
    const char *k = xsirt_json_str(q, "kind");

    return k != NULL ? k : "single";
}

const json_t *xsirt_readiness_choice(const json_t *q, const char *id)
{
    const json_t *opts = json_object_get(q, "options");

    for (size_t i = 0; id != NULL && i < json_array_size(opts); i++) {
        const json_t *o = json_array_get(opts, i);
        if (strcmp(xsirt_json_str(o, "id"), id) == 0)
            return json_is_false(json_object_get(o, "answerable")) ? NULL : o;
    }
    return NULL;
}

static int kind_bad(xsirt_error *err, const json_t *q, const char *what)
{
    char field[64];

    snprintf(field, sizeof field, "answers/%s", xsirt_json_str(q, "id"));
    return xsirt_error_set_pointer(err, XSIRT_EINVAL, field, "question %s: %s", xsirt_json_str(q, "id"), what);
}

/* The same for an answer out of range: the range in words from the limits. */
static int kind_range(xsirt_error *err, const json_t *q, const char *fmt, unsigned long most)
{
    char what[96];

    snprintf(what, sizeof what, fmt, most);
    return kind_bad(err, q, what);
}

/* "YYYY-MM" with a month from 01 to 12. */
static bool kind_month(const char *s)
{
    if (s == NULL || strlen(s) != 7 || s[4] != '-')
        return false;
    for (int i = 0; i < 7; i++)
        if (i != 4 && (s[i] < '0' || s[i] > '9'))
            return false;
    return (s[5] == '0' && s[6] >= '1') || (s[5] == '1' && s[6] <= '2');
}

static int kind_check_multi(const json_t *q, const json_t *v, xsirt_error *err)
{
    size_t n = json_array_size(v);

    if (!json_is_array(v))
        return kind_bad(err, q, "several choices are an array of choice ids");
    if (n > json_array_size(json_object_get(q, "options")))
        return kind_bad(err, q, "more choices than the question has");
    for (size_t i = 0; i < n; i++) {
        const json_t *c = xsirt_readiness_choice(q, json_string_value(json_array_get(v, i)));
        if (c == NULL)
            return kind_bad(err, q, "no such choice");
        if (json_is_true(json_object_get(c, "exclusive")) && n > 1)
            return kind_bad(err, q, "this choice excludes the others");
        for (size_t j = 0; j < i; j++)
            if (json_equal(json_array_get(v, i), json_array_get(v, j)))
                return kind_bad(err, q, "a choice given twice");
    }
    return 0;
}

int xsirt_readiness_check(const json_t *q, const json_t *v, xsirt_error *err)
{
    const char *kind = xsirt_readiness_kind(q);

    if (strcmp(kind, "multi") == 0)
        return kind_check_multi(q, v, err);
    if (strcmp(kind, "number") == 0) {
        if (!json_is_integer(v) || json_integer_value(v) < 0 ||
            json_integer_value(v) > XSIRT_LIMIT_READINESS_NUMBER)
            return kind_range(err, q, "a number from 0 to %lu", (unsigned long)XSIRT_LIMIT_READINESS_NUMBER);
        return 0;
    }
    if (!json_is_string(v))
        return kind_bad(err, q, strcmp(kind, "month") == 0 ? "a month is a string YYYY-MM" :
                        strcmp(kind, "text") == 0 ? "a description is a string" : "a choice is a string");
    if (strcmp(kind, "month") == 0)
        return kind_month(json_string_value(v)) ? 0 : kind_bad(err, q, "a month is YYYY-MM");
    if (strcmp(kind, "text") == 0)
        return json_string_length(v) > 0 && json_string_length(v) <= XSIRT_LIMIT_READINESS_TEXT &&
                       memchr(json_string_value(v), 0, json_string_length(v)) == NULL
                   ? 0
                   : kind_range(err, q, "a description of 1 to %lu bytes, without NUL",
                                (unsigned long)XSIRT_LIMIT_READINESS_TEXT);
    return xsirt_readiness_choice(q, json_string_value(v)) != NULL ? 0 : kind_bad(err, q, "no such choice");
}

char *xsirt_readiness_encode(const json_t *q, const json_t *v)
{
    const char *kind = xsirt_readiness_kind(q);
    char num[32];

    if (strcmp(kind, "multi") == 0)
        return json_dumps(v, JSON_COMPACT);
    if (strcmp(kind, "number") == 0) {
        snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
        return strdup(num);
    }
    return strdup(json_string_value(v));
}

json_t *xsirt_readiness_decode(const json_t *q, const char *text)
{
    const char *kind = xsirt_readiness_kind(q);

    if (strcmp(kind, "multi") == 0) {
        json_t *a = json_loads(text, 0, NULL);
        if (json_is_array(a))
            return a;
        json_decref(a);
    } else if (strcmp(kind, "number") == 0) {
        char *end = NULL;
        long long n = strtoll(text, &end, 10);
        if (end != text && *end == '\0')
            return json_integer((json_int_t)n);
    }
    return json_string(text);
}

const json_t *xsirt_readiness_bin(const json_t *q, const json_t *answer)
{
    const json_t *opts = json_object_get(q, "options");
    bool number = strcmp(xsirt_readiness_kind(q), "number") == 0;

    if (!number && strcmp(xsirt_readiness_kind(q), "month") != 0)
        return NULL;
    for (size_t i = 0; i < json_array_size(opts); i++) {
        const json_t *o = json_array_get(opts, i);
        if (json_is_false(json_object_get(o, "answerable")))
            continue;
        if (number && json_is_integer(answer)) {
            json_int_t n = json_integer_value(answer);
            if (n >= xsirt_json_int(o, "min") && (!xsirt_json_has(o, "max") || n <= xsirt_json_int(o, "max")))
                return o;
        } else if (!number && json_is_string(answer)) {
            const char *m = json_string_value(answer), *from = xsirt_json_str(o, "from");
            const char *until = xsirt_json_str(o, "until");
            if ((from == NULL || strcmp(from, m) <= 0) && until != NULL && strcmp(m, until) <= 0)
                return o;
        }
    }
    return NULL;
}
