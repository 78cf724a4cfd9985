/*
 * schema.c — the migrations (see schema.h) and their runner.
 *
 * Dialect tokens in the SQL below:
 *   @ID@      an auto-assigned 64-bit primary key
 *   @REF@     a 64-bit integer column that refers to an @ID@
 *   @KNOWLEDGE@  the knowledge base's substring search table (v4)
 * Timestamps are TEXT in RFC 3339 UTC with milliseconds
 * ("2026-11-22T02:15:08.123Z"), set by the application: they sort as text
 * and read the same on both backends. JSON is stored as TEXT.
 * A migration is never edited once released: add a new one.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "store/knowledge.h"
#include "store/metrics.h"
#include "store/sbom_store.h"
#include "store/schema.h"

typedef struct schema_migration {
    int version;
    const char *name;
    const char *sql;
} schema_migration;

/* Version 1: the case-management model of the product brief — teams and
 * people, external organisations, workflows as data, cases with their
 * timeline, tasks, participants, links and references, service levels,
 * escalation rules, and the hash-chained audit log. */
static const char schema_v1[] =
    "CREATE TABLE settings ("
    "  key TEXT PRIMARY KEY,"
    "  value TEXT NOT NULL);"

    "CREATE TABLE teams ("
    "  id @ID@,"
    "  name TEXT NOT NULL UNIQUE,"
    "  kind TEXT NOT NULL CHECK (kind IN ('CSIRT','PSIRT','DSIRT','SSIRT','FSIRT','SOC','other')),"
    "  parent_id @REF@ REFERENCES teams(id),"
    "  description TEXT NOT NULL DEFAULT '',"
    "  created_at TEXT NOT NULL,"
    "  updated_at TEXT NOT NULL);"

    /* External organisations: suppliers, customers, coordinators, finders. */
    "CREATE TABLE organisations ("
    "  id @ID@,"
    "  name TEXT NOT NULL UNIQUE,"
    "  kind TEXT NOT NULL DEFAULT 'other' CHECK (kind IN"
    "    ('supplier','customer','coordinator','researcher','vendor','partner','other')),"
    "  created_at TEXT NOT NULL);"

    /* role: admin (everything), auditor (reads the audit log), user (what
     * team membership gives). organisation_id is NULL for our own people
     * and set for accounts of external organisations. */
    "CREATE TABLE users ("
    "  id @ID@,"
    "  username TEXT NOT NULL UNIQUE,"
    "  display_name TEXT NOT NULL DEFAULT '',"
    "  email TEXT,"
    "  password_hash TEXT,"
    "  role TEXT NOT NULL DEFAULT 'user' CHECK (role IN ('admin','auditor','user')),"
    "  organisation_id @REF@ REFERENCES organisations(id),"
    "  disabled INTEGER NOT NULL DEFAULT 0,"
    "  created_at TEXT NOT NULL,"
    "  updated_at TEXT NOT NULL);"

    "CREATE TABLE team_members ("
    "  team_id @REF@ NOT NULL REFERENCES teams(id) ON DELETE CASCADE,"
    "  user_id @REF@ NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  role TEXT NOT NULL CHECK (role IN ('lead','member','viewer')),"
    "  PRIMARY KEY (team_id, user_id));"
    "CREATE INDEX team_members_user ON team_members(user_id);"

    /* API tokens and browser sessions: only a hash of the secret is kept. */
    "CREATE TABLE tokens ("
    "  id @ID@,"
    "  user_id @REF@ NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  name TEXT NOT NULL,"
    "  hash TEXT NOT NULL UNIQUE,"
    "  prefix TEXT NOT NULL,"
    "  created_at TEXT NOT NULL,"
    "  expires_at TEXT,"
    "  revoked_at TEXT,"
    "  last_used_at TEXT);"
    "CREATE INDEX tokens_user ON tokens(user_id);"

    "CREATE TABLE sessions ("
    "  id @ID@,"
    "  user_id @REF@ NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  hash TEXT NOT NULL UNIQUE,"
    "  csrf TEXT NOT NULL,"
    "  created_at TEXT NOT NULL,"
    "  expires_at TEXT NOT NULL);"

    /* Workflows are data: states and allowed transitions; a transition may
     * require fields (a JSON array of case field names). */
    "CREATE TABLE workflows ("
    "  id @ID@,"
    "  name TEXT NOT NULL UNIQUE,"
    "  description TEXT NOT NULL DEFAULT '',"
    "  initial_state TEXT NOT NULL,"
    "  created_at TEXT NOT NULL);"
    "CREATE TABLE workflow_states ("
    "  workflow_id @REF@ NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,"
    "  name TEXT NOT NULL,"
    "  label TEXT NOT NULL,"
    "  position INTEGER NOT NULL,"
    "  terminal INTEGER NOT NULL DEFAULT 0,"
    "  PRIMARY KEY (workflow_id, name));"
    "CREATE TABLE workflow_transitions ("
    "  workflow_id @REF@ NOT NULL,"
    "  from_state TEXT NOT NULL,"
    "  to_state TEXT NOT NULL,"
    "  name TEXT NOT NULL,"
    "  requires TEXT NOT NULL DEFAULT '[]',"
    "  PRIMARY KEY (workflow_id, from_state, to_state),"
    "  FOREIGN KEY (workflow_id, from_state) REFERENCES workflow_states(workflow_id, name)"
    "    ON DELETE CASCADE,"
    "  FOREIGN KEY (workflow_id, to_state) REFERENCES workflow_states(workflow_id, name)"
    "    ON DELETE CASCADE);"
    "CREATE TABLE case_kinds ("
    "  name TEXT PRIMARY KEY,"
    "  label TEXT NOT NULL,"
    "  workflow_id @REF@ NOT NULL REFERENCES workflows(id));"

    /* The case: the unit of work for every team kind. severity is the
     * rating (none, low, medium, high, critical), from the CVSS vector when
     * one is given; score10 is the score times ten. revision is the ETag. */
    "CREATE TABLE cases ("
    "  id @ID@,"
    "  kind TEXT NOT NULL REFERENCES case_kinds(name),"
    "  title TEXT NOT NULL,"
    "  description TEXT NOT NULL DEFAULT '',"
    "  team_id @REF@ NOT NULL REFERENCES teams(id),"
    "  assignee_id @REF@ REFERENCES users(id),"
    "  state TEXT NOT NULL,"
    "  severity TEXT CHECK (severity IN ('none','low','medium','high','critical')),"
    "  cvss_vector TEXT,"
    "  score10 INTEGER,"
    "  priority TEXT,"
    "  classification TEXT,"
    "  tlp TEXT NOT NULL DEFAULT 'AMBER' CHECK (tlp IN"
    "    ('CLEAR','GREEN','AMBER','AMBER+STRICT','RED')),"
    "  due TEXT,"
    "  due_acknowledge TEXT,"
    "  due_triage TEXT,"
    "  due_remediate TEXT,"
    "  embargo TEXT,"
    "  acknowledged_at TEXT,"
    "  triaged_at TEXT,"
    "  closed_at TEXT,"
    "  resolution TEXT,"
    "  created_by @REF@ REFERENCES users(id),"
    "  created_at TEXT NOT NULL,"
    "  updated_at TEXT NOT NULL,"
    "  revision INTEGER NOT NULL DEFAULT 1);"
    "CREATE INDEX cases_team_state ON cases(team_id, state);"
    "CREATE INDEX cases_updated ON cases(updated_at);"

    "CREATE TABLE case_labels ("
    "  case_id @REF@ NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
    "  label TEXT NOT NULL,"
    "  PRIMARY KEY (case_id, label));"
    "CREATE INDEX case_labels_label ON case_labels(label);"

    /* CVE ids, URLs, advisory ids, ticket numbers elsewhere. */
    "CREATE TABLE case_references ("
    "  case_id @REF@ NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
    "  kind TEXT NOT NULL,"
    "  value TEXT NOT NULL,"
    "  PRIMARY KEY (case_id, kind, value));"
    "CREATE INDEX case_references_value ON case_references(value);"

    /* Who takes part: an internal team or user, an external organisation,
     * or a person known only by name and address. */
    "CREATE TABLE case_participants ("
    "  id @ID@,"
    "  case_id @REF@ NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
    "  team_id @REF@ REFERENCES teams(id),"
    "  user_id @REF@ REFERENCES users(id),"
    "  organisation_id @REF@ REFERENCES organisations(id),"
    "  name TEXT,"
    "  email TEXT,"
    "  role TEXT NOT NULL CHECK (role IN ('internal','reporter','finder','supplier',"
    "    'customer','coordinator','vendor','other')),"
    "  added_at TEXT NOT NULL);"
    "CREATE INDEX case_participants_case ON case_participants(case_id);"
    "CREATE INDEX case_participants_user ON case_participants(user_id);"
    "CREATE INDEX case_participants_team ON case_participants(team_id);"
    "CREATE INDEX case_participants_org ON case_participants(organisation_id);"

    "CREATE TABLE case_links ("
    "  case_id @REF@ NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
    "  target_id @REF@ NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
    "  kind TEXT NOT NULL CHECK (kind IN ('duplicate-of','related','parent-of','child-of')),"
    "  PRIMARY KEY (case_id, target_id, kind));"

    /* The timeline: notes and events (created, changed, transition,
     * escalation, ...); data holds the event's details as JSON. */
    "CREATE TABLE case_events ("
    "  id @ID@,"
    "  case_id @REF@ NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
    "  at TEXT NOT NULL,"
    "  actor_id @REF@ REFERENCES users(id),"
    "  kind TEXT NOT NULL,"
    "  body TEXT NOT NULL DEFAULT '',"
    "  data TEXT NOT NULL DEFAULT '{}');"
    "CREATE INDEX case_events_case ON case_events(case_id, id);"

    "CREATE TABLE case_tasks ("
    "  id @ID@,"
    "  case_id @REF@ NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
    "  title TEXT NOT NULL,"
    "  description TEXT NOT NULL DEFAULT '',"
    "  assignee_id @REF@ REFERENCES users(id),"
    "  due TEXT,"
    "  done INTEGER NOT NULL DEFAULT 0,"
    "  created_at TEXT NOT NULL,"
    "  updated_at TEXT NOT NULL);"
    "CREATE INDEX case_tasks_case ON case_tasks(case_id);"

    /* Service levels: hours to acknowledge, triage and remediate, per team
     * and severity; a team without its own inherits its parent's. */
    "CREATE TABLE service_levels ("
    "  team_id @REF@ NOT NULL REFERENCES teams(id) ON DELETE CASCADE,"
    "  severity TEXT NOT NULL CHECK (severity IN ('none','low','medium','high','critical')),"
    "  acknowledge_hours INTEGER NOT NULL,"
    "  triage_hours INTEGER NOT NULL,"
    "  remediate_hours INTEGER NOT NULL,"
    "  PRIMARY KEY (team_id, severity));"

    /* Contact groups escalations notify: management, PR, legal, CISO. */
    "CREATE TABLE contact_groups ("
    "  id @ID@,"
    "  name TEXT NOT NULL UNIQUE,"
    "  description TEXT NOT NULL DEFAULT '');"
    "CREATE TABLE contact_group_members ("
    "  id @ID@,"
    "  group_id @REF@ NOT NULL REFERENCES contact_groups(id) ON DELETE CASCADE,"
    "  user_id @REF@ REFERENCES users(id) ON DELETE CASCADE,"
    "  name TEXT,"
    "  email TEXT);"

    /* condition: JSON {"severity":[...],"classification":[...],"tlp":[...],
     * "team":id,"overdue":true}; target: a role or a contact group. */
    "CREATE TABLE escalation_rules ("
    "  id @ID@,"
    "  name TEXT NOT NULL UNIQUE,"
    "  team_id @REF@ REFERENCES teams(id) ON DELETE CASCADE,"
    "  condition TEXT NOT NULL,"
    "  target_kind TEXT NOT NULL CHECK (target_kind IN ('role','group')),"
    "  target TEXT NOT NULL,"
    "  enabled INTEGER NOT NULL DEFAULT 1,"
    "  created_at TEXT NOT NULL);"
    "CREATE TABLE escalations ("
    "  id @ID@,"
    "  case_id @REF@ NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
    "  rule_id @REF@ NOT NULL REFERENCES escalation_rules(id) ON DELETE CASCADE,"
    "  at TEXT NOT NULL,"
    "  reason TEXT NOT NULL,"
    "  UNIQUE (case_id, rule_id));"

    /* The audit log: append-only; record seq is chained to record seq-1 by
     * hash = SHA-256(canonical record including prev_hash); audit_head holds
     * the newest (seq, hash), is locked by every append (so appends from
     * several servers serialise) and anchors the tail; see audit.c. */
    "CREATE TABLE audit_log ("
    "  seq @REF@ PRIMARY KEY,"
    "  at TEXT NOT NULL,"
    "  actor_id @REF@,"
    "  actor TEXT NOT NULL,"
    "  action TEXT NOT NULL,"
    "  object_type TEXT NOT NULL,"
    "  object_id TEXT NOT NULL,"
    "  before TEXT,"
    "  after TEXT,"
    "  prev_hash TEXT NOT NULL,"
    "  hash TEXT NOT NULL UNIQUE);"
    "CREATE TABLE audit_head ("
    "  id INTEGER PRIMARY KEY CHECK (id = 1),"
    "  seq @REF@ NOT NULL,"
    "  hash TEXT NOT NULL);"
    "INSERT INTO audit_head (id, seq, hash) VALUES (1, 0,"
    "  '0000000000000000000000000000000000000000000000000000000000000000');";

