// api.ts — the UI's only way to the server: the public /api/v1, with the
// session cookie (sent by the browser) and the CSRF token the login gave,
// which every change must carry as X-CSRF-Token.

export interface ApiError {
  status: number;
  code: string;
  message: string;
  field?: string;
}

let csrf: string | null = null;

export function setCsrf(token: string | null): void {
  csrf = token;
}

export class HttpError extends Error {
  constructor(public readonly error: ApiError) {
    super(error.message);
  }
}

export interface Answer<T> {
  body: T;
  etag: string | null;
}

export async function call<T>(method: string, path: string, body?: unknown,
                              headers: Record<string, string> = {}): Promise<Answer<T>> {
  const h: Record<string, string> = { Accept: 'application/json', ...headers };
  if (body !== undefined) h['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrf) h['X-CSRF-Token'] = csrf;
  const r = await fetch('/api/v1' + path, {
    method,
    headers: h,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
  });
  return { body: await answer<T>(r), etag: r.headers.get('ETag') };
}

// The JSON of an answer, or the API's error as an HttpError.
async function answer<T>(r: Response): Promise<T> {
  let parsed: any = null;
  try {
    parsed = await r.json();
  } catch {
    parsed = null;
  }
  if (!r.ok) {
    const e = parsed?.error ?? {};
    throw new HttpError({ status: r.status, code: e.code ?? 'network', message: e.message ?? '',
                          field: e.field ?? undefined });
  }
  return parsed as T;
}

export async function get<T>(path: string): Promise<T> {
  return (await call<T>('GET', path)).body;
}

export async function post<T>(path: string, body: unknown): Promise<T> {
  return (await call<T>('POST', path, body)).body;
}

export interface List<T> {
  items: T[];
  next: number | string | null;
}

export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? '?' + s : '';
}

// ---- the shapes the UI reads (docs/openapi.json) ----

export interface Principal {
  id: number;
  username: string;
  admin: boolean;
  auditor: boolean;
  organisation: number | null;
  // external: a party's account (a vendor's, a coordinator's), which may
  // reach only its portal.
  kind: 'internal' | 'external';
}

export interface Session {
  user: Principal;
  csrf: string | null;
}

export interface Sla {
  acknowledge: string | null;
  triage: string | null;
  remediate: string | null;
  acknowledged: string | null;
  triaged: string | null;
  closed: string | null;
  overdue: boolean;
}

export interface Participant {
  id: number;
  role: string;
  team: number | null;
  user: number | null;
  organisation: number | null;
  name: string | null;
  email: string | null;
}

export interface CaseLink {
  target: number;
  kind: string;
}

export interface Case {
  id: number;
  title: string;
  description: string;
  kind: string;
  team: number;
  state: string;
  severity: string | null;
  score: number | null;
  cvss: string | null;
  priority: string | null;
  classification: string | null;
  tlp: string;
  assignee: number | null;
  labels: string[];
  due: string | null;
  embargo: string | null;
  resolution: string | null;
  participants: Participant[];
  links: CaseLink[];
  sla: Sla;
  findings?: number[];
  assets?: number[];
  created: string;
  updated: string;
  revision: number;
}

export interface Team {
  id: number;
  name: string;
  kind: string;
  parent: number | null;
  description: string;
}

export interface Member {
  user: number;
  username: string;
  role: string;
}

export interface User {
  id: number;
  username: string;
  display_name: string;
  email: string | null;
  role: string;
  organisation: number | null;
  disabled: boolean;
}

export interface Token {
  id: number;
  user: number;
  name: string;
  prefix: string;
  created: string;
  expires: string | null;
  revoked: string | null;
  last_used: string | null;
}

export interface Workflow {
  id: number;
  name: string;
  description: string;
  initial: string;
  states: { name: string; label: string; terminal: boolean }[];
  transitions: { from: string; to: string; name: string; requires: string[] }[];
  kinds: string[];
}

export interface TimelineEvent {
  id: number;
  at: string;
  actor: number | null;
  actor_name: string | null;
  kind: string;
  body: string;
  data: Record<string, unknown>;
}

export interface Task {
  id: number;
  title: string;
  description: string;
  assignee: number | null;
  due: string | null;
  done: boolean | string;
}

export interface ServiceLevel {
  severity: string;
  acknowledge_hours: number;
  triage_hours: number;
  remediate_hours: number;
}

