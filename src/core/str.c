/*
 * str.c — safe, locale-independent string helpers (see str.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "xsirt/error.h"
#include "xsirt/limits.h"

size_t xsirt_strlcpy(char *dst, const char *src, size_t n)
{
    size_t len = strlen(src);

    if (n > 0) {
        size_t k = len < n - 1 ? len : n - 1;
        memcpy(dst, src, k);
        dst[k] = '\0';
    }
    return len;
}

char *xsirt_strndup(const char *s, size_t len)
{
    char *p = malloc(len + 1);

    if (p == NULL)
        return NULL;
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

int xsirt_parse_u64(uint64_t *out, const char *s, size_t len)
{
    uint64_t v = 0;
    size_t i;

    if (len == 0)
        return XSIRT_EINVAL;
    for (i = 0; i < len; i++) {
        unsigned d;
        if (!xsirt_is_digit((unsigned char)s[i]))
            return XSIRT_EINVAL;
        d = (unsigned)(s[i] - '0');
        if (v > (UINT64_MAX - d) / 10)
            return XSIRT_EINVAL;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

int xsirt_ascii_casecmp(const char *a, const char *b)
{
    for (;; a++, b++) {
        int ca = xsirt_ascii_lower((unsigned char)*a);
        int cb = xsirt_ascii_lower((unsigned char)*b);
        if (ca != cb || ca == 0)
            return ca - cb;
    }
}

int xsirt_ascii_ncasecmp(const char *a, const char *b, size_t n)
{
    for (; n > 0; a++, b++, n--) {
        int ca = xsirt_ascii_lower((unsigned char)*a);
        int cb = xsirt_ascii_lower((unsigned char)*b);
        if (ca != cb || ca == 0)
            return ca - cb;
    }
    return 0;
}

void xsirt_ascii_lower_str(char *s)
{
    for (; *s != '\0'; s++)
        *s = (char)xsirt_ascii_lower((unsigned char)*s);
}

bool xsirt_utf8_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;

    while (i < len) {
        unsigned c = p[i];
        size_t n;
        unsigned cp, min;

        if (c < 0x80) {
            uint64_t w;
            /* ASCII runs, the bulk of identifiers, eight bytes at a time. */
            for (i++; len - i >= 8; i += 8) {
                memcpy(&w, p + i, 8);
                if (w & 0x8080808080808080ull)
                    break;
            }
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            n = 1; cp = c & 0x1F; min = 0x80;
        } else if ((c & 0xF0) == 0xE0) {
            n = 2; cp = c & 0x0F; min = 0x800;
        } else if ((c & 0xF8) == 0xF0) {
            n = 3; cp = c & 0x07; min = 0x10000;
        } else {
            return false;
        }
        if (len - i <= n)
            return false;
        for (size_t k = 1; k <= n; k++) {
            if ((p[i + k] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += n + 1;
    }
    return true;
}

void xsirt_quote(char *out, size_t outsz, const char *s, size_t len)
{
    size_t o = 0, i;

    if (outsz < 8) {
        if (outsz > 0)
            out[0] = '\0';
        return;
    }
    out[o++] = '"';
    for (i = 0; i < len && i < XSIRT_LIMIT_QUOTE; i++) {
        unsigned char c = (unsigned char)s[i];
        if (o + 6 >= outsz)
            break;
        /* Never cut a UTF-8 sequence: stop before a lead byte whose
         * sequence would not fit in the quote. */
        if (c >= 0xC0) {
            size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
            if (i + need > XSIRT_LIMIT_QUOTE || o + need + 6 >= outsz)
                break;
        }
        if (c == '"' || c == '\\') {
            out[o++] = '\\';
            out[o++] = (char)c;
        } else if (c < 0x20 || c == 0x7F) {
            o += (size_t)snprintf(out + o, outsz - o, "\\x%02x", c);
        } else {
            out[o++] = (char)c;
        }
    }
    if (i < len && o + 5 < outsz) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o++] = '"';
    out[o] = '\0';
}

/* Away from a rounding tie, rounding v * 10^decimals to the nearest
 * integer is what printf does; near a tie (where the binary value
 * decides) printf itself is asked. */
void xsirt_format_fixed(char out[XSIRT_FIXED_MAX], double v, int decimals)
{
    long long scale = decimals == 1 ? 10 : 1000, n, whole;
    double x = v * (double)scale;
    char digits[24], *p = digits + sizeof digits;

    if (!(v >= 0 && v < 1e6) || (decimals != 1 && decimals != 3) ||
        fabs(x - floor(x) - 0.5) < 1e-6) {
        snprintf(out, XSIRT_FIXED_MAX, "%.*f", decimals, v);
        return;
    }
    n = llround(x);
    whole = n / scale;
    for (int i = 0; i < decimals; i++, n /= 10)
        *--p = (char)('0' + n % 10);
    *--p = '.';
    do {
        *--p = (char)('0' + whole % 10);
        whole /= 10;
    } while (whole > 0);
    memcpy(out, p, (size_t)(digits + sizeof digits - p));
    out[digits + sizeof digits - p] = '\0';
}
