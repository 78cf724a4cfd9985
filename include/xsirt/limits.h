/*
 * limits.h — every limit xsirt enforces, in one place, with its reason.
 *
 * Input from outside (files, HTTP bodies, command arguments) is bounded so
 * that hostile input costs bounded memory and time. A limit hit is an
 * XSIRT_ELIMIT error naming the limit, never a crash or a silent cut.
 * Include as <xsirt/limits.h> (not to be confused with the C <limits.h>).
 */
#ifndef XSIRT_LIMITS_H
#define XSIRT_LIMITS_H

/* One line of line-oriented input (a purl, a version, a CVSS vector, a
 * batch line "A<TAB>B"). Real identifiers are under 1 KiB; 64 KiB leaves
 * room for generated ones without letting a single line exhaust memory. */
#define XSIRT_LIMIT_LINE (64u * 1024u)

/* A version string. The longest real versions (Go pseudo-versions, Debian
 * versions with long revisions) stay well under 256 bytes. */
#define XSIRT_LIMIT_VERSION 1024u

/* Numeric components inside a version are compared as digit strings, so no
 * length limit is needed for overflow; this bounds the number of components
 * a version may have (dotted segments, qualifiers). */
#define XSIRT_LIMIT_VERSION_PARTS 256u

/* A purl, a vers range or a CPE string. The purl spec sets no limit;
 * registries cap names far below this. */
#define XSIRT_LIMIT_IDENTIFIER (16u * 1024u)

/* Constraints in one vers range (">=1.0|<2.0|..."). Real advisories list
 * at most a few hundred affected versions. */
#define XSIRT_LIMIT_VERS_CONSTRAINTS 4096u

/* Qualifiers in one purl. */
#define XSIRT_LIMIT_PURL_QUALIFIERS 64u

/* A CVSS vector: the longest valid v4.0 vector with every metric is about
 * 300 bytes. */
#define XSIRT_LIMIT_CVSS_VECTOR 512u

/* An error message built from input quotes input; quotes are cut here. */
#define XSIRT_LIMIT_QUOTE 64u

/* A single input file read whole by the CLI (SBOMs, advisories). Large
 * intelligence sets are streamed, not read whole. */
#define XSIRT_LIMIT_FILE (256u * 1024u * 1024u)

/* Nesting depth of JSON/XML documents; deeper input is hostile. */
#define XSIRT_LIMIT_DEPTH 64u

/* Versions `xsirt version sort` holds in memory at once. Real version
 * lists (every release of a package) are in the thousands. */
#define XSIRT_LIMIT_VERSION_SORT (1024u * 1024u)

/* Components in one SBOM, nested ones included. The largest real SBOMs
 * (container images, monorepos) list tens of thousands; a million leaves
 * room while bounding the model (about 200 bytes a component besides its
 * strings) to a few hundred MiB at worst. */
#define XSIRT_LIMIT_SBOM_COMPONENTS 1000000u

/* Dependency edges in one SBOM. Real graphs have a few edges a component;
 * four a component at the component limit. */
#define XSIRT_LIMIT_SBOM_EDGES 4000000u

/* VEX statements (vulnerabilities[]) in one SBOM. Large VEX documents
 * carry thousands; this bounds a hostile one. */
#define XSIRT_LIMIT_SBOM_VULNERABILITIES 100000u

/* Entries in one list of one component or statement: hashes, licences,
 * purls, CPEs, ratings, affected refs, responses. Real lists hold a
 * handful; a statement may affect many components of a large BOM. */
#define XSIRT_LIMIT_SBOM_LIST 65536u

/* An HTTP request body. The largest legitimate body is a case description
 * (256 KiB) with its fields, or a workflow definition; attachments and
 * SBOM uploads will have their own streaming path and limit. */
#define XSIRT_LIMIT_HTTP_BODY (1024u * 1024u)

/* Concurrent HTTP connections one server accepts; beyond it the kernel
 * queues them. Bounds memory per server (each connection buffers at most
 * XSIRT_LIMIT_HTTP_BODY). */
#define XSIRT_LIMIT_HTTP_CONNECTIONS 1024u

/* Connections one client address may hold open at once (the default of
 * `xsirt serve --max-per-address`). A browser opens six per host; 64 leaves
 * room for scripts and NAT, while one address alone can no longer hold the
 * server's XSIRT_LIMIT_HTTP_CONNECTIONS slots (slowloris). Behind a proxy
 * every connection comes from the proxy, which limits clients itself. */