/* Version 2: every write to a case looks up the newest audit record of
 * that case (its timeline's hash chain continues from there) and `xsirt
 * audit verify` does so for every case: an index makes that one seek. */
static const char schema_v2[] =
    "CREATE INDEX audit_log_object ON audit_log(object_type, object_id, seq);";


/* Version 3: the portfolio (issue 11) — assets owned by teams, nested
 * (a product and its versions) and depending on each other, their SBOMs
 * (every upload kept; the newest is the asset's current one) with the
 * components, organisation settings, and findings: a component of an
 * asset affected by a vulnerability record, with its CycloneDX analysis
 * (state, justification, response, detail), priority, due date and
 * history. A finding is one per (asset, component at its version,
 * vulnerability): the same one in a newer SBOM of the asset is the same
 * finding; one not seen again becomes inactive, never deleted. A new one
 * takes the decision of the newest decided finding on the same component
 * (any version: component_base) and vulnerability of the asset or of a
 * sibling, and says so (carried_from). */
static const char schema_v3[] =
    "CREATE TABLE assets ("
    "  id @ID@,"
    "  name TEXT NOT NULL,"
    "  kind TEXT NOT NULL CHECK (kind IN ('product','service','system','device','component')),"
    "  version TEXT,"
    "  parent_id @REF@ REFERENCES assets(id),"
    "  team_id @REF@ NOT NULL REFERENCES teams(id),"
    "  criticality TEXT NOT NULL DEFAULT 'medium' CHECK (criticality IN"
    "    ('low','medium','high','critical')),"
    "  exposure TEXT NOT NULL DEFAULT 'internal' CHECK (exposure IN"
    "    ('internet','internal','isolated')),"
    "  labels TEXT NOT NULL DEFAULT '[]',"
    "  cpe TEXT,"
    "  purl TEXT,"
    "  vendor TEXT,"
    "  description TEXT NOT NULL DEFAULT '',"
    "  current_sbom_id @REF@,"
    "  created_at TEXT NOT NULL,"
    "  updated_at TEXT NOT NULL,"
    "  revision INTEGER NOT NULL DEFAULT 1);"
    "CREATE INDEX assets_team ON assets(team_id);"
    "CREATE INDEX assets_parent ON assets(parent_id);"

    "CREATE TABLE asset_dependencies ("
    "  asset_id @REF@ NOT NULL REFERENCES assets(id) ON DELETE CASCADE,"
    "  depends_on_id @REF@ NOT NULL REFERENCES assets(id) ON DELETE CASCADE,"
    "  PRIMARY KEY (asset_id, depends_on_id));"
    "CREATE INDEX asset_dependencies_target ON asset_dependencies(depends_on_id);"

    /* sha256 and size identify the uploaded document; the components are
     * what matching and "which assets contain this?" need. */
    "CREATE TABLE sboms ("
    "  id @ID@,"
    "  asset_id @REF@ NOT NULL REFERENCES assets(id) ON DELETE CASCADE,"
    "  format TEXT NOT NULL,"
    "  spec_version TEXT,"
    "  serial TEXT,"
    "  components INTEGER NOT NULL,"
    "  size INTEGER NOT NULL,"
    "  sha256 TEXT NOT NULL,"
    "  uploaded_by @REF@ REFERENCES users(id),"
    "  created_at TEXT NOT NULL);"
    "CREATE INDEX sboms_asset ON sboms(asset_id, id);"

    "CREATE TABLE sbom_components ("
    "  id @ID@,"
    "  sbom_id @REF@ NOT NULL REFERENCES sboms(id) ON DELETE CASCADE,"
    "  name TEXT NOT NULL,"
    "  version TEXT,"
    "  purl TEXT,"
    "  purl_key TEXT,"
    "  name_key TEXT,"
    "  cpe TEXT);"
    "CREATE INDEX sbom_components_sbom ON sbom_components(sbom_id);"
    "CREATE INDEX sbom_components_purl ON sbom_components(purl_key, version);"
    "CREATE INDEX sbom_components_name ON sbom_components(name, version);"
    /* name_key: the package name as a feed sync looks it up (sbom_store.h). */
    "CREATE INDEX sbom_components_name_key ON sbom_components(name_key);"

    "CREATE TABLE findings ("
    "  id @ID@,"
    "  asset_id @REF@ NOT NULL REFERENCES assets(id) ON DELETE CASCADE,"
    "  sbom_id @REF@ REFERENCES sboms(id) ON DELETE SET NULL,"
    "  component_key TEXT NOT NULL,"
    "  component_base TEXT NOT NULL,"
    "  component_name TEXT NOT NULL,"
    "  component_version TEXT,"
    "  component_purl TEXT,"
    "  component_cpe TEXT,"
    "  vuln_id TEXT NOT NULL,"
    "  aliases TEXT NOT NULL DEFAULT '[]',"
    "  summary TEXT,"
    "  cvss_vector TEXT,"
    "  score10 INTEGER,"
    "  kev INTEGER NOT NULL DEFAULT 0,"
    "  epss_ppm INTEGER,"
    "  state TEXT NOT NULL DEFAULT 'in_triage' CHECK (state IN"
    "    ('in_triage','exploitable','resolved','false_positive','not_affected')),"
    "  justification TEXT,"
    "  response TEXT NOT NULL DEFAULT '[]',"
    "  detail TEXT,"
    "  priority TEXT NOT NULL CHECK (priority IN ('P1','P2','P3','P4')),"
    "  due TEXT,"
    "  first_seen TEXT NOT NULL,"
    "  last_seen TEXT NOT NULL,"
    "  active INTEGER NOT NULL DEFAULT 1,"
    "  case_id @REF@ REFERENCES cases(id) ON DELETE SET NULL,"
    "  carried_from @REF@ REFERENCES findings(id) ON DELETE SET NULL,"
    "  revision INTEGER NOT NULL DEFAULT 1,"
    "  UNIQUE (asset_id, component_key, vuln_id));"
    "CREATE INDEX findings_vuln ON findings(vuln_id);"
    "CREATE INDEX findings_base ON findings(component_base, vuln_id);"
    "CREATE INDEX findings_state ON findings(state, priority);"
    "CREATE INDEX findings_case ON findings(case_id);"

    /* The finding's history: created, triage decisions (with author),
     * carried over, deactivated, reactivated, linked to a case. */
    "CREATE TABLE finding_events ("
    "  id @ID@,"
    "  finding_id @REF@ NOT NULL REFERENCES findings(id) ON DELETE CASCADE,"
    "  at TEXT NOT NULL,"
    "  actor_id @REF@ REFERENCES users(id),"
    "  kind TEXT NOT NULL,"
    "  data TEXT NOT NULL DEFAULT '{}');"
    "CREATE INDEX finding_events_finding ON finding_events(finding_id, id);"

    /* Intelligence feeds: where the server's index comes from. etag and
     * last_modified make the next fetch conditional; status and error
     * say how the last sync went (a failed one changes nothing else). */
    "CREATE TABLE feeds ("
    "  id @ID@,"
    "  name TEXT NOT NULL UNIQUE,"
    "  kind TEXT NOT NULL CHECK (kind IN ('osv','cve5','csaf','kev','epss')),"
    "  url TEXT NOT NULL,"
    "  interval_s INTEGER NOT NULL,"
    "  status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new','ok','error')),"
    "  error TEXT,"
    "  etag TEXT,"
    "  last_modified TEXT,"
    "  synced_at TEXT,"
    "  records INTEGER NOT NULL DEFAULT 0,"
    "  created_at TEXT NOT NULL);";

