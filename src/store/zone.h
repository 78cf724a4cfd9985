/*
 * zone.h — IANA time zones for the embargo (issue 12): a party sees the
 * embargo instant in UTC and in its own zone, across daylight-saving
 * changes.
 *
 * Why not the C library: localtime_r() converts only to the process's zone,
 * taken from the TZ environment variable. Switching TZ per conversion means
 * setenv() and tzset(), and setenv() is not thread-safe against the
 * getenv() calls every other worker thread (and libpq, libcurl, GnuPG)
 * makes at any time: a crash or a wrong zone, rarely and far away. A child
 * process per conversion is slow and still needs the data. Reading the
 * zoneinfo (TZif) files ourselves would be a new parser of binary input.
 *
 * So the conversion is GLib's GTimeZone / GDateTime (GLib is already
 * linked, under GMime): it reads the system's tz database (Debian's tzdata,
 * /usr/share/zoneinfo) itself, touches no environment variable, and its
 * objects are immutable once made, so any thread may convert at any time
 * with no lock of ours. Store layer: it reads files.
 */
#ifndef XSIRT_ZONE_H
#define XSIRT_ZONE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "xsirt/error.h"

/* Bytes for a local time with its offset: "2027-01-15T09:00:00+09:00". */
#define XSIRT_ZONE_TIME_MAX 32

/* 0 when name is an IANA zone name ("Asia/Tokyo", "UTC",
 * "America/Argentina/Buenos_Aires", "Etc/GMT+9") that the tz database
 * holds (a file under TZDIR, else /usr/share/zoneinfo); XSIRT_EINVAL
 * naming field otherwise. Names only: no file paths, no POSIX TZ rules
 * ("JST-9"), no bare offsets ("+0900"). */
int xsirt_zone_check(const char *name, const char *field, xsirt_error *err);

/* The instant t as local time in zone, RFC 3339 with the offset that
 * holds there at that instant (so a date in July in Europe/Berlin reads
 * +02:00, one in January +01:00). XSIRT_EINVAL for an unknown zone. */
int xsirt_zone_format(char *out, size_t size, time_t t, const char *zone, xsirt_error *err);

#endif
