/*
 * str.h — safe string helpers used instead of the banned libc functions
 * (strcpy, strcat, sprintf, strtok, atoi, gets; see CONTRIBUTING.md).
 *
 * Everything here is locale-independent: identifiers and versions are ASCII
 * by specification, and a Turkish locale must not change how "I" folds.
 */
#ifndef XSIRT_STR_H
#define XSIRT_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Copies at most n-1 bytes and always terminates (n > 0). Returns
 * strlen(src); a result >= n means the copy was cut. */
size_t xsirt_strlcpy(char *dst, const char *src, size_t n);

/* A new NUL-terminated copy of s[0..len); NULL when out of memory. */
char *xsirt_strndup(const char *s, size_t len);

/* Strict unsigned decimal: digits only, no sign, no space, no overflow.
 * Returns 0 or XSIRT_EINVAL. */
int xsirt_parse_u64(uint64_t *out, const char *s, size_t len);

static inline bool xsirt_is_digit(int c) { return c >= '0' && c <= '9'; }
static inline bool xsirt_is_alpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
static inline bool xsirt_is_alnum(int c) { return xsirt_is_digit(c) || xsirt_is_alpha(c); }
static inline int xsirt_ascii_lower(int c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }
static inline int xsirt_ascii_upper(int c) { return (c >= 'a' && c <= 'z') ? c - 32 : c; }

/* ASCII case-insensitive comparisons. */
int xsirt_ascii_casecmp(const char *a, const char *b);
int xsirt_ascii_ncasecmp(const char *a, const char *b, size_t n);

/* Lower-cases s in place (ASCII only). */
void xsirt_ascii_lower_str(char *s);

/* True when s[0..len) is well-formed UTF-8 (no overlongs, no surrogates). */
bool xsirt_utf8_valid(const char *s, size_t len);

/* Writes a printable, quoted, possibly shortened copy of s[0..len) for an
 * error message: "abc", "very long inp…", "\x01". */
/* v with 1 or 3 decimals, exactly as snprintf's "%.1f" / "%.3f" writes it,
 * at a fraction of its cost for 0 <= v < 10^6 (any other v or decimals:
 * snprintf itself). For reports that print a score on every row. */
#define XSIRT_FIXED_MAX 40
void xsirt_format_fixed(char out[XSIRT_FIXED_MAX], double v, int decimals);

void xsirt_quote(char *out, size_t outsz, const char *s, size_t len);

#endif
