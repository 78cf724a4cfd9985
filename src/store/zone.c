/*
 * zone.c — local times in IANA zones with GLib's GTimeZone (see zone.h for
 * why not localtime_r with TZ).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <glib.h>

#include "core/str.h"
#include "store/zone.h"

/* The shape of a tz database name: letters first, then letters, digits,
 * '/', '_', '+', '-'; no "..", at most 64 bytes. GLib would also take a
 * file path or an offset such as "+0900"; those are not zones a party
 * lives in. */
static bool zone_shaped(const char *z)
{
    size_t n = strlen(z);

    return n > 0 && n <= 64 && xsirt_is_alpha((unsigned char)z[0]) && strstr(z, "..") == NULL &&
           strstr(z, "//") == NULL && z[n - 1] != '/' &&
           z[strspn(z, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/_+-")] == '\0';
}

/* A file of the tz database (TZDIR, as GLib reads it, else Debian's
 * /usr/share/zoneinfo): GLib would also take a POSIX TZ rule such as
 * "JST-9" or "UTC+9", which is no place anyone lives in. */
static bool zone_in_database(const char *name)
{
    const char *dir = getenv("TZDIR");
    char path[PATH_MAX];
    struct stat st;
    int n = snprintf(path, sizeof path, "%s/%s", dir != NULL && dir[0] != '\0' ? dir
                                                                             : "/usr/share/zoneinfo",
                     name);

    return n > 0 && (size_t)n < sizeof path && stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The zone, or NULL when the tz database does not know it. */
static GTimeZone *zone_open(const char *name)
{
    return name != NULL && zone_shaped(name) && zone_in_database(name)
               ? g_time_zone_new_identifier(name) : NULL;
}

int xsirt_zone_check(const char *name, const char *field, xsirt_error *err)
{
    GTimeZone *tz = zone_open(name);

    if (tz == NULL)
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, field,
                                       "%s is an IANA time zone name such as Asia/Tokyo or "
                                       "Europe/Berlin, known to the tz database", field);
    g_time_zone_unref(tz);
    return 0;
}

int xsirt_zone_format(char *out, size_t size, time_t t, const char *zone, xsirt_error *err)
{
    GTimeZone *tz = zone_open(zone);
    GDateTime *utc, *local;
    gchar *text;
    int rc = 0;

    if (tz == NULL)
        return xsirt_error_set_pointer(err, XSIRT_EINVAL, "zone", "unknown time zone %.64s",
                                       zone != NULL ? zone : "(none)");
    utc = g_date_time_new_from_unix_utc((gint64)t);
    local = utc != NULL ? g_date_time_to_timezone(utc, tz) : NULL;
    text = local != NULL ? g_date_time_format(local, "%Y-%m-%dT%H:%M:%S%:z") : NULL;
    if (text == NULL || strlen(text) >= size)
        rc = xsirt_error_set(err, XSIRT_EINVAL, "the time cannot be shown in %.64s", zone);
    else
        memcpy(out, text, strlen(text) + 1);
    g_free(text);
    if (local != NULL)
        g_date_time_unref(local);
    if (utc != NULL)
        g_date_time_unref(utc);
    g_time_zone_unref(tz);
    return rc;
}
