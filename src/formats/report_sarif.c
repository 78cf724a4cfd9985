/*
 * report_sarif.c — findings as SARIF 2.1.0 for CI code scanning: one run,
 * the driver "xsirt" with one rule per vulnerability id and one result per
 * finding, located at the scanned SBOM file and, logically, at the
 * component's purl.
 *
 * GitHub code scanning reads a rule's properties."security-severity" (a
 * number as a string) to rank alerts, and a result's level; both come from
 * the finding's severity. Suppressed findings (a VEX statement said
 * not_affected or fixed) stay in the report as results with an external,
 * accepted suppression, as SARIF intends, so CI can show them greyed out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/report_internal.h"

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"

static const char *level_of(const char *severity)
{
    if (severity == NULL)
        return "warning";
    if (strcmp(severity, "critical") == 0 || strcmp(severity, "high") == 0)
        return "error";
    if (strcmp(severity, "medium") == 0)
        return "warning";
    return "note";
}

/* CommonMark: every ASCII punctuation character may be backslash-escaped;
 * escaping them all keeps a hostile summary from becoming a link, an image
 * or HTML in the rendered help. Line breaks become spaces. */
static int md_escape(xsirt_buf *b, const char *s)
{
    int rc = 0;

    for (const unsigned char *p = (const unsigned char *)s; rc == 0 && *p; p++) {
        if (*p == '\n' || *p == '\r')
            rc = xsirt_buf_putc(b, ' ');
        else if (strchr("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", *p) != NULL)
            rc = xsirt_buf_printf(b, "\\%c", *p);
        else
            rc = xsirt_buf_putc(b, (char)*p);
    }
    return rc;
}

/* The reference URLs of a finding: the id's own page, then any the
 * findings carry (strings or {"url"}). */
static int collect_urls(json_t *urls, const rp_finding *f)
{
    xsirt_buf b;
    json_t *v;
    size_t i;
    int rc;

    xsirt_buf_init(&b, 4096);
    rc = rp_id_url(&b, f->v->vid);
    if (rc == 0)
        rc = rp_push(urls, json_string(xsirt_buf_cstr(&b)));
    xsirt_buf_free(&b);
    json_array_foreach(f->v->references, i, v) {
        const char *u = json_is_string(v) ? json_string_value(v) : rp_str(v, "url");
        if (rc == 0 && u != NULL)
            rc = rp_push(urls, json_string(u));
    }
    return rc;
}

static int help_texts(json_t *help, const rp_finding *f, const char *severity, json_t *urls)
{
    xsirt_buf t, m;
    json_t *v, *best = rp_best_cvss(f->v->cvss);
    size_t i;
    int rc;

    xsirt_buf_init(&t, 1u << 20);
    xsirt_buf_init(&m, 1u << 20);
    rc = xsirt_buf_printf(&t, "%s: %s\n", f->v->vid, f->v->summary != NULL ? f->v->summary : f->v->vid);
    if (rc == 0 && (rc = xsirt_buf_puts(&m, "**")) == 0 && (rc = md_escape(&m, f->v->vid)) == 0 &&
        (rc = xsirt_buf_puts(&m, "**: ")) == 0)
        rc = md_escape(&m, f->v->summary != NULL ? f->v->summary : f->v->vid);
    if (rc == 0 && json_array_size(f->v->aliases) > 0) {
        rc = xsirt_buf_puts(&t, "Aliases:");
        if (rc == 0)
            rc = xsirt_buf_puts(&m, "\n\nAliases:");
        json_array_foreach(f->v->aliases, i, v) {
            if (rc == 0 && json_is_string(v) &&
                (rc = xsirt_buf_printf(&t, " %s", json_string_value(v))) == 0 &&
                (rc = xsirt_buf_putc(&m, ' ')) == 0)
                rc = md_escape(&m, json_string_value(v));
        }
        if (rc == 0)
            rc = xsirt_buf_putc(&t, '\n');
    }
    if (rc == 0 && severity != NULL) {
        rc = xsirt_buf_printf(&t, "Severity: %s", severity);
        if (rc == 0)
            rc = xsirt_buf_printf(&m, "\n\nSeverity: %s", severity);
        if (rc == 0 && best != NULL && rp_str(best, "vectorString") != NULL) {
            const char *vec = rp_str(best, "vectorString");
            double s = json_number_value(json_object_get(best, "baseScore"));
            /* Not in a code span: backslash escapes are literal there. */
            if ((rc = xsirt_buf_printf(&t, " (CVSS %.1f, %s)", s, vec)) == 0 &&
                (rc = xsirt_buf_printf(&m, " (CVSS %.1f, ", s)) == 0 &&
                (rc = md_escape(&m, vec)) == 0)
                rc = xsirt_buf_putc(&m, ')');
        }
        if (rc == 0)
            rc = xsirt_buf_putc(&t, '\n');
    }
    if (rc == 0)
        rc = xsirt_buf_puts(&t, "References:\n");
    if (rc == 0)
        rc = xsirt_buf_puts(&m, "\n\nReferences:\n");
    json_array_foreach(urls, i, v) {
        /* In markdown a URL goes inside <...>: escape nothing but '<', '>'
         * and spaces cannot occur in a valid URL, so drop them. */
        const char *u = json_string_value(v);
        if (rc == 0)
            rc = xsirt_buf_printf(&t, "- %s\n", u);
        if (rc == 0)
            rc = xsirt_buf_puts(&m, "\n- <");
        for (const char *p = u; rc == 0 && *p; p++)
            if (*p != '<' && *p != '>' && *p != ' ' && *p != '\n' && *p != '\r')
                rc = xsirt_buf_putc(&m, *p);
        if (rc == 0)
            rc = xsirt_buf_putc(&m, '>');
    }
    if (rc == 0)
        rc = rp_set(help, "text", json_string(xsirt_buf_cstr(&t)));
    if (rc == 0)
        rc = rp_set(help, "markdown", json_string(xsirt_buf_cstr(&m)));
    xsirt_buf_free(&t);
    xsirt_buf_free(&m);
    return rc;
}