export interface EscalationRule {
  id: number;
  name: string;
  team: number | null;
  condition: { severity?: string[]; classification?: string[]; tlp?: string[]; kind?: string[];
               overdue?: boolean };
  target_kind: string;
  target: string;
  enabled: boolean;
  revision: number;
}

export interface Escalation {
  rule: number;
  at: string;
  reason: string;
  target_kind: string;
  target: string;
}

export interface Organisation {
  id: number;
  name: string;
  kind: string;
}

export interface AuditRecord {
  seq: number;
  at: string;
  actor: string;
  action: string;
  object_type: string;
  object_id: string;
  before: unknown;
  after: unknown;
  hash: string;
  redacted?: boolean;   /* an auditor's view of a case they may not see */
  corrupt?: boolean;    /* a damaged record: only seq and problem are given */
  problem?: string;
}

export interface NewToken extends Token {
  token: string;
}

// ---- the portfolio (docs/api.md#portfolio) ----

export interface Asset {
  id: number;
  name: string;
  kind: string;
  version: string | null;
  parent: number | null;
  team: number;
  criticality: string;
  exposure: string;
  labels: string[];
  identifiers: { cpe: string | null; purl: string | null };
  vendor: string | null;
  description: string;
  depends_on: number[];
  sbom: number | null;
  created: string;
  updated: string;
  revision: number;
}

export interface Sbom {
  id: number;
  format: string;
  spec_version: string | null;
  serial: string | null;
  components: number;
  size: number;
  sha256: string;
  created: string;
  current: boolean;
}

export interface SbomUpload {
  id: number;
  asset: number;
  format: string;
  components: number;
  findings: number;
  sha256: string;
}

export interface Component {
  id: number;
  name: string;
  version: string | null;
  purl: string | null;
  cpe: string | null;
  sbom: number;
}

export interface Impact {
  asset: number;
  dependents: { id: number; name: string; kind: string; version: string | null; team: number; exposure: string;
                criticality: string; depth: number; open_findings: number }[];
  findings: { id: number; vulnerability: string; component: string; version: string | null; priority: string;
              state: string; due: string | null }[];
}

export interface FindingEvent {
  id: number;
  at: string;
  actor: number | null;
  actor_name: string | null;
  kind: string;
  data: Record<string, unknown>;
}

export interface Finding {
  id: number;
  asset: number;
  sbom: number | null;
  component: { name: string; version: string | null; purl: string | null; cpe: string | null };
  vulnerability: { id: string; aliases: string[]; summary: string | null;
                   cvss: { score: number; vector: string | null } | null; kev: boolean; epss: number | null };
  state: string;
  justification: string | null;
  response: string[];
  detail: string | null;
  priority: string;
  due: string | null;
  overdue: boolean;
  first_seen: string;
  last_seen: string;
  active: boolean;
  case: number | null;
  carried_over: { finding: number; asset: number } | null;
  revision: number;
  history?: FindingEvent[];
}

export interface Feed {
  id: number;
  name: string;
  kind: string;
  url: string;
  interval: number;
  status: string;
  error: string | null;
  synced: string | null;
  records: number;
}

export interface FeedSync {
  feed: number;
  status: string;
  error?: string;
  records: number;
  added: number;
  changed: number;
  withdrawn: number;
  assets?: number;
  duration_ms: number;
}

export interface PriorityRule {
  priority: string;
  kev?: boolean;
  min_cvss?: number;
  min_epss?: number;
  criticality?: string[];
  exposure?: string[];
}

export interface Settings {
  smtp_url: { set: boolean };
  smtp_from: string | null;
  priority_rule: { rules: PriorityRule[]; default: string };
  feed_defaults: { interval: number; timeout: number; max_bytes: number };
}

// A raw document (an SBOM) sent as the body with its own type; the
// server recognises the format by content and answers JSON like any call.
export async function upload<T>(path: string, file: Blob): Promise<T> {
  const h: Record<string, string> = { Accept: 'application/json',
                                      'Content-Type': file.type || 'application/octet-stream' };
  if (csrf) h['X-CSRF-Token'] = csrf;
  return answer<T>(await fetch('/api/v1' + path, { method: 'POST', headers: h, body: file,
                                                   credentials: 'same-origin' }));
}
