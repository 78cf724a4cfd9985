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
  return { body: parsed as T, etag: r.headers.get('ETag') };
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
