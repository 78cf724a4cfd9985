/*
 * sbom_inventory.c — a device inventory (CSV) read as an SBOM of devices:
 * what a factory security team keeps instead of SBOMs (PLCs, HMIs,
 * switches, drives, engineering software), to be matched by vendor,
 * product and version against advisories that carry no identifiers.
 *
 * The first line names the columns; "vendor", "product" and "version" are
 * required, under any of the names spreadsheets use for them (English and
 * Japanese: "manufacturer", "model", "firmware", "メーカー", "型式",
 * "バージョン", ...); "serial" and "location" are optional; other columns
 * are ignored. Fields follow RFC 4180 (quotes, doubled quotes, line breaks
 * inside quotes, CRLF or LF); a header with tabs and no comma makes the
 * file tab-separated. Text is UTF-8, with or without a BOM, or Shift_JIS
 * (CP932) as Japanese spreadsheets export it: detected when the bytes are
 * not UTF-8, or named by the caller; glibc's iconv converts it. Each row
 * becomes a component of type "device" (name = product, supplier =
 * vendor, bom-ref = the serial, else "row-N"). Errors name the line and
 * column.
 */
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/str.h"
#include "formats/sbom_internal.h"
#include "xsirt/limits.h"
#include "xsirt/sbom.h"

enum { COL_VENDOR, COL_PRODUCT, COL_VERSION, COL_SERIAL, COL_LOCATION, COL_N };

/* Header names per column, compared after lower-casing ASCII and
 * dropping spaces, '_' and '-' ("Firmware Version" is "firmwareversion"). */
static const char *const col_names[COL_N][16] = {
    {"vendor", "manufacturer", "maker", "supplier", "vendorname", "manufacturername",
     "メーカー", "メーカー名", "ベンダー", "ベンダー名", "製造元", "製造者", NULL},
    {"product", "productname", "model", "modelname", "device", "devicename", "name",
     "機種", "機種名", "製品", "製品名", "型式", "型名", "品名", "モデル", NULL},
    {"version", "firmware", "firmwareversion", "fwversion", "fw", "softwareversion",
     "バージョン", "ファームウェア", "ファームウェアバージョン", "版", NULL},
    {"serial", "serialnumber", "serialno", "sn", "シリアル", "シリアル番号", "製造番号",
     NULL},
    {"location", "site", "place", "plant", "設置場所", "場所", "拠点", NULL},
};

static const char *const col_labels[COL_N] = {"vendor", "product", "version", "serial",
                                              "location"};

typedef struct csv {
    const char *s;
    size_t len, pos;
    unsigned long line, col;   /* of pos */
    char sep;
    xsirt_buf field;
} csv;

static void csv_adv(csv *c)
{
    if (c->s[c->pos] == '\n') {
        c->line++;
        c->col = 1;
    } else if (((unsigned char)c->s[c->pos] & 0xc0) != 0x80) {
        c->col++;
    }
    c->pos++;
}

/* Reads one field into c->field; *end_row at the end of a line or input.
 * XSIRT_EINVAL with the place for a stray or unterminated quote. */
