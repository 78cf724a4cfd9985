/*
 * test_zone.c — IANA time zones for the embargo (src/store/zone.c): names
 * checked against the tz database, instants shown with the offset that
 * holds at that instant across daylight-saving changes (New York, Berlin)
 * and where there are none (Tokyo), and conversions from many threads at
 * once giving the same answers (the reason zone.c does not switch TZ).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <pthread.h>
#include <string.h>

#include <cmocka.h>

#include "store/clock.h"
#include "store/zone.h"

static const struct {
    const char *utc, *zone, *local;
} cases[] = {
    {"2027-01-15T00:00:00Z", "Asia/Tokyo", "2027-01-15T09:00:00+09:00"},
    {"2027-07-15T00:00:00Z", "Asia/Tokyo", "2027-07-15T09:00:00+09:00"},
    /* US daylight saving begins 14 March 2027, 02:00 local (07:00 UTC). */
    {"2027-03-14T06:59:59Z", "America/New_York", "2027-03-14T01:59:59-05:00"},
    {"2027-03-14T07:00:00Z", "America/New_York", "2027-03-14T03:00:00-04:00"},
    /* ... and ends 7 November 2027, 02:00 local (06:00 UTC): 01:xx twice. */
    {"2027-11-07T05:30:00Z", "America/New_York", "2027-11-07T01:30:00-04:00"},
    {"2027-11-07T06:30:00Z", "America/New_York", "2027-11-07T01:30:00-05:00"},
    /* The EU changes 28 March and 31 October 2027, 01:00 UTC. */
    {"2027-03-28T00:59:59Z", "Europe/Berlin", "2027-03-28T01:59:59+01:00"},
    {"2027-03-28T01:00:00Z", "Europe/Berlin", "2027-03-28T03:00:00+02:00"},
    {"2027-10-31T00:59:59Z", "Europe/Berlin", "2027-10-31T02:59:59+02:00"},
    {"2027-10-31T01:00:00Z", "Europe/Berlin", "2027-10-31T02:00:00+01:00"},
    {"2027-01-15T00:00:00Z", "UTC", "2027-01-15T00:00:00+00:00"},
    {"2027-01-15T00:00:00Z", "America/Argentina/Buenos_Aires", "2027-01-14T21:00:00-03:00"},
    {"2027-01-15T00:00:00Z", "Etc/GMT+9", "2027-01-14T15:00:00-09:00"},
};
#define NCASES (sizeof cases / sizeof cases[0])

static void test_format(void **state)
{
    char out[XSIRT_ZONE_TIME_MAX];
    xsirt_error err;
    time_t t;

    (void)state;
    for (size_t i = 0; i < NCASES; i++) {
        assert_int_equal(xsirt_clock_parse(&t, cases[i].utc), 0);
        assert_int_equal(xsirt_zone_format(out, sizeof out, t, cases[i].zone, &err), 0);
        assert_string_equal(out, cases[i].local);
    }
    assert_int_equal(xsirt_zone_format(out, sizeof out, t, "Mars/Olympus", &err), XSIRT_EINVAL);
    assert_int_equal(xsirt_zone_format(out, 10, t, "Asia/Tokyo", &err), XSIRT_EINVAL);
}

static void test_check(void **state)
{
    static const char *const good[] = {"Asia/Tokyo", "Europe/Berlin", "America/New_York", "UTC",
                                       "Etc/GMT-14", "America/Argentina/Buenos_Aires"};
    static const char *const bad[] = {"", "Mars/Olympus", "asia/tokyo_", "/etc/localtime",
                                      "/usr/share/zoneinfo/UTC", "Asia/../Asia/Tokyo", "+0900",
                                      "UTC+9", "Asia/Tokyo/", "Asia//Tokyo", "Asia/Tokyo\n",
                                      "JST-9", "Europe"};
    xsirt_error err;

    (void)state;
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        assert_int_equal(xsirt_zone_check(good[i], "time_zone", &err), 0);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(xsirt_zone_check(bad[i], "time_zone", &err), XSIRT_EINVAL);
        assert_string_equal(err.pointer, "time_zone");
    }
    assert_int_equal(xsirt_zone_check(NULL, "zone", &err), XSIRT_EINVAL);
}

/* Each thread converts every case many times, in its own order. */
static void *convert_all(void *arg)
{
    size_t start = (size_t)(uintptr_t)arg, wrong = 0;
    char out[XSIRT_ZONE_TIME_MAX];
    time_t t;

    for (size_t round = 0; round < 200; round++) {
        for (size_t k = 0; k < NCASES; k++) {
            size_t i = (start + k * 7 + round) % NCASES;
            if (xsirt_clock_parse(&t, cases[i].utc) != 0 ||
                xsirt_zone_format(out, sizeof out, t, cases[i].zone, NULL) != 0 ||
                strcmp(out, cases[i].local) != 0)
                wrong++;
        }
    }
    return (void *)(uintptr_t)wrong;
}

static void test_threads(void **state)
{
    pthread_t th[8];
    void *wrong;

    (void)state;
    for (size_t i = 0; i < 8; i++)
        assert_int_equal(pthread_create(&th[i], NULL, convert_all, (void *)(uintptr_t)i), 0);
    for (size_t i = 0; i < 8; i++) {
        assert_int_equal(pthread_join(th[i], &wrong), 0);
        assert_int_equal((uintptr_t)wrong, 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_check),
        cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