/* Version 4: incremental metrics (metrics.c, docs/metrics.md). One
 * counter per team, day, TLP, metric and key, moved in the same
 * transaction as the change that moves it; metric_months holds the same
 * counters summed per month (day is YYYY-MM there). */
#define SCHEMA_METRIC_TABLE(name)                                                                 \
    "CREATE TABLE " name " ("                                                                     \
    "  team_id @REF@ NOT NULL,"                                                                   \
    "  day TEXT NOT NULL,"                                                                        \
    "  tlp TEXT NOT NULL,"                                                                        \
    "  metric TEXT NOT NULL,"                                                                     \
    "  key TEXT NOT NULL,"                                                                        \
    "  n @REF@ NOT NULL,"                                                                         \
    "  PRIMARY KEY (team_id, day, tlp, metric, key));"                                            \
    "CREATE INDEX " name "_day ON " name "(day, team_id);"

static const char schema_v4[] =
    SCHEMA_METRIC_TABLE("metric_counts")
    SCHEMA_METRIC_TABLE("metric_months")
    /* Readiness self-assessments (readiness.c): each answering is kept,
     * so progress shows over time. */
    "CREATE TABLE readiness_assessments ("
    "  id @ID@,"
    "  team_id @REF@ NOT NULL REFERENCES teams(id) ON DELETE CASCADE,"
    "  created_at TEXT NOT NULL,"
    "  created_by @REF@ REFERENCES users(id));"
    "CREATE INDEX readiness_assessments_team ON readiness_assessments(team_id, id);"
    "CREATE TABLE readiness_answers ("
    "  assessment_id @REF@ NOT NULL REFERENCES readiness_assessments(id) ON DELETE CASCADE,"
    "  question TEXT NOT NULL,"
    "  answer TEXT NOT NULL,"
    "  PRIMARY KEY (assessment_id, question));"
    /* Post-incident reviews (knowledge.c): one per case. follow_ups is a
     * JSON array of strings (each also became a task of the case). */
    "CREATE TABLE case_reviews ("
    "  case_id @REF@ PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,"
    "  what_happened TEXT NOT NULL,"
    "  went_well TEXT NOT NULL DEFAULT '',"
    "  to_change TEXT NOT NULL DEFAULT '',"
    "  follow_ups TEXT NOT NULL DEFAULT '[]',"
    "  created_by @REF@ REFERENCES users(id),"
    "  created_at TEXT NOT NULL,"
    "  updated_at TEXT NOT NULL);"
    /* The knowledge base's search text (closed cases and reviews): FTS5
     * with the trigram tokenizer on SQLite, a pg_trgm index on PostgreSQL;
     * both answer LIKE '%...%' on substrings of Japanese text. */
    "@KNOWLEDGE@";
