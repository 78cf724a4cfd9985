// Profile.tsx — the user's own settings: the language xsirt speaks to them
// in (this UI, reports they download, mail of the notification rules they
// create) and the time zone their dates are shown in. The server keeps
// both (PATCH /api/v1/me), so they hold in every browser.
import { useState } from 'preact/hooks';
import { browserTimeZone, formatDate, languages, t, type Lang } from '../i18n';
import { Field, Form, Page, Status, Submit, useLoad, ValueSelect } from '../components';
import { loadProfile, saveProfile, timeZones, type Profile as ProfileData } from '../profile';

export function Profile({ onSaved }: { onSaved: (p: ProfileData) => void }) {
  const { data, error } = useLoad(loadProfile, []);
  return (
    <Page title={t('profile.title')} purpose={t('profile.purpose')}>
      <Status data={data} error={error} />
      {data && <ProfileForm profile={data} onSaved={onSaved} />}
    </Page>
  );
}

function ProfileForm({ profile, onSaved }: { profile: ProfileData; onSaved: (p: ProfileData) => void }) {
  const [f, setF] = useState({ language: profile.language ?? '', timezone: profile.timezone ?? '' });
  const [saved, setSaved] = useState(false);
  const save = async () => {
    setSaved(false);
    const p = await saveProfile({ language: (f.language || null) as Lang | null, timezone: f.timezone || null });
    onSaved(p);
    setSaved(true);
  };
  return (
    <Form onSubmit={save} label={t('profile.title')}>
      <p>{t('profile.who', { user: profile.display_name || profile.username })}</p>
      <Field label={t('profile.language')} hint={t('profile.languageHint')}>
        <ValueSelect name="language" value={f.language} values={languages}
                     word={(l) => t(l === 'en' ? 'lang.en' : 'lang.ja')} blank={t('profile.languageBrowser')}
                     onChange={(v) => setF({ ...f, language: v })} />
      </Field>
      <Field label={t('profile.timezone')} hint={t('profile.timezoneHint')}>
        <ValueSelect name="timezone" value={f.timezone} values={timeZones()} word={(z) => z}
                     blank={t('profile.timezoneBrowser', { zone: browserTimeZone() })}
                     onChange={(v) => setF({ ...f, timezone: v })} />
      </Field>
      <p class="hint">{t('profile.now', { time: formatDate(new Date().toISOString()) })}</p>
      <Submit text={t('profile.save')} />
      {saved && <p class="notice ok" role="status">{t('profile.saved')}</p>}
    </Form>
  );
}