static int rule_properties(json_t *props, const rp_finding *f, const char *severity)
{
    json_t *best = rp_best_cvss(f->v->cvss), *tags = json_array(), *v;
    double score = best != NULL ? json_number_value(json_object_get(best, "baseScore"))
                                : rp_severity_score(severity);
    size_t i;
    int rc = 0;

    if (score >= 0.0) {
        char s[16];
        snprintf(s, sizeof s, "%.1f", score);
        rc = rp_set(props, "security-severity", json_string(s));
    }
    if (rc == 0)
        rc = rp_set(props, "tags", tags);
    else
        json_decref(tags);
    if (rc == 0)
        rc = rp_push(tags, json_string("security"));
    if (rc == 0)
        rc = rp_push(tags, json_string("vulnerability"));
    json_array_foreach(f->v->cwes, i, v) {
        if (rc == 0 && json_is_string(v))
            rc = rp_push(tags, json_string(json_string_value(v)));
        else if (rc == 0 && json_is_integer(v))
            rc = rp_push(tags, json_sprintf("CWE-%lld", (long long)json_integer_value(v)));
    }
    if (rc == 0 && f->v->kev)
        rc = rp_push(tags, json_string("known-exploited"));
    return rc;
}

static int make_rule(json_t **out, const rp_finding *f)
{
    const char *severity = rp_severity(f->v);
    const char *text = f->v->summary != NULL && f->v->summary[0] != '\0' ? f->v->summary : f->v->vid;
    json_t *rule = json_object(), *urls = json_array(), *help = json_object(),
           *props = json_object(), *conf = json_object(), *sd = json_object(),
           *fd = json_object();
    int rc = (rule && urls && help && props && conf && sd && fd) ? 0 : XSIRT_ENOMEM;

    if (rc == 0)
        rc = collect_urls(urls, f);
    if (rc == 0 && (rc = rp_set(rule, "id", json_string(f->v->vid))) == 0 &&
        (rc = rp_set(sd, "text", json_string(text))) == 0 &&
        (rc = rp_set(rule, "shortDescription", sd)) == 0 &&
        ((sd = NULL), (rc = rp_set(fd, "text", json_string(text))) == 0) &&
        (rc = rp_set(rule, "fullDescription", fd)) == 0 &&
        ((fd = NULL), (rc = rp_set(rule, "helpUri", json_incref(json_array_get(urls, 0))))) == 0 &&
        (rc = help_texts(help, f, severity, urls)) == 0 &&
        (rc = rp_set(rule, "help", help)) == 0 &&
        ((help = NULL), (rc = rp_set(conf, "level", json_string(level_of(severity))))) == 0 &&
        (rc = rp_set(rule, "defaultConfiguration", conf)) == 0 &&
        ((conf = NULL), (rc = rule_properties(props, f, severity))) == 0 &&
        (rc = rp_set(rule, "properties", props)) == 0)
        props = NULL;
    json_decref(urls);
    json_decref(help);
    json_decref(props);
    json_decref(conf);
    json_decref(sd);
    json_decref(fd);
    if (rc != 0) {
        json_decref(rule);
        return rc;
    }
    *out = rule;
    return 0;
}