/* Advisories (issue 12): a draft made from a case, published as CSAF
 * revisions. history holds the published revisions ({"date","number",
 * "summary"}); document the CSAF text of the latest publication, served
 * as it was published by the provider directory (provider.c). A
 * participant's credit asks for their name in the acknowledgments. */
static const char schema_v8[] =
    "ALTER TABLE case_participants ADD COLUMN credit INTEGER NOT NULL DEFAULT 0;"
    "CREATE TABLE advisories ("
    "  id @ID@,"
    "  case_id @REF@ NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
    "  profile TEXT NOT NULL CHECK (profile IN ('csaf_security_advisory','csaf_vex')),"
    "  title TEXT NOT NULL,"
    "  tracking_id TEXT NOT NULL UNIQUE,"
    "  status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','final')),"
    "  content TEXT NOT NULL DEFAULT '{}',"
    "  history TEXT NOT NULL DEFAULT '[]',"
    "  drafts INTEGER NOT NULL DEFAULT 1,"
    "  published INTEGER NOT NULL DEFAULT 0,"
    "  document TEXT,"
    "  tlp TEXT,"
    "  initial_release TEXT,"
    "  published_at TEXT,"
    "  created_at TEXT NOT NULL,"
    "  updated_at TEXT NOT NULL,"
    "  revision INTEGER NOT NULL DEFAULT 1);"
    "CREATE INDEX advisories_case ON advisories(case_id);"
    "CREATE INDEX advisories_published ON advisories(published_at);";
/* Version 5 (4 is the reports' migration): notification rules and the
 * outbox. A rule belongs to a team and says which events go where; the
 * outbox holds one row per message to send, written in the transaction of
 * the event that causes it, so that nothing is lost across a restart and
 * nothing is sent for a change that rolled back. A row is delivered at
 * least once: it is marked delivered after the target accepted it. */
static const char schema_v5[] =
    "CREATE TABLE notification_rules ("
    "  id @ID@,"
    "  team_id @REF@ NOT NULL REFERENCES teams(id),"
    "  events TEXT NOT NULL DEFAULT '[]',"
    "  min_priority TEXT NOT NULL DEFAULT 'P4' CHECK (min_priority IN ('P1','P2','P3','P4')),"
    "  channel TEXT NOT NULL CHECK (channel IN ('email','webhook')),"
    "  target TEXT NOT NULL,"
    "  secret TEXT,"
    "  schedule TEXT NOT NULL DEFAULT 'immediate' CHECK (schedule IN ('immediate','weekly')),"
    "  language TEXT NOT NULL DEFAULT 'en' CHECK (language IN ('en','ja')),"
    "  last_error TEXT,"
    "  last_delivered TEXT,"
    "  created_at TEXT NOT NULL,"
    "  revision INTEGER NOT NULL DEFAULT 1);"
    "CREATE INDEX notification_rules_team ON notification_rules(team_id);"

    "CREATE TABLE outbox ("
    "  id @ID@,"
    "  rule_id @REF@ NOT NULL REFERENCES notification_rules(id) ON DELETE CASCADE,"
    "  event TEXT NOT NULL,"
    "  payload TEXT NOT NULL,"
    "  created_at TEXT NOT NULL,"
    "  attempts INTEGER NOT NULL DEFAULT 0,"
    "  next_at TEXT NOT NULL,"
    "  last_error TEXT,"
    "  delivered_at TEXT);"
    "CREATE INDEX outbox_pending ON outbox(delivered_at, next_at);"
    "CREATE INDEX outbox_rule ON outbox(rule_id, delivered_at);"
    /* Overdue findings and cases are announced once. */
    "ALTER TABLE findings ADD COLUMN overdue_notified INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE cases ADD COLUMN overdue_notified INTEGER NOT NULL DEFAULT 0;";
/* Version 6: disclosure and coordination (issue 12) — the parties outside
 * the organisation a case talks to (reporter, finder, supplier, customer,
 * coordinator, vendor), each with a secret portal link kept only as a
 * hash; the coordination threads (one private thread per party, and the
 * case's shared thread: party_id NULL); reports as they arrived (with the
 * OpenPGP ciphertext when there was one, or the whole mail that could not
 * be read); vendors' statements per vulnerability; the embargo's zone;
 * reminder rows for the notification outbox. */
static const char schema_v6[] =
    "CREATE TABLE case_parties ("
    "  id @ID@,"
    "  case_id @REF@ NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
    "  role TEXT NOT NULL CHECK (role IN"
    "    ('reporter','finder','supplier','customer','coordinator','vendor')),"
    "  name TEXT NOT NULL DEFAULT '',"
    "  email TEXT,"
    "  organisation TEXT NOT NULL DEFAULT '',"
    "  user_id @REF@ REFERENCES users(id),"
    "  time_zone TEXT NOT NULL DEFAULT 'UTC',"
    "  openpgp_key TEXT,"
    "  link_hash TEXT UNIQUE,"
    "  link_expires_at TEXT,"
    "  mail_token TEXT NOT NULL,"
    "  created_at TEXT NOT NULL);"
    "CREATE INDEX case_parties_case ON case_parties(case_id);"

    /* direction: in (from the party), out (from the team). */
    "CREATE TABLE case_messages ("
    "  id @ID@,"
    "  case_id @REF@ NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
    "  party_id @REF@ REFERENCES case_parties(id) ON DELETE CASCADE,"
    "  direction TEXT NOT NULL CHECK (direction IN ('in','out')),"
    "  author_id @REF@ REFERENCES users(id),"
    "  body TEXT NOT NULL,"
    "  encrypted INTEGER NOT NULL DEFAULT 0,"
    "  raw TEXT,"
    "  unreadable INTEGER NOT NULL DEFAULT 0,"
    "  created_at TEXT NOT NULL);"
    "CREATE INDEX case_messages_case ON case_messages(case_id, id);"

    "CREATE TABLE intake_reports ("
    "  id @ID@,"
    "  case_id @REF@ REFERENCES cases(id) ON DELETE SET NULL,"
    "  receipt TEXT NOT NULL UNIQUE,"
    "  channel TEXT NOT NULL CHECK (channel IN ('web','mail')),"
    "  report TEXT NOT NULL,"
    "  ciphertext TEXT,"
    "  created_at TEXT NOT NULL);"

    "CREATE TABLE case_statements ("
    "  case_id @REF@ NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
    "  party_id @REF@ NOT NULL REFERENCES case_parties(id) ON DELETE CASCADE,"
    "  vulnerability TEXT NOT NULL,"
    "  status TEXT CHECK (status IN"
    "    ('affected','not_affected','fixed','under_investigation','unknown')),"
    "  statement TEXT NOT NULL DEFAULT '',"
    "  asked_at TEXT NOT NULL,"
    "  answered_at TEXT,"
    "  PRIMARY KEY (case_id, party_id, vulnerability));"

    "ALTER TABLE cases ADD COLUMN embargo_zone TEXT;"

    "CREATE TABLE embargo_reminders ("
    "  id @ID@,"
    "  case_id @REF@ NOT NULL REFERENCES cases(id) ON DELETE CASCADE,"
    "  event TEXT NOT NULL,"
    "  due_at TEXT NOT NULL,"
    "  sent_at TEXT,"
    "  UNIQUE (case_id, event, due_at));";