#define XSIRT_LIMIT_HTTP_CONNECTIONS_PER_ADDRESS 64u

/* Seconds a client has to send one whole request, head and body, counted
 * from the connection's start or the end of the previous answer (the
 * default of `xsirt serve --request-seconds`). Unlike the idle timeout,
 * sending a byte now and then does not extend it. 30 s lets a 1 MiB body
 * (XSIRT_LIMIT_HTTP_BODY) arrive at 35 KB/s. */
#define XSIRT_LIMIT_HTTP_REQUEST_SECONDS 30u

/* Bytes of a refused request body (too large, wrong media type) the server
 * still reads and drops before answering: a client that is still sending
 * when the answer comes would otherwise see its connection reset instead
 * of the answer. Bigger bodies are answered at once and the connection
 * closed. */
#define XSIRT_LIMIT_HTTP_DRAIN (8u * 1024u * 1024u)

/* Seconds a connection may stay silent (waiting for the next request, or
 * not reading its answer) before it is closed. */
#define XSIRT_LIMIT_HTTP_IDLE_SECONDS 60u

/* Memory libmicrohttpd gives one connection for the request head and the
 * answer's headers. Real heads are under 8 KiB (browsers with cookies);
 * a longer request line gets 414 and longer headers 431. */
#define XSIRT_LIMIT_HTTP_CONNECTION_MEMORY (128u * 1024u)

/* A request head (request line and header lines) as the server's front
 * reads it, before libmicrohttpd does (src/server/front.c): longer is 431
 * (414 while still in the request line). Real heads are under 8 KiB;
 * 16 KiB, with at most XSIRT_LIMIT_HTTP_FIELDS fields, is what keeps
 * every head libmicrohttpd is given inside its connection memory
 * (XSIRT_LIMIT_HTTP_CONNECTION_MEMORY: it reads into half of it and
 * keeps a copy of the cookies), so that it never answers one itself. */
#define XSIRT_LIMIT_HTTP_HEAD (16u * 1024u)

/* Header lines of one request (a real one has about twenty): more is 431. */
#define XSIRT_LIMIT_HTTP_HEADERS 100u

/* Fields libmicrohttpd records for one request: header lines, query
 * arguments and cookies, each about 56 bytes of its connection memory:
 * more is 431. */
#define XSIRT_LIMIT_HTTP_FIELDS 256u

/* Logins: each address may start XSIRT_LIMIT_LOGIN_ADDRESS_BURST attempts
 * at once, then one every XSIRT_LIMIT_LOGIN_ADDRESS_PERIOD seconds (20, then
 * 10 a minute: an office behind one NAT address logs in at the start of the
 * day; a guesser gets 14,400 guesses a day for all accounts together). */
#define XSIRT_LIMIT_LOGIN_ADDRESS_BURST 20u
#define XSIRT_LIMIT_LOGIN_ADDRESS_PERIOD 6u

/* Each account name may be tried XSIRT_LIMIT_LOGIN_ACCOUNT_BURST times,
 * then once a minute (someone who mistypes four times still gets in at
 * the fifth; a guesser gets 1,440 guesses a day at one account). A success
 * forgives the failures. */
#define XSIRT_LIMIT_LOGIN_ACCOUNT_BURST 5u
#define XSIRT_LIMIT_LOGIN_ACCOUNT_PERIOD 60u

/* Password hashes (Argon2id, 64 MiB each) running at once: the online
 * cores, at most this many. More in parallel only adds memory (64 MiB
 * each) and slows everyone, it does not answer faster. */
#define XSIRT_LIMIT_LOGIN_HASHES 16u

/* Bytes of one request's URI written to the request log (escaped); the
 * rest is cut with "...", so a long URI cannot flood the log. */
#define XSIRT_LIMIT_LOG_URI 2048u

/* Archives of intelligence (OSV's per-ecosystem all.zip). One entry is one
 * advisory: the largest real OSV records and CSAF advisories are a few MB,
 * so 64 MiB per entry is generous while a zip bomb's single giant entry is
 * stopped after 64 MiB of output instead of filling memory. */
#define XSIRT_LIMIT_ARCHIVE_ENTRY (64u * 1024u * 1024u)

/* Uncompressed bytes read from one archive. OSV's largest per-ecosystem
 * all.zip files expand to well under 2 GiB; 8 GiB bounds the decompression
 * time a hostile archive of many medium entries can cost. */
