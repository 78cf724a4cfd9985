/*
 * notify_message.c — what a notification says (see notify.h): the mail of
 * an outbox payload, in English or Japanese, and the webhook body.
 *
 * Every sentence is whole in the message table, with named placeholders
 * ({team}, {count}, ...), because word order differs between the
 * languages: a sentence made of fragments reads wrongly in one of them.
 * The mail is one text/plain part in UTF-8, its body base64-encoded (safe
 * for any line length and any byte) and its subject RFC 2047-encoded;
 * header values never carry a CR or LF from the data.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/str.h"
#include "server/notify.h"
#include "xsirt/limits.h"

typedef struct notify_text {
    const char *key, *en, *ja;
} notify_text;

static const notify_text notify_texts[] = {
    {"subject.finding.new", "New findings for {team}: {count} on {asset}",
     "{team} の新しい検出事項: {asset} に {count} 件"},
    {"intro.finding.new", "{count} new findings were found on {asset}, an asset of team {team}.",
     "チーム {team} の資産 {asset} で新しい検出事項が {count} 件見つかりました。"},
    {"subject.finding.kev", "Known exploited vulnerabilities for {team}: {count} on {asset}",
     "{team} の悪用が確認された脆弱性: {asset} に {count} 件"},
    {"intro.finding.kev", "{count} findings on {asset}, an asset of team {team}, concern "
                          "vulnerabilities known to be exploited.",
     "チーム {team} の資産 {asset} で、悪用が確認されている脆弱性の検出事項が {count} 件見つかりました。"},
    {"subject.finding.overdue", "Overdue findings for {team}: {count} on {asset}",
     "{team} の期限超過の検出事項: {asset} に {count} 件"},
    {"intro.finding.overdue", "{count} findings on {asset}, an asset of team {team}, are past "
                              "their due date.",
     "チーム {team} の資産 {asset} で、期限を過ぎた検出事項が {count} 件あります。"},
    {"subject.case.overdue", "Case {case_id} is overdue: {title}",
     "案件 {case_id} が期限を過ぎました: {title}"},
    {"intro.case.overdue", "Case {case_id} of team {team}, \"{title}\", is past its due date {due}.",
     "チーム {team} の案件 {case_id}「{title}」が期限 {due} を過ぎました。"},
    {"subject.digest", "Weekly digest for {team}: {total} open findings, {new} new",
     "{team} の週次ダイジェスト: 未解決 {total} 件、うち新規 {new} 件"},
    {"intro.digest", "These are the open findings of the assets of team {team}, known exploited "
                     "vulnerabilities first. {new} of them are new this week and {overdue} are "
                     "overdue.",
     "チーム {team} の資産の未解決の検出事項です。悪用が確認されている脆弱性を先に示します。"
     "うち今週の新規は {new} 件、期限超過は {overdue} 件です。"},
    {"empty.digest", "Team {team} has no open findings at this priority.",
     "チーム {team} には、この優先度以上の未解決の検出事項はありません。"},
    {"subject.feed.error", "Feed {feed} failed to sync", "フィード {feed} の同期に失敗しました"},
    {"intro.feed.error", "Feed {feed} failed to sync: {error}. The previous intelligence stays "
                         "in use and the next sync retries.",
     "フィード {feed} の同期に失敗しました: {error}。以前の脆弱性情報を引き続き使い、次回の同期で再試行します。"},
    {"subject.case.transition", "Case {case_id} moved to {to}: {title}",
     "案件 {case_id} が {to} に移りました: {title}"},
    {"intro.case.transition", "Case {case_id} of team {team}, \"{title}\", moved from {from} to {to}.",
     "チーム {team} の案件 {case_id}「{title}」が {from} から {to} に移りました。"},
    {"subject.case.assigned", "Case {case_id} was assigned: {title}",
     "案件 {case_id} の担当者が決まりました: {title}"},
    {"intro.case.assigned", "Case {case_id} of team {team}, \"{title}\", was assigned to user {assignee}.",
     "チーム {team} の案件 {case_id}「{title}」の担当者がユーザー {assignee} になりました。"},
    {"subject.escalation", "Case {case_id} escalated: {title}",
     "案件 {case_id} がエスカレーションされました: {title}"},
    {"intro.escalation", "Case {case_id} of team {team}, \"{title}\", was escalated by rule "
                         "{rule_name} ({reason}).",
     "チーム {team} の案件 {case_id}「{title}」がルール {rule_name} によりエスカレーションされました（{reason}）。"},
    {"subject.embargo.ending", "Embargo of case {case_id} ends {embargo}: {title}",
     "案件 {case_id} のエンバーゴ終了予定 {embargo}: {title}"},
    {"intro.embargo.ending", "The embargo of case {case_id} of team {team}, \"{title}\", ends at "
                             "{embargo} (agreed in the time zone {zone}).",
     "チーム {team} の案件 {case_id}「{title}」のエンバーゴは {embargo}（{zone} で合意）に終了します。"},
    {"subject.embargo.ended", "Embargo of case {case_id} ended: {title}",
     "案件 {case_id} のエンバーゴが終了しました: {title}"},
    {"intro.embargo.ended", "The embargo of case {case_id} of team {team}, \"{title}\", ended at "
                            "{embargo} (agreed in the time zone {zone}).",
     "チーム {team} の案件 {case_id}「{title}」のエンバーゴは {embargo}（{zone} で合意）に終了しました。"},
    {"subject.other", "xsirt notification for {team}: {event}", "{team} への xsirt の通知: {event}"},
    {"intro.other", "Event {event} happened; its details follow.",
     "イベント {event} が発生しました。詳細は以下のとおりです。"},
    {"line", "{priority} {vuln} in {component} {version} on {asset}",
     "{priority} {asset} の {component} {version} に {vuln}"},
    {"mark.kev", "[KEV: known exploited]", "[KEV: 悪用確認済み]"},
    {"mark.overdue", "[OVERDUE: due {due}]", "[期限超過: 期限 {due}]"},
    {"mark.new", "[NEW]", "[新規]"},
    {"more", "{more} more findings are not listed here; see the findings in xsirt.",
     "ほかに {more} 件の検出事項があります。xsirt の検出事項一覧をご覧ください。"},
    {"footer", "This message was sent by xsirt for notification rule {rule}.",
     "このメッセージは xsirt の通知ルール {rule} により送信されました。"},
};

/* The events with their own subject and introduction; others get a
 * general one and the payload as JSON. */
