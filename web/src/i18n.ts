// i18n.ts — the UI's languages. Every visible string is a whole sentence
// from a catalogue (messages/en.json, messages/ja.json) with named
// placeholders such as {title}, never fragments glued together, because
// word order differs between Japanese and English. tests/ui/i18n.mjs
// fails when the catalogues disagree or a source shows a literal string.
//
// The language is chosen per user in their profile (GET/PATCH /api/v1/me,
// profile.ts) and defaults from navigator.languages, which carries the
// browser's Accept-Language preference. Dates always name their zone: the
// profile's, else the browser's.
import en from './messages/en.json';
import ja from './messages/ja.json';

export type Lang = 'en' | 'ja';
export type MessageKey = keyof typeof en & string;

const catalogues: Record<Lang, Record<string, string>> = { en, ja };
export const languages: Lang[] = ['en', 'ja'];

let current: Lang = 'en';

export function detectLanguage(user?: string): Lang {
  const saved = localStorage.getItem(user ? 'xsirt.lang.' + user : 'xsirt.lang');
  if (saved === 'en' || saved === 'ja') return saved;
  for (const l of navigator.languages ?? [navigator.language]) {
    const base = l.toLowerCase().split('-')[0];
    if (base === 'ja' || base === 'en') return base;
  }
  return 'en';
}

// Makes lang the language of what renders next (and of <html lang>).
export function applyLanguage(lang: Lang): void {
  current = lang;
  document.documentElement.lang = lang;
  document.title = t('app.title');
}

// The user's own choice: applied, and remembered for them in this browser.
export function chooseLanguage(lang: Lang, user?: string): void {
  applyLanguage(lang);
  localStorage.setItem('xsirt.lang', lang);
  if (user) localStorage.setItem('xsirt.lang.' + user, lang);
}

export function language(): Lang {
  return current;
}

export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const text = catalogues[current][key] ?? catalogues.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (m, name: string) =>
    name in params ? String(params[name]) : m);
}

// Data-driven words (states, severities, roles) are catalogue keys made
// from a prefix and the value; a value the catalogue does not know (a
// custom workflow state) is shown as the data gives it.
export function tv(prefix: string, value: string | null | undefined, fallback?: string): string {
  if (value === null || value === undefined) return t('common.none');
  const key = prefix + '.' + value;
  const text = catalogues[current][key];
  return text ?? fallback ?? value;
}

// (dateStyle cannot be combined with timeZoneName, so the fields are named.)
const DATE_FIELDS: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric',
                                                  hour: '2-digit', minute: '2-digit' };

// A list in the language's own way ("a, b and c" / "a、b、c"): items are
// never glued with a fixed separator. "or" lists the alternatives of a
// condition.
export function list(items: string[], type: 'conjunction' | 'disjunction' = 'conjunction'): string {
  return new Intl.ListFormat(current, { style: 'long', type }).format(items);
}

// The zone dates are shown in: the user's profile's, else the browser's.
let zone: string | undefined;

export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

// Applies the profile's zone (undefined or null: the browser's); a name the
// browser does not know falls back to the browser's zone.
export function applyTimeZone(name: string | null | undefined): void {
  zone = undefined;
  if (!name) return;
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    zone = name;
  } catch {
    zone = undefined;
  }
}

function timeZone(): string {
  return zone ?? browserTimeZone();
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return t('common.none');
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(current, { ...DATE_FIELDS, timeZone: timeZone(), timeZoneName: 'short' }).format(d);
}

// Embargoes: the UTC time and the local one side by side, each named.
export function formatDateUtcAndLocal(iso: string | null | undefined): string {
  if (!iso) return t('common.none');
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const utc = new Intl.DateTimeFormat(current, { ...DATE_FIELDS, timeZone: 'UTC',
                                                 timeZoneName: 'short' }).format(d);
  if (timeZone() === 'UTC' || timeZone() === 'Etc/UTC') return utc;
  return t('date.utcAndLocal', { utc, local: formatDate(iso) });
}
