/*
 * clock.c — RFC 3339 timestamps for the database and the API (clock.h).
 * Parsing accepts what people and other tools send: a date alone, "T" or
 * space, optional fraction, "Z" or a numeric offset.
 */
#include <stdio.h>
#include <string.h>

#include "core/str.h"
#include "store/clock.h"
#include "xsirt/error.h"

_Static_assert(XSIRT_TIME_MAX > 24, "a timestamp and its NUL fit");

/* v in n decimal digits at p, zero-padded. */
static void clock_put(char *p, int v, int n)
{
    while (n-- > 0) {
        p[n] = (char)('0' + v % 10);
        v /= 10;
    }
}

void xsirt_clock_format(char *out, time_t t, int ms)
{
    struct tm tm;
    char text[96];   /* room for any int year, so nothing is cut mid-field */
    int year;

    gmtime_r(&t, &tm);
    year = tm.tm_year + 1900;
    /* The usual case by hand: snprintf was most of what reading the time
     * cost, and a read of a case reads it (its "overdue"). */
    if (year >= 0 && year <= 9999 && ms >= 0 && ms <= 999) {
        memcpy(out, "0000-00-00T00:00:00.000Z", 25);
        clock_put(out, year, 4);
        clock_put(out + 5, tm.tm_mon + 1, 2);
        clock_put(out + 8, tm.tm_mday, 2);
        clock_put(out + 11, tm.tm_hour, 2);
        clock_put(out + 14, tm.tm_min, 2);
        clock_put(out + 17, tm.tm_sec, 2);
        clock_put(out + 20, ms, 3);
        return;
    }
    snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
    xsirt_strlcpy(out, text, XSIRT_TIME_MAX);
}

void xsirt_clock_now(char *out)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    xsirt_clock_format(out, ts.tv_sec, (int)(ts.tv_nsec / 1000000));
}

/* n digits at s as a number, or -1. */
static int clock_digits(const char *s, int n)
{
    int v = 0;

    for (int i = 0; i < n; i++) {
        if (!xsirt_is_digit((unsigned char)s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (no timegm()). */
static int64_t clock_days(int y, int m, int d)
{
    int64_t era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int xsirt_clock_parse(time_t *out, const char *s)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y, mo, d, h = 0, mi = 0, se = 0, off = 0;
    size_t n = strlen(s);
    const char *p;

    if (n < 10 || s[4] != '-' || s[7] != '-')
        return XSIRT_EINVAL;
    y = clock_digits(s, 4);
    mo = clock_digits(s + 5, 2);
    d = clock_digits(s + 8, 2);
    if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1])
        return XSIRT_EINVAL;
    if (mo == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return XSIRT_EINVAL;
    p = s + 10;
    if (*p == 'T' || *p == 't' || *p == ' ') {
        if (strlen(p) < 9 || p[3] != ':' || p[6] != ':')
            return XSIRT_EINVAL;
        h = clock_digits(p + 1, 2);
        mi = clock_digits(p + 4, 2);
        se = clock_digits(p + 7, 2);
        if (h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 60)
            return XSIRT_EINVAL;
        p += 9;
        if (*p == '.') {
            p++;
            if (!xsirt_is_digit((unsigned char)*p))
                return XSIRT_EINVAL;
            while (xsirt_is_digit((unsigned char)*p))
                p++;
        }
        if (*p == 'Z' || *p == 'z') {
            p++;
        } else if (*p == '+' || *p == '-') {
            int oh = clock_digits(p + 1, 2), om = p[3] == ':' ? clock_digits(p + 4, 2) : -1;
            if (oh < 0 || oh > 23 || om < 0 || om > 59)
                return XSIRT_EINVAL;
            off = (oh * 60 + om) * 60 * (*p == '+' ? 1 : -1);
            p += 6;
        } else {
            return XSIRT_EINVAL;
        }
    }
    if (*p != '\0')
        return XSIRT_EINVAL;
    *out = (time_t)(clock_days(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - off);
    return 0;
}