static int csv_field(csv *c, bool *end_row, xsirt_error *err)
{
    xsirt_buf_reset(&c->field);
    if (c->pos < c->len && c->s[c->pos] == '"') {
        unsigned long line = c->line, col = c->col;
        csv_adv(c);
        for (;;) {
            if (c->pos >= c->len)
                return xsirt_error_set_at(err, XSIRT_EINVAL, line, col,
                                          "quoted field is not closed");
            if (c->s[c->pos] == '"') {
                csv_adv(c);
                if (c->pos < c->len && c->s[c->pos] == '"') {
                    csv_adv(c);
                    if (xsirt_buf_putc(&c->field, '"') != 0)
                        goto limit;
                    continue;
                }
                break;
            }
            if (xsirt_buf_putc(&c->field, c->s[c->pos]) != 0)
                goto limit;
            csv_adv(c);
        }
        if (c->pos < c->len && c->s[c->pos] != c->sep && c->s[c->pos] != '\n' &&
            c->s[c->pos] != '\r')
            return xsirt_error_set_at(err, XSIRT_EINVAL, c->line, c->col,
                                      "text after a closing quote");
    } else {
        while (c->pos < c->len && c->s[c->pos] != c->sep && c->s[c->pos] != '\n' &&
               c->s[c->pos] != '\r') {
            if (c->s[c->pos] == '"')
                return xsirt_error_set_at(err, XSIRT_EINVAL, c->line, c->col,
                                          "quote inside an unquoted field");
            if (xsirt_buf_putc(&c->field, c->s[c->pos]) != 0)
                goto limit;
            csv_adv(c);
        }
    }
    *end_row = true;
    if (c->pos < c->len && c->s[c->pos] == c->sep) {
        csv_adv(c);
        *end_row = false;
    } else {
        if (c->pos < c->len && c->s[c->pos] == '\r')
            csv_adv(c);
        if (c->pos < c->len && c->s[c->pos] == '\n')
            csv_adv(c);
    }
    if (xsirt_buf_putc(&c->field, '\0') != 0)
        goto limit;
    c->field.len--;
    return 0;
limit:
    return xsirt_error_set_at(err, XSIRT_ELIMIT, c->line, c->col, "field longer than %u bytes",
                              XSIRT_LIMIT_LINE);
}

/* A header cell folded for comparison: ASCII lower case, spaces, '_',
 * '-' and '.' dropped (other bytes kept: Japanese names). */
static void header_fold(char *o, size_t cap, const char *s)
{
    size_t n = 0;

    for (; *s != '\0' && n + 1 < cap; s++)
        if (*s != ' ' && *s != '_' && *s != '-' && *s != '.')
            o[n++] = (char)xsirt_ascii_lower((unsigned char)*s);
    o[n] = '\0';
}

static int header_column(const char *cell)
{
    char f[256];

    header_fold(f, sizeof f, cell);
    for (int k = 0; k < COL_N; k++)
        for (size_t i = 0; col_names[k][i] != NULL; i++)
            if (strcmp(f, col_names[k][i]) == 0)
                return k;
    return -1;
}

/* A field trimmed of blanks and no-break spaces: NULL when empty. */
static const char *inv_value(xsirt_sbom *sb, const char *s, size_t n, bool *oom)
{
    const char *v;

    while (n > 0 && (*s == ' ' || *s == '\t' || (n >= 2 && memcmp(s, "\xc2\xa0", 2) == 0)))
        if (*s == '\xc2') {
            s += 2;
            n -= 2;
        } else {
            s++;
            n--;
        }
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
                     (n >= 2 && memcmp(s + n - 2, "\xc2\xa0", 2) == 0)))
        n -= s[n - 1] == '\xa0' ? 2 : 1;
    if (n == 0)
        return NULL;
    if ((v = sb_strn(sb, s, n)) == NULL)
        *oom = true;
    return v;
}