/* Issue 15 in the server: a component keeps its vendor and type, which
 * matching by name needs when an SBOM is matched again from the stored
 * rows, and a finding matched by name says so, with the normalised vendor
 * and product and a confidence in percent. */
static const char schema_v7[] =
    "ALTER TABLE sbom_components ADD COLUMN vendor TEXT;"
    "ALTER TABLE sbom_components ADD COLUMN type TEXT;"
    /* vendor_key: the vendor a feed sync looks a CPE or a vendor-named
     * record up by (sbom_store.h). */
    "ALTER TABLE sbom_components ADD COLUMN vendor_key TEXT;"
    "CREATE INDEX sbom_components_vendor_key ON sbom_components(vendor_key);"
    "ALTER TABLE findings ADD COLUMN matched_by TEXT;"
    "ALTER TABLE findings ADD COLUMN name_match TEXT;"
    "ALTER TABLE findings ADD COLUMN confidence_pct INTEGER;";

/* Issue 14: the login and intake throttles count in the database, so that
 * several servers on one database share their limits (store/bucket.c).
 * key is the SHA-256 of what is counted; level in thousandths of an
 * event; times in epoch milliseconds; drained rows are deleted. */
static const char schema_v9[] =
    "CREATE TABLE throttle_buckets ("
    "  key TEXT PRIMARY KEY,"
    "  level BIGINT NOT NULL,"
    "  at_ms BIGINT NOT NULL,"
    "  empty_at_ms BIGINT NOT NULL);"
    "CREATE INDEX throttle_buckets_empty ON throttle_buckets(empty_at_ms);";

/* Version 10: the selective re-match after a feed sync (issue 11). It
 * reads the distinct components under a package's name key with how many
 * current SBOMs hold each: the key's index covers those columns, so that
 * is read from the index alone, already in the order it is grouped by
 * (at a million components, 438 entries a key, each a table row before).
 * It counts the active findings of the changed records by vulnerability,
 * component and fingerprint (a hash of what a finding holds of its
 * advisory, finding.h) from the index on vuln_id alone, which grows those
 * columns; GET /findings?vulnerability= looks findings up by vuln_id. */
static const char schema_v10[] =
    "DROP INDEX sbom_components_name_key;"
    "CREATE INDEX sbom_components_name_key ON sbom_components(name_key, name, version, purl, "
    "cpe, vendor, type, sbom_id);"
    "ALTER TABLE findings ADD COLUMN fingerprint TEXT;"
    "DROP INDEX findings_vuln;"
    "CREATE INDEX findings_vuln ON findings(vuln_id, active, component_key, fingerprint);";

/* Issue 12: accounts of kind external, for the parties of a case (reporter,
 * vendor, ...): they log in like anyone, and reach only the portal view of
 * the parties linked to them (case_parties.user_id). */
static const char schema_v11[] =
    "ALTER TABLE users ADD COLUMN kind TEXT NOT NULL DEFAULT 'internal'"
    "  CHECK (kind IN ('internal','external'));"
    "CREATE INDEX case_parties_user ON case_parties(user_id);";

/* Version 12: the organisation's OpenPGP signatures and outgoing mail
 * (issue 12). An advisory keeps the detached signature of its published
 * document beside it, so the provider serves both without signing on a
 * request. Mail to external parties goes through the outbox: such a row
 * belongs to no notification rule (rule_id NULL; SQLite cannot drop a
 * NOT NULL in place, so the table is rebuilt there with its rows). */
static const char schema_v12[] =
    "ALTER TABLE advisories ADD COLUMN signature TEXT;"
    "@OUTBOX_RULE_NULL@"
    "CREATE INDEX IF NOT EXISTS outbox_pending ON outbox(delivered_at, next_at);"
    "CREATE INDEX IF NOT EXISTS outbox_rule ON outbox(rule_id, delivered_at);";

/* Issue 16: the findings' counters (metrics.c). closed_at is when a
 * finding stopped being open (inactive, or triaged resolved, false
 * positive or not affected); for the findings closed before, the last
 * time they were seen stands in. SCHEMA_METRICS_REBUILD: the migration
 * after which the counters are rebuilt once (findings had none) and the
 * knowledge base's search text is written again (now NFKC folded). */
static const char schema_v13[] =
    "ALTER TABLE findings ADD COLUMN closed_at TEXT;"
    "UPDATE findings SET closed_at = last_seen WHERE active = 0 OR state NOT IN ('in_triage','exploitable');"
    /* Deleting an asset deletes its findings, and each deleted finding
     * clears carried_from where other findings name it: without an index
     * that is a scan of every finding per finding (15 s for an asset of
     * 1,000 findings among 20,000). */
    "CREATE INDEX findings_carried ON findings(carried_from);";
#define SCHEMA_METRICS_REBUILD 13

/* Issue 13: each user's language and time zone, null until they choose
 * (the UI then follows the browser's Accept-Language and zone). */
static const char schema_v14[] =
    "ALTER TABLE users ADD COLUMN language TEXT CHECK (language IN ('en','ja'));"
    "ALTER TABLE users ADD COLUMN timezone TEXT;";

/* A party's language (mail, reminders), null when nobody said: mail then
 * follows the party's time zone (Asia/Tokyo: Japanese), the old rule. */
static const char schema_v15[] =
    "ALTER TABLE case_parties ADD COLUMN language TEXT CHECK (language IN ('en','ja'));";

/* Issue 16: contact groups belong to a team (null: the organisation's,
 * the default escalation targets), carry the date their list was last
 * reviewed, and their members a role, a phone and the part of the
 * organisation they stand for. */