static const char *const notify_kinds[] = {"finding.new", "finding.kev", "finding.overdue",
                                           "digest", "feed.error", "case.transition",
                                           "case.assigned", "case.overdue", "escalation",
                                           "embargo.ending", "embargo.ended"};

static const char *notify_text_get(const char *key, const char *lang)
{
    for (size_t i = 0; i < sizeof notify_texts / sizeof notify_texts[0]; i++)
        if (strcmp(notify_texts[i].key, key) == 0)
            return strcmp(lang, "ja") == 0 ? notify_texts[i].ja : notify_texts[i].en;
    return "";
}

/* Appends s without CR, LF or other control characters (data goes into
 * headers and lines; it must not start new ones). */
static int notify_put_clean(xsirt_buf *out, const char *s)
{
    int rc = 0;

    for (; s != NULL && *s != '\0' && rc == 0; s++)
        rc = xsirt_buf_putc(out, (unsigned char)*s < ' ' || *s == 127 ? ' ' : *s);
    return rc;
}

/* The template key in lang with {name} replaced by vars' member name
 * (strings as they are, integers in decimal). */
static int notify_expand(xsirt_buf *out, const char *key, const char *lang, const json_t *vars)
{
    const char *t = notify_text_get(key, lang);
    int rc = 0;

    while (*t != '\0' && rc == 0) {
        const char *close = *t == '{' ? strchr(t, '}') : NULL;
        if (close == NULL) {
            rc = xsirt_buf_putc(out, *t++);
            continue;
        }
        char name[32];
        snprintf(name, sizeof name, "%.*s", (int)(close - t - 1), t + 1);
        const json_t *v = json_object_get(vars, name);
        if (json_is_integer(v))
            rc = xsirt_buf_printf(out, "%lld", (long long)json_integer_value(v));
        else
            rc = notify_put_clean(out, json_string_value(v));
        t = close + 1;
    }
    return rc;
}

static const char *notify_asset_label(char *out, size_t n, const json_t *asset)
{
    const char *version = json_string_value(json_object_get(asset, "version"));
    const char *name = json_string_value(json_object_get(asset, "name"));

    snprintf(out, n, "%s%s%s", name != NULL ? name : "?",
             version != NULL ? " " : "", version != NULL ? version : "");
    return out;
}

