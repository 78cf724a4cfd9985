/*
 * json_input.c — strict checking of API input objects (json_input.h).
 */
#include <string.h>
#include <time.h>

#include "store/clock.h"
#include "store/json_input.h"

#define JSON_INPUT_STRING_MAX (64u * 1024u)

static const xsirt_field *json_find_field(const xsirt_field *fields, const char *name)
{
    for (size_t i = 0; fields[i].name != NULL; i++)
        if (strcmp(fields[i].name, name) == 0)
            return &fields[i];
    return NULL;
}

static int json_check_value(const xsirt_field *f, const json_t *v, xsirt_error *err)
{
    size_t max;
    time_t t;

    if (json_is_null(v)) {
        if (f->nullable)
            return 0;
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, f->name, "%s may not be null", f->name);
    }
    switch (f->type) {
    case XSIRT_FIELD_STRING:
    case XSIRT_FIELD_TIME:
        if (!json_is_string(v))
            return xsirt_error_set_pointer(err, XSIRT_EINVAL, f->name, "%s must be a string",
                                           f->name);
        max = f->max ? f->max : JSON_INPUT_STRING_MAX;
        if (json_string_length(v) > max)
            return xsirt_error_set_pointer(err, XSIRT_ELIMIT, f->name,
                                           "%s is longer than %zu bytes", f->name, max);
        if (strlen(json_string_value(v)) != json_string_length(v))
            return xsirt_error_set_pointer(err, XSIRT_EINVAL, f->name, "%s contains NUL",
                                           f->name);
        if (f->type == XSIRT_FIELD_TIME && xsirt_clock_parse(&t, json_string_value(v)) != 0)
            return xsirt_error_set_pointer(err, XSIRT_EINVAL, f->name,
                                           "%s must be an RFC 3339 date or date-time "
                                           "(2026-11-22 or 2026-11-22T10:00:00Z)", f->name);
        return 0;
    case XSIRT_FIELD_INTEGER:
        return json_is_integer(v) ? 0
               : xsirt_error_set_pointer(err, XSIRT_EINVAL, f->name, "%s must be an integer",
                                         f->name);
    case XSIRT_FIELD_BOOLEAN:
        return json_is_boolean(v) ? 0
               : xsirt_error_set_pointer(err, XSIRT_EINVAL, f->name, "%s must be true or false",
                                         f->name);
    case XSIRT_FIELD_ARRAY:
        if (!json_is_array(v))
            return xsirt_error_set_pointer(err, XSIRT_EINVAL, f->name, "%s must be an array",
                                           f->name);
        max = f->max ? f->max : 1000;
        if (json_array_size(v) > max)
            return xsirt_error_set_pointer(err, XSIRT_ELIMIT, f->name,
                                           "%s has more than %zu items", f->name, max);
        return 0;
    case XSIRT_FIELD_OBJECT:
        return json_is_object(v) ? 0
               : xsirt_error_set_pointer(err, XSIRT_EINVAL, f->name, "%s must be an object",
                                         f->name);
    }
    return XSIRT_EINTERNAL;
}

int xsirt_json_check(const json_t *in, const xsirt_field *fields, bool partial, xsirt_error *err)
{
    const char *key;
    json_t *v;
    int rc;

    if (!json_is_object(in))
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "", "expected a JSON object");
    json_object_foreach((json_t *)in, key, v) {
        const xsirt_field *f = json_find_field(fields, key);
        if (f == NULL)
            return xsirt_error_set_pointer(err, XSIRT_EINVAL, key, "unknown field %s", key);
        if ((rc = json_check_value(f, v, err)) != 0)
            return rc;
    }
    for (size_t i = 0; !partial && fields[i].name != NULL; i++)
        if (fields[i].required && json_object_get(in, fields[i].name) == NULL)
            return xsirt_error_set_pointer(err, XSIRT_EINVAL, fields[i].name, "%s is required",
                                           fields[i].name);
    return 0;
}

const char *xsirt_json_str(const json_t *in, const char *name)
{
    return json_string_value(json_object_get(in, name));
}

int64_t xsirt_json_int(const json_t *in, const char *name)
{
    return (int64_t)json_integer_value(json_object_get(in, name));
}

bool xsirt_json_has(const json_t *in, const char *name)
{
    return json_object_get(in, name) != NULL;
}

int xsirt_json_enum(const char *value, const char *const *allowed, const char *field,
                    xsirt_error *err)
{
    char list[512] = "";
    size_t used = 0;

    for (size_t i = 0; allowed[i] != NULL; i++) {
        if (value != NULL && strcmp(value, allowed[i]) == 0)
            return 0;
        used += (size_t)snprintf(list + used, used < sizeof list ? sizeof list - used : 0, "%s%s",
                                 i ? ", " : "", allowed[i]);
        if (used >= sizeof list)
            used = sizeof list - 1;
    }
    return xsirt_error_set_pointer(err, XSIRT_EINVAL, field, "%s must be one of: %s", field, list);
}

json_t *xsirt_json_canonical_times(const json_t *in, const xsirt_field *fields)
{
    json_t *out = json_deep_copy(in);
    char text[XSIRT_TIME_MAX];
    time_t t;

    for (size_t i = 0; out != NULL && fields[i].name != NULL; i++) {
        const char *v = fields[i].type == XSIRT_FIELD_TIME ? xsirt_json_str(out, fields[i].name) : NULL;
        if (v != NULL && xsirt_clock_parse(&t, v) == 0) {
            xsirt_clock_format(text, t, 0);
            json_object_set_new(out, fields[i].name, json_string(text));
        }
    }
    return out;
}