static int inv_rows(xsirt_sbom *sb, csv *c, xsirt_error *err)
{
    int map[XSIRT_LIMIT_INVENTORY_COLUMNS];
    size_t ncols = 0;
    bool end = false, oom = false;
    unsigned long row = 0;
    int rc;

    /* header */
    while (!end) {
        if ((rc = csv_field(c, &end, err)) != 0)
            return rc;
        if (ncols >= XSIRT_LIMIT_INVENTORY_COLUMNS)
            return xsirt_error_set_at(err, XSIRT_ELIMIT, 1, c->col, "more than %u columns",
                                      XSIRT_LIMIT_INVENTORY_COLUMNS);
        map[ncols++] = header_column(c->field.data != NULL ? c->field.data : "");
    }
    for (int k = 0; k <= COL_VERSION; k++) {
        bool found = false;
        for (size_t i = 0; i < ncols; i++)
            found = found || map[i] == k;
        if (!found)
            return xsirt_error_set_at(err, XSIRT_EINVAL, 1, 1,
                                      "inventory header has no %s column (expected names "
                                      "such as vendor, product, version)",
                                      col_labels[k]);
    }
    while (c->pos < c->len) {
        const char *v[COL_N] = {NULL};
        unsigned long line = c->line;
        size_t i = 0, idx;
        end = false;
        row++;
        while (!end) {
            if ((rc = csv_field(c, &end, err)) != 0)
                return rc;
            if (i < ncols && map[i] >= 0 && v[map[i]] == NULL)
                v[map[i]] = inv_value(sb, c->field.data != NULL ? c->field.data : "",
                                      c->field.len, &oom);
            i++;
        }
        if (oom)
            return sb_nomem(err);
        if (v[COL_VENDOR] == NULL && v[COL_PRODUCT] == NULL && v[COL_VERSION] == NULL)
            continue;   /* a blank row */
        if (v[COL_PRODUCT] == NULL)
            return xsirt_error_set_at(err, XSIRT_EINVAL, line, 1, "row without a product");
        if ((rc = sb_component(sb, &idx, err)) != 0)
            return rc;
        {
            xsirt_sbom_component *comp = &sb->components[idx];
            char ref[32];
            snprintf(ref, sizeof ref, "row-%lu", row);
            comp->type = "device";
            comp->name = v[COL_PRODUCT];
            comp->supplier = v[COL_VENDOR];
            comp->version = v[COL_VERSION];
            comp->ref = v[COL_SERIAL] != NULL ? v[COL_SERIAL] : sb_str(sb, ref);
            if (comp->ref == NULL)
                return sb_nomem(err);
        }
    }
    return 0;
}

/* Shift_JIS (CP932, which is what Windows spreadsheets write) to UTF-8. */
static int inv_from_sjis(char **out, size_t *out_len, const char *in, size_t len,
                         const char *encoding, xsirt_error *err)
{
    iconv_t cd = iconv_open("UTF-8", encoding);
    size_t cap, left_in = len, left_out;
    char *o, *ip = (char *)in, *op;

    if (cd == (iconv_t)-1)
        return xsirt_error_set(err, XSIRT_EUNSUPPORTED, "unknown encoding %s", encoding);
    if (len > XSIRT_LIMIT_FILE / 3) {
        iconv_close(cd);
        return xsirt_error_set(err, XSIRT_ELIMIT, "inventory larger than %u bytes",
                               XSIRT_LIMIT_FILE / 3);
    }
    /* One CP932 byte (a half-width katakana) is at most three in UTF-8. */
    cap = len * 3 + 4;
    if ((o = malloc(cap)) == NULL) {
        iconv_close(cd);
        return sb_nomem(err);
    }
    op = o;
    left_out = cap - 1;
    if (iconv(cd, &ip, &left_in, &op, &left_out) == (size_t)-1) {
        size_t at = (size_t)(ip - in);
        unsigned long line = 1;
        int e = errno;
        for (size_t i = 0; i < at; i++)
            line += in[i] == '\n';
        free(o);
        iconv_close(cd);
        return xsirt_error_set_at(err, e == E2BIG ? XSIRT_ELIMIT : XSIRT_EINVAL, line, 1,
                                  "not valid %s at byte %zu", encoding, at + 1);
    }
    iconv_close(cd);
    *op = '\0';
    *out = o;
    *out_len = (size_t)(op - o);
    return 0;
}