/* One finding line: the line sentence, then its marks. */
static int notify_line(xsirt_buf *out, const json_t *f, const char *lang, bool digest)
{
    char asset[512];
    const json_t *comp = json_object_get(f, "component"), *vuln = json_object_get(f, "vulnerability");
    json_t *vars = json_pack("{s:s?, s:s?, s:s?, s:s?, s:s, s:s?}",
                             "priority", json_string_value(json_object_get(f, "priority")),
                             "vuln", json_string_value(json_object_get(vuln, "id")),
                             "component", json_string_value(json_object_get(comp, "name")),
                             "version", json_string_value(json_object_get(comp, "version")),
                             "asset", notify_asset_label(asset, sizeof asset, json_object_get(f, "asset")),
                             "due", json_string_value(json_object_get(f, "due")));
    int rc = xsirt_buf_puts(out, "- ");

    if (rc == 0)
        rc = notify_expand(out, "line", lang, vars);
    if (rc == 0 && json_is_true(json_object_get(vuln, "kev")) &&
        (rc = xsirt_buf_putc(out, ' ')) == 0)
        rc = notify_expand(out, "mark.kev", lang, vars);
    if (rc == 0 && json_is_true(json_object_get(f, "overdue")) &&
        (rc = xsirt_buf_putc(out, ' ')) == 0)
        rc = notify_expand(out, "mark.overdue", lang, vars);
    if (rc == 0 && digest && json_is_true(json_object_get(f, "new")) &&
        (rc = xsirt_buf_putc(out, ' ')) == 0)
        rc = notify_expand(out, "mark.new", lang, vars);
    if (rc == 0)
        rc = xsirt_buf_puts(out, "\n");
    json_decref(vars);
    return rc;
}

/* The placeholders of subject and introduction, from the payload. */
static json_t *notify_vars(const json_t *rule, const json_t *payload)
{
    char asset[512];
    const json_t *findings = json_object_get(payload, "findings");
    const json_t *feed = json_object_get(payload, "feed");
    const json_t *kase = json_object_get(payload, "case");
    json_t *vars = json_pack("{s:s?, s:s?, s:I, s:I, s:I, s:I, s:I}",
                             "team", json_string_value(json_object_get(json_object_get(payload, "team"), "name")),
                             "event", json_string_value(json_object_get(payload, "event")),
                             "count", (json_int_t)(json_array_size(findings) +
                                                   json_integer_value(json_object_get(payload, "more"))),
                             "total", json_integer_value(json_object_get(payload, "total")),
                             "new", json_integer_value(json_object_get(payload, "new")),
                             "overdue", json_integer_value(json_object_get(payload, "overdue")),
                             "rule", json_integer_value(json_object_get(rule, "id")));

    json_object_set_new(vars, "more", json_integer(json_integer_value(json_object_get(payload, "more"))));
    if (json_object_get(payload, "asset") != NULL)
        json_object_set_new(vars, "asset", json_string(notify_asset_label(asset, sizeof asset,
                                                                          json_object_get(payload, "asset"))));
    if (kase != NULL) {
        json_object_set(vars, "case_id", json_object_get(kase, "id"));
        json_object_set(vars, "title", json_object_get(kase, "title"));
        json_object_set(vars, "assignee", json_object_get(kase, "assignee"));
        json_object_set(vars, "from", json_object_get(payload, "from"));
        json_object_set(vars, "to", json_object_get(payload, "to"));
        json_object_set(vars, "reason", json_object_get(payload, "reason"));
        json_object_set(vars, "due", json_object_get(kase, "due"));
        json_object_set(vars, "embargo", json_object_get(kase, "embargo"));
        json_object_set(vars, "zone", json_object_get(kase, "embargo_zone"));
        json_object_set(vars, "rule_name",
                        json_object_get(json_object_get(payload, "escalation_rule"), "name"));
    }
    if (feed != NULL) {
        json_object_set_new(vars, "feed", json_integer(json_integer_value(json_object_get(feed, "id"))));
        json_object_set(vars, "error", json_object_get(feed, "error"));
    }
    return vars;
}

int xsirt_notify_text(xsirt_buf *subject, xsirt_buf *body, const json_t *rule,
                      const json_t *payload)
{
    const char *lang = json_string_value(json_object_get(rule, "language"));
    const char *event = json_string_value(json_object_get(payload, "event"));
    const json_t *findings = json_object_get(payload, "findings"), *f;
    bool digest = event != NULL && strcmp(event, "digest") == 0;
    char key[64];
    const char *kind;
    json_t *vars = notify_vars(rule, payload);
    size_t i;
    int rc;

    lang = lang != NULL ? lang : "en";
    kind = "other";
    for (size_t k = 0; event != NULL && k < sizeof notify_kinds / sizeof notify_kinds[0]; k++)
        if (strcmp(event, notify_kinds[k]) == 0)
            kind = event;
    snprintf(key, sizeof key, "subject.%s", kind);
    rc = notify_expand(subject, key, lang, vars);
    snprintf(key, sizeof key, "intro.%s", kind);
    if (rc == 0 && digest && json_array_size(findings) == 0)
        snprintf(key, sizeof key, "empty.digest");
    if (rc == 0)
        rc = notify_expand(body, key, lang, vars);
    if (rc == 0)
        rc = xsirt_buf_puts(body, "\n\n");
    json_array_foreach(findings, i, f) {
        if (rc == 0)
            rc = notify_line(body, f, lang, digest);
    }
    if (rc == 0 && json_integer_value(json_object_get(payload, "more")) > 0 &&
        (rc = xsirt_buf_puts(body, "\n")) == 0 && (rc = notify_expand(body, "more", lang, vars)) == 0)
        rc = xsirt_buf_puts(body, "\n");
    if (rc == 0 && strcmp(kind, "other") == 0) {
        char *text = json_dumps(payload, JSON_INDENT(2) | JSON_SORT_KEYS);
        rc = xsirt_buf_puts(body, text != NULL ? text : "{}");
        free(text);
        if (rc == 0)
            rc = xsirt_buf_puts(body, "\n");
    }
    if (rc == 0 && (rc = xsirt_buf_puts(body, "\n-- \n")) == 0 &&
        (rc = notify_expand(body, "footer", lang, vars)) == 0)
        rc = xsirt_buf_puts(body, "\n");
    json_decref(vars);
    return rc;
}