#define XSIRT_LIMIT_ARCHIVE_TOTAL (8ull * 1024u * 1024u * 1024u)

/* Entries in one archive: OSV's whole database is about 500,000 records;
 * a directory of millions of empty entries is a bomb of another kind. */
#define XSIRT_LIMIT_ARCHIVE_ENTRIES 4000000u

/* Length of an entry name inside an archive (POSIX PATH_MAX is 4096). */
#define XSIRT_LIMIT_ARCHIVE_NAME 4096u

/* Advisories one CSAF provider feed may list: CISA's whole set is about
 * 3,000 and the largest vendors publish tens of thousands; a listing past
 * this is a runaway or hostile feed (feeds_csaf.c). */
#define XSIRT_LIMIT_FEED_ADVISORIES 200000u

/* Bytes of a provider-metadata.json, a ROLIE feed or a directory index
 * read into memory: a ROLIE feed of 200,000 entries is about 100 MB. */
#define XSIRT_LIMIT_FEED_LISTING (128u * 1024u * 1024u)

/* Findings in one report input (components x vulnerabilities of a scan).
 * A large image scan yields thousands; this bounds a hostile input. */
#define XSIRT_LIMIT_REPORT_FINDINGS 1000000u

/* A report returned as one string (xsirt_report_write, the scan writers'
 * text form) is held whole in memory; past this size the caller should
 * stream it (xsirt_report_stream, xsirt_match_stream_*), which has no
 * bound. A SARIF report of a quarter of a million findings is ~400 MB. */
#define XSIRT_LIMIT_REPORT_TEXT ((size_t)2u << 30)

/* Statements in one VEX document (OpenVEX statements, CSAF product
 * statuses, CycloneDX vulnerabilities x affects). Vendors' VEX feeds hold
 * thousands; this bounds a hostile one. */
#define XSIRT_LIMIT_VEX_STATEMENTS 1000000u

/* Records, index entries (postings) and string references in one match
 * index: all of OSV is about 500,000 records with a few entries each; 2^28
 * keeps every count and 32-bit reference in range with room to spare. */
#define XSIRT_LIMIT_INDEX_ENTRIES (1u << 28)

/* Bytes of distinct strings in one match index: references are 32-bit. */
#define XSIRT_LIMIT_INDEX_STRINGS (4000ull * 1024u * 1024u)

/* Bytes of original documents kept in one match index (the whole of OSV
 * and NVD is a few GiB of JSON). */
#define XSIRT_LIMIT_INDEX_DOCS (16ull * 1024u * 1024u * 1024u)

/* Findings of one scan (component × record pairs): a 10,000-component SBOM
 * rarely has more than a few thousand. */
#define XSIRT_LIMIT_FINDINGS 10000000u

/* Bytes of items one page of a list may carry (every list and sub-resource
 * of the HTTP API is paged by count and by this). With the largest single
 * item (a 256 KiB note whose every byte JSON-escapes to six) a page stays
 * under 4 MiB and so under the 8 MiB the API promises for any answer; the
 * database rows behind a page are fetched with the same bound, so memory
 * per request stays a few times this, whatever the timeline's length. */
#define XSIRT_LIMIT_PAGE_BYTES (2u * 1024u * 1024u)

/* Bytes of the findings one VEX export (GET /assets/{id}/vex) may carry:
 * a VEX document is one statement per finding and means nothing cut in
 * pages, so it is whole or refused (413). Statements are about the size
 * of the findings they come from, so the document stays under the 8 MiB
 * any answer may have; the export checks that too before sending it. */
#define XSIRT_LIMIT_VEX_BYTES (6u * 1024u * 1024u)
#define XSIRT_LIMIT_ANSWER_BYTES (8u * 1024u * 1024u)

/* Items a page holds at most, and without `limit`. */
#define XSIRT_LIMIT_PAGE_ITEMS 200
#define XSIRT_LIMIT_PAGE_DEFAULT 50

/* Days the token `xsirt init` writes to initial-credentials lives: long
 * enough to set the installation up and create personal accounts, short
 * enough that a forgotten file stops being a key; `xsirt token rotate`
 * issues a new one. */
#define XSIRT_LIMIT_INITIAL_TOKEN_DAYS 7

