// disclosure.ts — the shapes of the disclosure API the disclosure screens
// read (docs/openapi.json: intake, parties, threads, statements,
// advisories and their validation), and the few helpers they share. Kept
// apart from api.ts so that the screens of other areas change that file
// without touching these.
import { call, get, type List } from './api';
import { language } from './i18n';
import './disclosure.css';

export interface Reporter {
  name: string;
  email: string | null;
  organisation: string | null;
}

export interface IntakeItem {
  id: number;
  receipt: string;
  channel: 'web' | 'mail';
  received: string;
  case: number;
  title: string;
  state: string;
  tlp: string;
  reporter: Reporter | null;
}

export interface Party {
  id: number;
  case: number;
  role: string;
  name: string;
  email: string | null;
  organisation: string | null;
  time_zone: string | null;
  language: 'en' | 'ja' | null;
  mail_tag: string;
  link_expires: string;
  created: string;
  portal_url?: string;
  // The external account linked to the party (a user id); on the answer to
  // an invitation with "account": true, the account itself, its password
  // shown that once (null when an existing account was linked).
  account?: number | null | { id: number; username: string; password: string | null };
}

export interface Message {
  id: number;
  party: number | null;
  direction: 'in' | 'out';
  author: number | null;
  body: string;
  encrypted: boolean | number;
  unreadable: boolean | number;
  created: string;
}

export interface Statement {
  party: number;
  party_name: string;
  role: string;
  vulnerability: string;
  status: string | null;
  statement: string;
  asked: string;
  answered: string | null;
  waiting_since?: string | null;
}

export interface Statements {
  items: Statement[];
  unanswered: number;
}

export interface Reference {
  url: string;
  summary: string;
}

export interface Advisory {
  id: number;
  case: number;
  profile: string;
  title: string;
  tracking_id: string;
  status: 'draft' | 'final';
  version: string;
  summary?: string | null;
  remediation?: string | null;
  revision_summary?: string | null;
  references?: Reference[];
  cwes?: Record<string, { id: string; name: string }>;
  history?: { date: string; number: string; summary: string }[];
  published: number;
  published_at: string | null;
  tlp: string;
  created: string;
  updated: string;
  revision: number;
}

export interface Failure {
  test: string;
  kind: 'schema' | 'mandatory' | 'optional';
  path: string;
  message: string;
}

export interface Validation {
  valid: boolean;
  version: string;
  failures: Failure[];
}

export interface PortalMessage {
  id: number;
  thread: 'private' | 'shared';
  author: 'you' | 'team';
  body: string;
  created: string;
}

export interface PortalView {
  receipt: string | null;
  case: { title: string; state: string; created: string; updated: string };
  party: { id: number; role: string; name: string; time_zone: string | null; link_expires: string };
  embargo: { utc: string; zone: string } | null;
  messages: PortalMessage[];
  statements: Statement[];
}

export interface IntakeReceipt {
  receipt: string;
  status_url: string;
  case: number;
}

export const PARTY_ROLES = ['reporter', 'finder', 'supplier', 'customer', 'coordinator', 'vendor'];
export const VENDOR_STATUSES = ['affected', 'not_affected', 'fixed', 'under_investigation', 'unknown'];

// Every item of a paged list (threads and parties are small: a case has
// tens of messages, not thousands).
export async function all<T>(path: string): Promise<T[]> {
  const out: T[] = [];
  let next: number | string | null = null;
  do {
    const sep: string = path.includes('?') ? '&' : '?';
    const page: List<T> = await get<List<T>>(path + sep + 'limit=200' + (next !== null ? '&cursor=' + next : ''));
    out.push(...page.items);
    next = page.next;
  } while (next !== null && out.length < 5000);
  return out;
}

// A draft advisory made from a case; the editor opens on it.
export async function createAdvisory(caseId: number): Promise<Advisory> {
  return (await call<Advisory>('POST', '/advisories', { case: caseId })).body;
}

// The secret of a status link, whichever way it is written: the API's
// status_url (…/api/v1/intake/SECRET) or the status page's fragment.
export function secretOf(url: string): string {
  return url.slice(url.lastIndexOf('/') + 1).replace(/^#/, '');
}

// The status page for a secret: the secret goes in the fragment, which
// the browser never sends, so it stays out of the server's access logs
// for the page itself.
export function statusPage(secret: string): string {
  return location.origin + '/report/status#' + secret;
}

// The IANA name of the viewer's time zone ("Asia/Tokyo").
export function viewerZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

const FIELDS: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit',
                                            minute: '2-digit', timeZoneName: 'short' };

// An instant in one zone, the zone's abbreviation or offset named.
export function inZone(iso: string, zone: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  try {
    return new Intl.DateTimeFormat(language(), { ...FIELDS, timeZone: zone }).format(d);
  } catch {
    return new Intl.DateTimeFormat(language(), { ...FIELDS, timeZone: 'UTC' }).format(d);
  }
}