static int message_text(xsirt_buf *b, const rp_finding *f, const char *severity)
{
    int rc = xsirt_buf_printf(b, "%s%s%s", f->name, f->version != NULL ? " " : "",
                              f->version != NULL ? f->version : "");

    if (rc == 0 && f->purl != NULL)
        rc = xsirt_buf_printf(b, " (%s)", f->purl);
    if (rc == 0)
        rc = xsirt_buf_printf(b, " is affected by %s", f->v->vid);
    if (rc == 0 && severity != NULL)
        rc = xsirt_buf_printf(b, " (%s)", severity);
    if (rc == 0 && f->v->summary != NULL && f->v->summary[0] != '\0')
        rc = xsirt_buf_printf(b, ": %s", f->v->summary);
    if (rc == 0)
        rc = xsirt_buf_puts(b, ". ");
    if (rc == 0 && json_array_size(f->v->fixed) > 0) {
        rc = xsirt_buf_puts(b, "Fixed in ");
        if (rc == 0)
            rc = rp_join_fixed(b, f->v->fixed, ", ");
        if (rc == 0)
            rc = xsirt_buf_putc(b, '.');
    } else if (rc == 0) {
        rc = xsirt_buf_puts(b, "No fixed version is known.");
    }
    return rc;
}

static int location(json_t **out, const rp_finding *f, const xsirt_report_options *opts)
{
    const char *uri = opts != NULL && opts->sbom_uri != NULL ? opts->sbom_uri : "sbom.json";
    json_t *fqn;

    if (f->purl != NULL)
        fqn = json_string(f->purl);
    else if (f->version != NULL)
        fqn = json_sprintf("%s@%s", f->name, f->version);
    else
        fqn = json_string(f->name);
    *out = json_pack("{s:{s:{s:s},s:{s:i}},s:[{s:s,s:o,s:s}]}", "physicalLocation",
                     "artifactLocation", "uri", uri, "region", "startLine", 1,
                     "logicalLocations", "name", f->name, "fullyQualifiedName", fqn, "kind",
                     "package");
    return *out != NULL ? 0 : XSIRT_ENOMEM;
}

static int result_properties(json_t *props, const rp_finding *f)
{
    int rc = 0;

    if (f->purl != NULL)
        rc = rp_set(props, "purl", json_string(f->purl));
    if (rc == 0 && f->version != NULL)
        rc = rp_set(props, "version", json_string(f->version));
    if (rc == 0 && f->v->fixed != NULL)
        rc = rp_set(props, "fixed", json_deep_copy(f->v->fixed));
    if (rc == 0)
        rc = rp_set(props, "kev", json_boolean(f->v->kev));
    if (rc == 0 && f->v->epss != NULL)
        rc = rp_set(props, "epss", json_deep_copy(f->v->epss));
    if (rc == 0 && f->matched_by != NULL)
        rc = rp_set(props, "matchedBy", json_string(f->matched_by));
    if (rc == 0 && f->range != NULL)
        rc = rp_set(props, "range", json_string(f->range));
    if (rc == 0 && f->vex != NULL)
        rc = rp_set(props, "vex", json_deep_copy(f->vex));
    return rc;
}

static int suppression(json_t *result, const json_t *by)
{
    xsirt_buf b;
    const char *status = rp_str(by, "status"), *just = rp_str(by, "justification"),
               *impact = rp_str(by, "impact");
    int rc;

    xsirt_buf_init(&b, 1u << 20);
    rc = xsirt_buf_printf(&b, "VEX: %s", status != NULL ? status : "suppressed");
    if (rc == 0 && just != NULL)
        rc = xsirt_buf_printf(&b, " (%s)", just);
    if (rc == 0 && impact != NULL)
        rc = xsirt_buf_printf(&b, ": %s", impact);
    if (rc == 0)
        rc = rp_set(result, "suppressions",
                    json_pack("[{s:s,s:s,s:s}]", "kind", "external", "status", "accepted",
                              "justification", xsirt_buf_cstr(&b)));
    xsirt_buf_free(&b);
    return rc;
}