/* Participants and links one case may have. They travel inside the case
 * (every GET, every list item, every audit snapshot), so they are bounded
 * to keep one case well under a page: 500 of the largest participants
 * (name and address near their limits, escaped) stay under 2 MiB. Real
 * cases name a handful; coordinated disclosures a few dozen vendors. */
#define XSIRT_LIMIT_CASE_PARTICIPANTS 500
#define XSIRT_LIMIT_CASE_LINKS 500

/* An audit record as the API shows it. A record holds a case twice
 * (before and after); within the case limits that is a few MiB, but text
 * full of control characters escapes to six bytes a byte, so a record
 * over this bound is shown with before/after replaced by their sizes
 * (the hashes stay; `xsirt audit verify` still checks it), and no answer
 * passes 8 MiB. */
#define XSIRT_LIMIT_AUDIT_RECORD_BYTES (6u * 1024u * 1024u)

/* Vendor alias pairs (built in and added from files): the built-in table
 * has about fifty; an organisation's own list a few hundred. */
#define XSIRT_LIMIT_NAME_ALIASES 100000u

/* Columns of a device inventory CSV: spreadsheets export a few dozen. */
#define XSIRT_LIMIT_INVENTORY_COLUMNS 256u
/* An SBOM uploaded to the server (POST /api/v1/assets/{id}/sboms), read
 * whole into memory as `xsirt scan` reads a file. The SBOM of a container
 * image with 10,000 components is 5-20 MiB of CycloneDX JSON; 64 MiB
 * leaves room for the largest while bounding what one upload holds. */
#define XSIRT_LIMIT_SBOM_UPLOAD (64u * 1024u * 1024u)

/* Components of one uploaded SBOM that the server stores and matches. Every
 * component becomes a row, and the upload is one transaction: 100,000 rows
 * keep it to seconds on either database; an SBOM with more is split. */
#define XSIRT_LIMIT_SBOM_UPLOAD_COMPONENTS 100000u

/* Findings in one batch triage (POST /api/v1/findings/triage), and ids in
 * one request's list (depends_on of an asset, findings of a new case).
 * One transaction decides them all: 1,000 is a screenful of selected rows
 * many times over and bounds the transaction's length. */
#define XSIRT_LIMIT_BATCH 1000u
/* A BCP 47 language tag as the CSAF tests read it (document.lang and
 * source_lang, tests 6.1.12 and 6.2.14): RFC 5646 asks implementations to
 * handle at least 35 characters and registered tags are far shorter; the
 * tests split a tag into a fixed array of subtags. A longer tag is judged
 * not valid. */
#define XSIRT_LIMIT_LANGUAGE_TAG 256u
/* Days one statistics request may span: ten years of daily counters is
 * at most a few hundred thousand rows to sum, well under a second. */
#define XSIRT_LIMIT_STATISTICS_DAYS 3660u

/* The statistics as CSV: ten years by week of every figure stays under
 * 8 MiB; a bigger answer means a mistaken request. */
#define XSIRT_LIMIT_STATISTICS_CSV (8u * 1024u * 1024u)

/* A report (PDF or HTML): a quarter's figures, charts and up to a few
 * hundred cases take well under 1 MiB; a case's timeline can be long. */
#define XSIRT_LIMIT_REPORT_BYTES (32u * 1024u * 1024u)

/* Notifications (docs/notifications.md). One message lists at most this
 * many findings and says how many more there are: a digest of 500 lines
 * is already more than anyone reads, and it bounds the outbox row. */
#define XSIRT_LIMIT_NOTIFY_FINDINGS 500u
/* A rendered message (mail with its headers, or a webhook body): 500
 * finding lines of a few hundred bytes, base64-encoded, stay under 1 MiB;
 * common mail servers accept 10 MiB and more. */
#define XSIRT_LIMIT_NOTIFY_MESSAGE_BYTES (1024u * 1024u)
/* Addresses in one email rule's target: a rule mails a team's list or a
 * few people, not a directory; each is one RCPT TO of every message. */
#define XSIRT_LIMIT_NOTIFY_RECIPIENTS 20u
/* Outbox rows one delivery pass sends before it looks again: keeps one
 * pass short when a target is slow (each send has its own timeout). */
#define XSIRT_LIMIT_NOTIFY_BATCH 100u
/* Seconds one send (SMTP session or webhook POST) may take. */
#define XSIRT_LIMIT_NOTIFY_TIMEOUT 30u
/* Retry backoff: the first retry after this many seconds, doubling after
 * each failure up to the ceiling, so that a target that is down for a day
 * is tried once an hour and not hammered; delivery never gives up (the
 * rule shows the last error and the pending count). */