int xsirt_sbom_parse_inventory(xsirt_sbom **out, const char *data, size_t len,
                               const char *encoding, xsirt_error *err)
{
    xsirt_sbom *sb;
    char *conv = NULL;
    csv c;
    size_t first;
    int rc;

    *out = NULL;
    if ((rc = sb_check_size(len, err)) != 0)
        return rc;
    if (encoding == NULL || xsirt_ascii_casecmp(encoding, "auto") == 0)
        encoding = xsirt_utf8_valid(data, len) ? "UTF-8" : "CP932";
    else if (xsirt_ascii_casecmp(encoding, "shift_jis") == 0 ||
             xsirt_ascii_casecmp(encoding, "sjis") == 0 ||
             xsirt_ascii_casecmp(encoding, "shift-jis") == 0 ||
             xsirt_ascii_casecmp(encoding, "cp932") == 0)
        encoding = "CP932";
    if (xsirt_ascii_casecmp(encoding, "utf-8") == 0 || xsirt_ascii_casecmp(encoding, "utf8") == 0) {
        if (!xsirt_utf8_valid(data, len))
            return xsirt_error_set_at(err, XSIRT_EINVAL, 1, 1,
                                      "inventory is not UTF-8 (give --encoding shift_jis?)");
    } else if ((rc = inv_from_sjis(&conv, &len, data, len, encoding, err)) != 0) {
        return rc;
    } else {
        data = conv;
    }
    if (memchr(data, '\0', len) != NULL) {
        free(conv);
        return xsirt_error_set_at(err, XSIRT_EINVAL, 1, 1, "NUL byte in an inventory");
    }
    if ((sb = sb_new(XSIRT_SBOM_INVENTORY_CSV)) == NULL) {
        free(conv);
        return sb_nomem(err);
    }
    memset(&c, 0, sizeof c);
    c.s = data;
    c.len = len;
    c.line = c.col = 1;
    if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
        c.pos = 3;
    {
        const char *nl = memchr(data + c.pos, '\n', len - c.pos);   /* data need not end in NUL */
        first = nl != NULL ? (size_t)(nl - data) - c.pos : len - c.pos;
    }
    c.sep = memchr(data + c.pos, ',', first) == NULL && memchr(data + c.pos, '\t', first) != NULL
                ? '\t' : ',';
    xsirt_buf_init(&c.field, XSIRT_LIMIT_LINE);
    rc = inv_rows(sb, &c, err);
    xsirt_buf_free(&c.field);
    free(conv);
    return sb_finish_or_free(out, sb, rc, err);
}

int xsirt_sbom_from_devices(xsirt_sbom **out, const xsirt_sbom_device *devices, size_t count,
                            xsirt_error *err)
{
    xsirt_sbom *sb = sb_new(XSIRT_SBOM_INVENTORY_CSV);
    int rc = 0;

    *out = NULL;
    if (sb == NULL)
        return sb_nomem(err);
    for (size_t i = 0; i < count && rc == 0; i++) {
        const xsirt_sbom_device *d = &devices[i];
        xsirt_sbom_component *c;
        size_t idx;
        char ref[32];
        if (d->product == NULL || d->product[0] == '\0') {
            rc = xsirt_error_set(err, XSIRT_EINVAL, "device %zu has no product", i);
            break;
        }
        if ((rc = sb_component(sb, &idx, err)) != 0)
            break;
        snprintf(ref, sizeof ref, "row-%zu", i + 1);
        c = &sb->components[idx];
        c->type = "device";
        if ((c->name = sb_str(sb, d->product)) == NULL ||
            (d->vendor != NULL && (c->supplier = sb_str(sb, d->vendor)) == NULL) ||
            (d->version != NULL && (c->version = sb_str(sb, d->version)) == NULL) ||
            (c->ref = sb_str(sb, d->ref != NULL ? d->ref : ref)) == NULL)
            rc = sb_nomem(err);
    }
    return sb_finish_or_free(out, sb, rc, err);
}

bool xsirt_sbom_looks_like_inventory(const char *data, size_t len)
{
    size_t i = 0, n;
    const char *comma;

    if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
        i = 3;
    n = i;
    while (n < len && data[n] != '\n' && data[n] != '\0')
        n++;
    if (n == i)
        return false;
    /* "SPDXVersion: SPDX-2.3" has its colon before any comma */
    comma = memchr(data + i, ',', n - i);
    if (comma == NULL)
        comma = memchr(data + i, '\t', n - i);
    return comma != NULL && memchr(data + i, ':', (size_t)(comma - data) - i) == NULL &&
           data[i] != '#' && data[i] != '{' && data[i] != '[' && data[i] != '<';
}