static int make_result(json_t **out, const rp_finding *f, size_t rule_index,
                       const xsirt_report_options *opts)
{
    const char *severity = rp_severity(f->v);
    json_t *r = json_object(), *loc = NULL, *props = json_object();
    xsirt_buf msg;
    char fp[20];
    int rc = (r && props) ? 0 : XSIRT_ENOMEM;

    xsirt_buf_init(&msg, 1u << 20);
    snprintf(fp, sizeof fp, "%016llx",
             rp_fnv(rp_fnv(rp_fnv(rp_fnv(RP_FNV_INIT, f->v->vid), f->purl), f->name), f->version));
    if (rc == 0)
        rc = message_text(&msg, f, severity);
    if (rc == 0 && (rc = rp_set(r, "ruleId", json_string(f->v->vid))) == 0 &&
        (rc = rp_set(r, "ruleIndex", json_integer((json_int_t)rule_index))) == 0 &&
        (rc = rp_set(r, "level", json_string(level_of(severity)))) == 0 &&
        (rc = rp_set(r, "message", json_pack("{s:s}", "text", xsirt_buf_cstr(&msg)))) == 0 &&
        (rc = location(&loc, f, opts)) == 0 &&
        (rc = rp_set(r, "locations", json_pack("[o]", loc))) == 0 &&
        (rc = rp_set(r, "partialFingerprints", json_pack("{s:s}", "xsirtFinding/v1", fp))) == 0 &&
        (rc = result_properties(props, f)) == 0) {
        rc = rp_set(r, "properties", props);
        props = NULL;
    }
    if (rc == 0 && f->suppressed_by != NULL)
        rc = suppression(r, f->suppressed_by);
    xsirt_buf_free(&msg);
    json_decref(props);
    if (rc != 0) {
        json_decref(r);
        return rc;
    }
    *out = r;
    return 0;
}

/* Streamed: the rules (one per vulnerability, from the first finding of
 * each run of the sorted findings), then the results, each built as a
 * small object, written and freed. */
int rp_write_sarif(xsirt_jsonw *w, const rp_findings *f, const xsirt_sbom *sbom,
                   const xsirt_report_options *opts, xsirt_error *err)
{
    json_t *item = NULL;
    size_t rule = 0;
    int rc = 0;

    (void)sbom;
    xsirt_jsonw_begin(w, '{');
    xsirt_jsonw_kstring(w, "$schema", SARIF_SCHEMA);
    xsirt_jsonw_kstring(w, "version", "2.1.0");
    xsirt_jsonw_key(w, "runs");
    xsirt_jsonw_begin(w, '[');
    xsirt_jsonw_begin(w, '{');
    xsirt_jsonw_key(w, "tool");
    xsirt_jsonw_begin(w, '{');
    xsirt_jsonw_key(w, "driver");
    xsirt_jsonw_begin(w, '{');
    xsirt_jsonw_kstring(w, "name", "xsirt");
    xsirt_jsonw_kstring(w, "version", rp_tool_version(opts));
    xsirt_jsonw_key(w, "rules");
    xsirt_jsonw_begin(w, '[');
    for (size_t i = 0; rc == 0 && w->rc == 0 && i < f->count; i = rp_group_end(f, i))
        if ((rc = make_rule(&item, &f->items[i])) == 0)
            xsirt_jsonw_value_new(w, item);
    xsirt_jsonw_end(w, ']');
    xsirt_jsonw_end(w, '}');
    xsirt_jsonw_end(w, '}');
    xsirt_jsonw_key(w, "results");
    xsirt_jsonw_begin(w, '[');
    for (size_t i = 0, end; rc == 0 && w->rc == 0 && i < f->count; i = end, rule++) {
        end = rp_group_end(f, i);
        for (size_t j = i; rc == 0 && w->rc == 0 && j < end; j++)
            if ((rc = make_result(&item, &f->items[j], rule, opts)) == 0)
                xsirt_jsonw_value_new(w, item);
    }
    xsirt_jsonw_end(w, ']');
    xsirt_jsonw_kstring(w, "columnKind", "unicodeCodePoints");
    xsirt_jsonw_end(w, '}');
    xsirt_jsonw_end(w, ']');
    xsirt_jsonw_end(w, '}');
    if (rc != 0)
        return xsirt_error_set(err, rc, "out of memory writing SARIF");
    return w->rc;
}
