// profile.ts — the user's own language and time zone, kept by the server
// (GET/PATCH /api/v1/me) so that they follow the user from browser to
// browser and speak for them in reports and mail. Null means "not chosen":
// the UI then follows the browser (Accept-Language, its zone).
import { call, get } from './api';
import type { Lang } from './i18n';

export interface Profile {
  id: number;
  username: string;
  display_name: string;
  email: string | null;
  role: string;
  language: Lang | null;
  timezone: string | null;
}

// The profile, or null when the server has none for this principal.
export function loadProfile(): Promise<Profile | null> {
  return get<Profile>('/me').catch(() => null);
}

export async function saveProfile(change: { language?: Lang | null; timezone?: string | null }): Promise<Profile> {
  return (await call<Profile>('PATCH', '/me', change)).body;
}

// The zones a user may choose: the browser's list of IANA names in the
// Area/Location form the server accepts, and UTC first.
export function timeZones(): string[] {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return ['UTC', ...all.filter((z) => z.includes('/'))];
}