/* RFC 2047: the subject as B-encoded words of at most 75 characters,
 * split between UTF-8 characters, on folded lines. */
static int notify_subject(xsirt_buf *out, const char *s, size_t n)
{
    int rc = xsirt_buf_puts(out, "Subject:");

    while (n > 0 && rc == 0) {
        /* 36 bytes encode to 48 characters: with "=?UTF-8?B?" and "?=" a word
         * of 60, and "Subject: " before the first keeps lines under 76. */
        size_t take = n < 36 ? n : 36;
        char enc[64];
        while (take < n && take > 0 && ((unsigned char)s[take] & 0xC0) == 0x80)
            take--;
        if (take == 0)   /* not UTF-8 after all: cut anywhere rather than loop */
            take = n < 36 ? n : 36;
        sodium_bin2base64(enc, sizeof enc, (const unsigned char *)s, take,
                          sodium_base64_VARIANT_ORIGINAL);
        rc = xsirt_buf_printf(out, "%s=?UTF-8?B?%s?=", out->len > 0 && out->data[out->len - 1] == ':'
                                                            ? " " : "\r\n ", enc);
        s += take;
        n -= take;
    }
    return rc == 0 ? xsirt_buf_puts(out, "\r\n") : rc;
}

/* An RFC 5322 date, locale-free. */
static void notify_date(char *out, size_t n, time_t t)
{
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    struct tm tm;

    gmtime_r(&t, &tm);
    snprintf(out, n, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday], tm.tm_mday,
             months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

int xsirt_notify_mail(xsirt_buf *out, const json_t *rule, const json_t *payload,
                      const char *from, int64_t outbox_id, xsirt_error *err)
{
    xsirt_buf subject, body;
    char date[64];
    const char *at = strchr(from, '@');
    int rc;

    xsirt_buf_init(&subject, 4096);
    xsirt_buf_init(&body, XSIRT_LIMIT_NOTIFY_MESSAGE_BYTES / 2);
    rc = xsirt_notify_text(&subject, &body, rule, payload);
    notify_date(date, sizeof date, time(NULL));
    if (rc == 0)
        rc = xsirt_buf_printf(out, "From: <%s>\r\nTo: ", from);
    if (rc == 0)
        rc = notify_put_clean(out, json_string_value(json_object_get(rule, "target")));
    if (rc == 0)
        rc = xsirt_buf_printf(out, "\r\nDate: %s\r\nMessage-ID: <xsirt-outbox-%lld@%s>\r\n", date,
                              (long long)outbox_id, at != NULL ? at + 1 : "xsirt");
    if (rc == 0)
        rc = notify_subject(out, subject.data != NULL ? subject.data : "", subject.len);
    if (rc == 0)
        rc = xsirt_buf_puts(out, "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                                 "Content-Transfer-Encoding: base64\r\n"
                                 "Auto-Submitted: auto-generated\r\n\r\n");
    /* Base64 in lines of 76 characters (57 bytes each). */
    for (size_t i = 0; rc == 0 && i < body.len; i += 57) {
        char line[80];
        size_t take = body.len - i < 57 ? body.len - i : 57;
        sodium_bin2base64(line, sizeof line, (const unsigned char *)body.data + i, take,
                          sodium_base64_VARIANT_ORIGINAL);
        rc = xsirt_buf_printf(out, "%s\r\n", line);
    }
    xsirt_buf_free(&subject);
    xsirt_buf_free(&body);
    return rc != 0 ? xsirt_error_set(err, XSIRT_ELIMIT, "the message is longer than %u bytes",
                                     XSIRT_LIMIT_NOTIFY_MESSAGE_BYTES)
                   : 0;
}