static const char schema_v16[] =
    "ALTER TABLE contact_groups ADD COLUMN team_id @REF@ REFERENCES teams(id) ON DELETE CASCADE;"
    "ALTER TABLE contact_groups ADD COLUMN reviewed_at TEXT;"
    "CREATE INDEX contact_groups_team ON contact_groups(team_id);"
    "ALTER TABLE contact_group_members ADD COLUMN role TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE contact_group_members ADD COLUMN phone TEXT;"
    "ALTER TABLE contact_group_members ADD COLUMN organisation TEXT NOT NULL DEFAULT 'other' CHECK "
    "(organisation IN ('management','pr','legal','it','external','other'));"
    "CREATE INDEX contact_group_members_group ON contact_group_members(group_id);";

/* Escalation rules can be changed (PATCH with If-Match) and so carry a
 * revision like every other changeable object. */
static const char schema_v17[] =
    "ALTER TABLE escalation_rules ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;";

/* A feed sync writes what it must match again here before it puts the new
 * index in place, and deletes the row once the findings follow that index:
 * a server killed in between finishes the re-match when it starts again
 * (without it, the next sync compared against the new index, saw nothing
 * changed, and the findings stayed those of the old one). */
static const char schema_v18[] =
    "CREATE TABLE rematch_pending ("
    "  id @ID@,"
    "  plan TEXT NOT NULL,"
    "  created_at TEXT NOT NULL);";

/* Version 19: a finding cheaper to store (issue 11's upload: 9,177 new
 * findings in one request, docs/performance.md). SQLite 3.40 evaluates a
 * CHECK (x IN (...)) with an ephemeral table it builds and clears for every
 * row: about 21,000 instructions a new finding for state and priority, 660
 * as comparisons; it cannot change a CHECK in place, so the table is
 * rebuilt the documented way (a new table, the rows copied with their ids,
 * the old one dropped, the new one renamed, the indexes made again; the
 * runner turns foreign keys off around it, so that dropping the old table
 * does not cascade to finding_events, and checks them before it commits).
 * PostgreSQL evaluates an IN list without a table: its CHECKs stay. On
 * both, an index leaves out what no query looks up, so that a new finding
 * (in triage, in no case, carried from nothing) is entered in three
 * b-trees instead of six: findings_case and findings_carried hold the
 * findings that have one (queries ask "= ?", which implies IS NOT NULL;
 * the foreign keys' SET NULL likewise), findings_base the decided findings
 * (the carry-over's lookups, its only readers, ask state <> 'in_triage'),
 * and sbom_components_vendor_key the components that have a vendor key. */
static const char schema_v19[] =
    "@FINDINGS_REBUILT@"
    "DROP INDEX IF EXISTS findings_base;"
    "DROP INDEX IF EXISTS findings_case;"
    "DROP INDEX IF EXISTS findings_carried;"
    "CREATE INDEX findings_base ON findings(component_base, vuln_id) WHERE state <> 'in_triage';"
    "CREATE INDEX findings_case ON findings(case_id) WHERE case_id IS NOT NULL;"
    "CREATE INDEX findings_carried ON findings(carried_from) WHERE carried_from IS NOT NULL;"
    "DROP INDEX sbom_components_vendor_key;"
    "CREATE INDEX sbom_components_vendor_key ON sbom_components(vendor_key) "
    "WHERE vendor_key IS NOT NULL;";
#define SCHEMA_FINDINGS_REBUILT 19

/* Version 20: the advisory's text once per vulnerability (issue 11). A
 * finding held its record's aliases, summary and CVSS vector, the same
 * text in every finding of the record: a feed sync that changed a summary
 * rewrote all of them, and an upload stored it 9,177 times. The text now
 * lives in one row per vulnerability id, written when a scan gives it
 * (xsirt_finding_vulnerabilities_put) and joined by the readers; a
 * finding keeps what is its own or what its filters, counters and
 * priority need (score10, kev, epss_ppm). The rows come from each
 * vulnerability's newest active finding (the text its last match gave),
 * else its newest one. The fingerprints hashed that text too: the next
 * match of a record finds them different and writes its findings once. */
static const char schema_v20[] =
    "CREATE TABLE vulnerabilities ("
    "  id TEXT PRIMARY KEY,"
    "  aliases TEXT NOT NULL DEFAULT '[]',"
    "  summary TEXT,"
    "  cvss_vector TEXT);"
    "INSERT INTO vulnerabilities (id, aliases, summary, cvss_vector) "
    "SELECT f.vuln_id, f.aliases, f.summary, f.cvss_vector FROM findings f JOIN "
    "(SELECT COALESCE(MAX(CASE WHEN active = 1 THEN id END), MAX(id)) AS id FROM findings "
    "GROUP BY vuln_id) m ON m.id = f.id;"
    "ALTER TABLE findings DROP COLUMN aliases;"
    "ALTER TABLE findings DROP COLUMN summary;"
    "ALTER TABLE findings DROP COLUMN cvss_vector;";

/* Version 21: a finding's creation told by the finding (issue 11). An
 * upload stored a "created" event per new finding (9,177 rows, a tenth of
 * its instructions) saying what the finding already holds: when it was
 * first seen, and in which SBOM, kept now in first_sbom_id (no foreign
 * key: like the event's data, it stays when that SBOM is deleted). The
 * history shows a finding with first_sbom_id its "created" event as
 * event 1 (finding.c), so stored events are numbered from 2 on: SQLite's
 * AUTOINCREMENT counter is set if it has none, PostgreSQL's identity
 * draws one number. Older findings keep their stored "created" event
 * and have no first_sbom_id: neither shows two. */
static const char schema_v21[] =
    "ALTER TABLE findings ADD COLUMN first_sbom_id @REF@;"
    "@EVENTS_FROM_2@";

/* Version 22: whose index a journalled re-match follows. Servers sharing
 * a database each keep their own index (server/feeds.c): a re-match one
 * left unfinished is finished by that server (or one sharing its data
 * directory), never against another's index. NULL: written before, by
 * the only server there was. */
static const char schema_v22[] =
    "ALTER TABLE rematch_pending ADD COLUMN server TEXT;";

/* Version 23: an SBOM's components in three b-trees instead of five
 * (issue 11's upload). "Which assets contain this?" looked components up
 * by purl key and by name in two indexes of their own, each entry placed
 * at random in a tree as large as the portfolio: with the covering name
 * key index, three random inserts per component, and as the portfolio
 * grew, the most expensive part of an upload. Both questions now go
 * through the name key index (a purl's key is the name key of the same
 * text; a name's is its own name key), which the re-match needs anyway.
 * One case it misses: a component whose name's key is not the name key
 * it is filed under (a purl whose last segment differs from the name,
 * "Apache Log4j Core" as pkg:maven/.../log4j-core). name_alt holds that
 * name's key, in a partial index of those components alone; existing
 * rows get it from xsirt_sbom_store_name_alt_fill. Components found by
 * key meet their asset through its current SBOM: an index of those (one
 * entry an asset) instead of a scan of the assets for each. */
static const char schema_v23[] =
    "DROP INDEX sbom_components_purl;"
    "DROP INDEX sbom_components_name;"
    "ALTER TABLE sbom_components ADD COLUMN name_alt TEXT;"
    "CREATE INDEX sbom_components_name_alt ON sbom_components(name_alt, name, version) "
    "WHERE name_alt IS NOT NULL;"
    "CREATE INDEX assets_current_sbom ON assets(current_sbom_id);";
#define SCHEMA_COMPONENT_NAMES 23