#define XSIRT_LIMIT_NOTIFY_BACKOFF_FIRST 1u
#define XSIRT_LIMIT_NOTIFY_BACKOFF_MAX 3600u
/* Bytes of a rule's target (a URL or a list of addresses) and secret. */
#define XSIRT_LIMIT_NOTIFY_TARGET 2048u
#define XSIRT_LIMIT_NOTIFY_SECRET 256u

/* Vulnerability reports (POST /api/v1/intake, no login): each address may
 * send XSIRT_LIMIT_INTAKE_BURST reports or messages at once, then one every
 * XSIRT_LIMIT_INTAKE_PERIOD seconds (a researcher sends a report and a few
 * follow-ups; a flood gets 10 a minute, each a case someone must read). */
#define XSIRT_LIMIT_INTAKE_BURST 10u
#define XSIRT_LIMIT_INTAKE_PERIOD 6u

/* A report's attachments: at most XSIRT_LIMIT_INTAKE_ATTACHMENTS, each at
 * most XSIRT_LIMIT_INTAKE_ATTACHMENT bytes once decoded (a proof of concept
 * or a packet capture excerpt; bigger material goes by another channel
 * agreed on the thread), all inside XSIRT_LIMIT_INTAKE_BODY. */
#define XSIRT_LIMIT_INTAKE_ATTACHMENTS 8u
#define XSIRT_LIMIT_INTAKE_ATTACHMENT (512u * 1024u)
/* The whole report as sent: the attachments in base64 (4/3 of their size)
 * with the text around them, or the same as an armoured OpenPGP message. */
#define XSIRT_LIMIT_INTAKE_BODY (7u * 1024u * 1024u)
/* A party's OpenPGP public key (armoured): a key with a few subkeys and
 * signatures is a few KiB; RSA-4096 with many certifications stays far
 * under 64 KiB, and the key is imported on each mail to the party. */
#define XSIRT_LIMIT_PARTY_KEY (64u * 1024u)

/* How long a reporter's or participant's secret link works: a year covers
 * a long embargo (90 days, extended twice) with margin; a new link can be
 * sent on the thread. */
#define XSIRT_LIMIT_PORTAL_LINK_DAYS 365

/* The parties one external account sees in its list (GET /api/v1/portal),
 * each a whole portal view: a vendor's PSIRT in a hundred open cases at
 * once is already more than any coordination keeps; older ones are read
 * one by one (GET /api/v1/portal/{party}). */
#define XSIRT_LIMIT_PORTAL_ACCOUNT_PARTIES 100

/* One mail given to `xsirt mail deliver`: 25 MiB is the size most mail
 * servers accept (Gmail, Exchange Online defaults); a larger one is
 * refused with a temporary failure so the mail server keeps it. */
#define XSIRT_LIMIT_MAIL (25u * 1024u * 1024u)

/* A message on a coordination thread: 64 KiB of text is a long mail. */
#define XSIRT_LIMIT_MESSAGE_BODY (64u * 1024u)

/* A number answered in the readiness self-assessment (people in the
 * team): the survey's largest bin is "20 or more"; 100000 is more people
 * than any security team has, and keeps a typo from reading as a fact. */
#define XSIRT_LIMIT_READINESS_NUMBER 100000
/* A described answer of the self-assessment (the services a team offers
 * beside the survey's list): a few paragraphs; 4000 bytes is a page. */
#define XSIRT_LIMIT_READINESS_TEXT 4000u
/* A team's contact groups and the people in one: a group per department
 * to call (management, PR, legal, IT, each supplier) stays far under 100;
 * 200 people is a whole crisis-management roster. Groups are read whole,
 * members included, so these bound an answer. */
#define XSIRT_LIMIT_CONTACT_GROUPS 100u
#define XSIRT_LIMIT_CONTACT_MEMBERS 200u

/* A pending re-match's plan (the package keys and records a feed sync
 * changed) is kept as JSON until the re-match is done; a plan larger than
 * this is kept as "match everything", which is always right and only
 * slower, so that one sync of a whole database does not write megabytes
 * twice. */
#define XSIRT_LIMIT_REMATCH_PLAN (4u * 1024u * 1024u)

#endif