/* Version 24: an upload's components enter the name key index, and its
 * findings the index by vulnerability, after the upload, not during it
 * (issue 11's upload). Of the trees an upload's rows enter, these two put
 * each entry at a place of its own across the portfolio (the others take
 * the upload's rows at their end), and the name key index covers the
 * row: with 10,000 components, 40 of the 100 ms and two thirds of the
 * commit. Rows now go in with the flag 0, in a partial index of those
 * alone (appended: ids grow); the deferred index holds the rows with 1.
 * store/deferred_index.c sets the flags in batches, on a thread of the
 * server soon after the upload, and at once before anything reads those
 * indexes. Existing rows are indexed (1). */
static const char schema_v24[] =
    "ALTER TABLE sbom_components ADD COLUMN key_indexed INTEGER NOT NULL DEFAULT 1;"
    "DROP INDEX sbom_components_name_key;"
    "CREATE INDEX sbom_components_name_key ON sbom_components(name_key, name, version, purl, "
    "cpe, vendor, type, sbom_id) WHERE key_indexed = 1;"
    "CREATE INDEX sbom_components_unindexed ON sbom_components(id) WHERE key_indexed = 0;"
    "ALTER TABLE findings ADD COLUMN vuln_indexed INTEGER NOT NULL DEFAULT 1;"
    "DROP INDEX findings_vuln;"
    "CREATE INDEX findings_vuln ON findings(vuln_id, active, component_key, fingerprint) "
    "WHERE vuln_indexed = 1;"
    "CREATE INDEX findings_unindexed ON findings(id) WHERE vuln_indexed = 0;";

static const schema_migration schema_migrations[] = {
    {1, "case management", schema_v1},
    {2, "audit records by object", schema_v2},
    {3, "portfolio", schema_v3},
    {4, "metrics", schema_v4},
    {5, "notifications", schema_v5},
    {6, "disclosure and coordination", schema_v6},
    {7, "matching by name in the portfolio", schema_v7},
    {8, "advisories", schema_v8},
    {9, "shared throttle", schema_v9},
    {10, "selective re-match", schema_v10},
    {11, "external accounts", schema_v11},
    {12, "openpgp signatures and outgoing mail", schema_v12},
    {13, "finding metrics", schema_v13},
    {14, "user profile", schema_v14},
    {15, "party language", schema_v15},
    {16, "contact groups", schema_v16},
    {17, "escalation rule revisions", schema_v17},
    {18, "pending re-matches", schema_v18},
    {19, "cheaper findings", schema_v19},
    {20, "vulnerabilities", schema_v20},
    {21, "creation told by the finding", schema_v21},
    {22, "re-matches by server", schema_v22},
    {23, "components in fewer indexes", schema_v23},
    {24, "indexes an upload leaves for later", schema_v24},
};

#define SCHEMA_COUNT (sizeof schema_migrations / sizeof schema_migrations[0])

int xsirt_schema_latest(void)
{
    return schema_migrations[SCHEMA_COUNT - 1].version;
}

/* The findings' columns as of version 19 (its SQLite rebuild copies them). */
#define SCHEMA_FINDINGS_V19                                                                   \
    "id, asset_id, sbom_id, component_key, component_base, component_name, "               \
    "component_version, component_purl, component_cpe, vuln_id, aliases, summary, "        \
    "cvss_vector, score10, kev, epss_ppm, state, justification, response, detail, "        \
    "priority, due, first_seen, last_seen, active, case_id, carried_from, revision, "      \
    "overdue_notified, matched_by, name_match, confidence_pct, fingerprint, closed_at"

/* Substitutes the dialect tokens for db's backend. */
static int schema_render(xsirt_buf *out, const char *sql, enum xsirt_db_backend backend)
{
    static const struct {
        const char *token, *sqlite, *postgres;
    } tokens[] = {
        {"@ID@", "INTEGER PRIMARY KEY AUTOINCREMENT",
         "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"},
        {"@REF@", "INTEGER", "BIGINT"},
        {"@KNOWLEDGE@",
         "CREATE VIRTUAL TABLE knowledge_search USING fts5(case_id UNINDEXED, text, tokenize='trigram');",
         "CREATE EXTENSION IF NOT EXISTS pg_trgm;"
         "CREATE TABLE knowledge_search (case_id BIGINT PRIMARY KEY, text TEXT NOT NULL);"
         "CREATE INDEX knowledge_search_trgm ON knowledge_search USING gin (text gin_trgm_ops);"},
        {"@OUTBOX_RULE_NULL@",
         "CREATE TABLE outbox_rebuilt ("
         "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
         "  rule_id INTEGER REFERENCES notification_rules(id) ON DELETE CASCADE,"
         "  event TEXT NOT NULL, payload TEXT NOT NULL, created_at TEXT NOT NULL,"
         "  attempts INTEGER NOT NULL DEFAULT 0, next_at TEXT NOT NULL, last_error TEXT,"
         "  delivered_at TEXT);"
         "INSERT INTO outbox_rebuilt (id, rule_id, event, payload, created_at, attempts, next_at, "
         "last_error, delivered_at) SELECT id, rule_id, event, payload, created_at, attempts, "
         "next_at, last_error, delivered_at FROM outbox;"
         "DROP TABLE outbox;"
         "ALTER TABLE outbox_rebuilt RENAME TO outbox;",
         "ALTER TABLE outbox ALTER COLUMN rule_id DROP NOT NULL;"},
        {"@EVENTS_FROM_2@",
         "INSERT INTO sqlite_sequence (name, seq) SELECT 'finding_events', 1 WHERE NOT EXISTS "
         "(SELECT 1 FROM sqlite_sequence WHERE name = 'finding_events');",
         "SELECT nextval(pg_get_serial_sequence('finding_events', 'id'));"},
        {"@FINDINGS_REBUILT@",
         "CREATE TABLE findings_rebuilt ("
         "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
         "  asset_id INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,"
         "  sbom_id INTEGER REFERENCES sboms(id) ON DELETE SET NULL,"
         "  component_key TEXT NOT NULL, component_base TEXT NOT NULL,"
         "  component_name TEXT NOT NULL, component_version TEXT, component_purl TEXT,"
         "  component_cpe TEXT, vuln_id TEXT NOT NULL, aliases TEXT NOT NULL DEFAULT '[]',"
         "  summary TEXT, cvss_vector TEXT, score10 INTEGER, kev INTEGER NOT NULL DEFAULT 0,"
         "  epss_ppm INTEGER,"
         "  state TEXT NOT NULL DEFAULT 'in_triage' CHECK (state = 'in_triage' OR "
         "state = 'exploitable' OR state = 'resolved' OR state = 'false_positive' OR "
         "state = 'not_affected'),"
         "  justification TEXT, response TEXT NOT NULL DEFAULT '[]', detail TEXT,"
         "  priority TEXT NOT NULL CHECK (priority = 'P1' OR priority = 'P2' OR "
         "priority = 'P3' OR priority = 'P4'),"
         "  due TEXT, first_seen TEXT NOT NULL, last_seen TEXT NOT NULL,"
         "  active INTEGER NOT NULL DEFAULT 1,"
         "  case_id INTEGER REFERENCES cases(id) ON DELETE SET NULL,"
         "  carried_from INTEGER REFERENCES findings(id) ON DELETE SET NULL,"
         "  revision INTEGER NOT NULL DEFAULT 1,"
         "  overdue_notified INTEGER NOT NULL DEFAULT 0,"
         "  matched_by TEXT, name_match TEXT, confidence_pct INTEGER, fingerprint TEXT,"
         "  closed_at TEXT,"
         "  UNIQUE (asset_id, component_key, vuln_id));"
         "INSERT INTO findings_rebuilt (" SCHEMA_FINDINGS_V19 ") SELECT " SCHEMA_FINDINGS_V19
         " FROM findings;"
         /* AUTOINCREMENT: ids of deleted findings are not given again. */
         "DELETE FROM sqlite_sequence WHERE name = 'findings_rebuilt';"
         "INSERT INTO sqlite_sequence (name, seq) SELECT 'findings_rebuilt', seq FROM "
         "sqlite_sequence WHERE name = 'findings';"
         "DROP TABLE findings;"
         "ALTER TABLE findings_rebuilt RENAME TO findings;"
         "CREATE INDEX findings_vuln ON findings(vuln_id, active, component_key, fingerprint);"
         "CREATE INDEX findings_state ON findings(state, priority);",
         ""},
    };
    const char *p = sql;

    while (*p != '\0') {
        const char *at = strchr(p, '@');
        size_t i;

        if (at == NULL)
            return xsirt_buf_puts(out, p);
        if (xsirt_buf_append(out, p, (size_t)(at - p)) != 0)
            return XSIRT_ELIMIT;
        for (i = 0; i < sizeof tokens / sizeof tokens[0]; i++) {
            size_t n = strlen(tokens[i].token);
            if (strncmp(at, tokens[i].token, n) == 0) {
                if (xsirt_buf_puts(out, backend == XSIRT_DB_SQLITE ? tokens[i].sqlite
                                                                   : tokens[i].postgres) != 0)
                    return XSIRT_ELIMIT;
                p = at + n;
                break;
            }
        }
        if (i == sizeof tokens / sizeof tokens[0]) {
            if (xsirt_buf_putc(out, '@') != 0)
                return XSIRT_ELIMIT;
            p = at + 1;
        }
    }
    return 0;
}

static int schema_apply(xsirt_db *db, const schema_migration *m, xsirt_error *err)
{
    xsirt_buf sql;
    xsirt_db_value params[2];
    int rc;

    xsirt_buf_init(&sql, 1024u * 1024u);
    if (schema_render(&sql, m->sql, xsirt_db_backend_of(db)) != 0) {
        xsirt_buf_free(&sql);
        return xsirt_error_set(err, XSIRT_EINTERNAL, "migration %d too large", m->version);
    }
    rc = xsirt_db_exec_script(db, xsirt_buf_cstr(&sql), err);
    xsirt_buf_free(&sql);
    if (rc != 0) {
        xsirt_error_prefix(err, "migration %d (%s): ", m->version, m->name);
        return rc;
    }
    params[0] = XSIRT_DB_INTV(m->version);
    params[1] = XSIRT_DB_TEXTV(m->name);
    return xsirt_db_exec(db, "INSERT INTO schema_migrations (version, name) VALUES (?, ?)",
                         params, 2, NULL, err);
}

int xsirt_schema_migrate(int *version, xsirt_db *db, xsirt_error *err)
{
    return xsirt_schema_migrate_to(version, db, xsirt_schema_latest(), err);
}

static void schema_foreign_keys_on(xsirt_db *db, bool sqlite)
{
    xsirt_error ignored;

    if (sqlite)
        xsirt_db_exec_script(db, "PRAGMA foreign_keys=ON", &ignored);
}

/* The rebuilt tables' foreign keys, both ways, before the commit. */
static int schema_foreign_keys_check(xsirt_db *db, xsirt_error *err)
{
    static const char *const tables[] = {"findings", "finding_events"};
    int rc = 0;

    for (size_t i = 0; rc == 0 && i < sizeof tables / sizeof tables[0]; i++) {
        char sql[64];
        xsirt_db_rows *rows = NULL;
        snprintf(sql, sizeof sql, "PRAGMA foreign_key_check(%s)", tables[i]);
        rc = xsirt_db_query(&rows, db, sql, NULL, 0, err);
        if (rc == 0 && xsirt_db_rows_count(rows) > 0)
            rc = xsirt_error_set(err, XSIRT_EINTERNAL, "migration: %zu rows of %s refer to "
                                 "nothing", xsirt_db_rows_count(rows), tables[i]);
        xsirt_db_rows_free(rows);
    }
    return rc;
}

int xsirt_schema_migrate_to(int *version, xsirt_db *db, int target, xsirt_error *err)
{
    bool sqlite = xsirt_db_backend_of(db) == XSIRT_DB_SQLITE, rebuilt = false;
    int64_t current = 0;
    int rc;

    if (target < 1 || target > xsirt_schema_latest())
        return xsirt_error_set(err, XSIRT_EINVAL, "no schema version %d (1 to %d)", target,
                               xsirt_schema_latest());

    /* A migration that rebuilds a table (SQLite cannot change a column's
     * constraint in place) drops the old one: with foreign keys on, that
     * deletes the rows referring to it (ON DELETE CASCADE). SQLite's
     * documented procedure: foreign keys off outside the transaction,
     * checked before it commits, on again after. */
    if (sqlite && (rc = xsirt_db_exec_script(db, "PRAGMA foreign_keys=OFF", err)) != 0)
        return rc;
    if ((rc = xsirt_db_begin(db, err)) != 0) {
        schema_foreign_keys_on(db, sqlite);
        return rc;
    }
    /* Servers sharing one PostgreSQL database migrate one at a time. */
    if (xsirt_db_backend_of(db) == XSIRT_DB_POSTGRES)
        rc = xsirt_db_exec(db, "SELECT pg_advisory_xact_lock(7073657)", NULL, 0, NULL, err);
    if (rc == 0)
        rc = xsirt_db_exec(db, "CREATE TABLE IF NOT EXISTS schema_migrations ("
                               "version INTEGER PRIMARY KEY, name TEXT NOT NULL)",
                           NULL, 0, NULL, err);
    if (rc == 0)
        rc = xsirt_db_query_int(&current, db,
                                "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
                                NULL, 0, err);
    if (rc == 0 && current > xsirt_schema_latest())
        rc = xsirt_error_set(err, XSIRT_EUNSUPPORTED,
                             "the database is at schema version %lld, newer than this "
                             "xsirt knows (%d): upgrade xsirt",
                             (long long)current, xsirt_schema_latest());
    for (size_t i = 0; rc == 0 && i < SCHEMA_COUNT; i++) {
        if (schema_migrations[i].version > current && schema_migrations[i].version <= target) {
            bool rebuild = current > 0 && schema_migrations[i].version == SCHEMA_METRICS_REBUILD;
            rc = schema_apply(db, &schema_migrations[i], err);
            if (rc == 0 && rebuild)
                rc = xsirt_metrics_rebuild(db, err);
            if (rc == 0 && rebuild)
                rc = xsirt_knowledge_reindex(db, err);
            if (rc == 0 && schema_migrations[i].version == SCHEMA_COMPONENT_NAMES)
                rc = xsirt_sbom_store_name_alt_fill(db, err);
            if (rc == 0)
                current = schema_migrations[i].version;
            rebuilt = rebuilt || schema_migrations[i].version == SCHEMA_FINDINGS_REBUILT;
        }
    }
    if (rc == 0 && sqlite && rebuilt)
        rc = schema_foreign_keys_check(db, err);
    if (rc != 0) {
        xsirt_db_rollback(db);
        schema_foreign_keys_on(db, sqlite);
        return rc;
    }
    rc = xsirt_db_commit(db, err);
    schema_foreign_keys_on(db, sqlite);
    if (rc != 0)
        return rc;
    if (version != NULL)
        *version = (int)current;
    return 0;
}
