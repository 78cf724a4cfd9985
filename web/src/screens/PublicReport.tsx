// PublicReport.tsx — the pages for people without an account: the public
// form to report a vulnerability (POST /intake; the answer's receipt and
// secret status link are shown once), and the status page at that link,
// where the reporter (or any invited party) follows the case and writes
// to the team. No session, no cookie: the secret is the only key, and it
// travels in the address's fragment, which the browser never sends.
import { useState } from 'preact/hooks';
import { get, post } from '../api';
import { applyLanguage, chooseLanguage, detectLanguage, language, languages, t, type Lang } from '../i18n';
import { onLinkClick, useLocation } from '../router';
import { ErrorBox, Field, Form, Loading, Page, Section, Submit, TextField, useLoad, value } from '../components';
import { PartyView } from './PartyView';
import { secretOf, statusPage, type IntakeReceipt, type PortalView } from '../disclosure';

export function isPublicPath(path: string): boolean {
  return path === '/report' || path.startsWith('/report/');
}

export function PublicApp() {
  const loc = useLocation();
  const [lang, setLang] = useState<Lang>(() => {
    const l = detectLanguage();
    applyLanguage(l);
    return l;
  });
  return (
    <div class="shell public" onClick={onLinkClick}>
      <a class="skip" href="#main">{t('app.skip')}</a>
      <header class="top">
        <span class="brand">{t('app.name')}</span>
        <div class="who">
          <div class="lang">
            <label class="field-label" for="language">{t('app.language')}</label>
            <select id="language" value={lang} onChange={(e) => {
              chooseLanguage(value(e) as Lang);
              setLang(value(e) as Lang);
            }}>
              {languages.map((l) => <option value={l} lang={l}>{t(l === 'en' ? 'lang.en' : 'lang.ja')}</option>)}
            </select>
          </div>
        </div>
      </header>
      <main id="main" key={loc.path + lang}>
        {loc.path === '/report/status' ? <StatusPage /> : loc.path === '/report' ? <ReportForm /> :
          <p role="alert">{t('app.notFound')}</p>}
      </main>
    </div>
  );
}

const EMPTY = { title: '', description: '', product: '', version: '', name: '', email: '', organisation: '',
                credit: '', plans: '', already_public: false, exploited: false };

function ReportForm() {
  const [f, setF] = useState(EMPTY);
  const [done, setDone] = useState<IntakeReceipt | null>(null);
  const set = (k: keyof typeof EMPTY) => (v: string) => setF({ ...f, [k]: v });
  if (done) {
    const link = statusPage(secretOf(done.status_url));
    return (
      <Page title={t('intakeForm.thanksTitle')} purpose={t('intakeForm.thanks')}>
        <div class="card" data-ready="true">
          <p>{t('intakeForm.receiptIs')}</p>
          <p class="receipt mono" data-testid="receipt">{done.receipt}</p>
          <p>{t('intakeForm.statusLinkIs')}</p>
          <p><a class="mono wrap" href={'/report/status#' + secretOf(done.status_url)} data-testid="status-link">{link}</a></p>
          <p class="notice">{t('intakeForm.keepLink')}</p>
        </div>
      </Page>
    );
  }
  return (
    <Page title={t('intakeForm.title')} purpose={t('intakeForm.purpose')}>
      <Form label={t('intakeForm.title')} onSubmit={async () => {
        const body: Record<string, unknown> = { title: f.title, description: f.description,
                                                already_public: f.already_public, exploited: f.exploited };
        if (f.product) body.product = f.product;
        if (f.version) body.version = f.version;
        if (f.credit) body.credit = f.credit;
        if (f.plans) body.disclosure_plans = f.plans;
        if (f.name || f.email || f.organisation) {
          const r: Record<string, string> = {};
          if (f.name) r.name = f.name;
          if (f.email) r.email = f.email;
          if (f.organisation) r.organisation = f.organisation;
          r.language = language();   // mail to the reporter in the language they wrote in
          body.reporter = r;
        }
        setDone(await post<IntakeReceipt>('/intake', body));
      }}>
        <Section id="h-what" title={t('intakeForm.what')} class="card">
          <TextField label={t('intakeForm.titleField')} hint={t('intakeForm.titleHint')} name="title" required value={f.title}
                     onChange={set('title')} />
          <Field label={t('intakeForm.description')} hint={t('intakeForm.descriptionHint')}>
            <textarea name="description" rows={8} required value={f.description}
                      onInput={(e) => set('description')(value(e))} />
          </Field>
          <div class="row">
            <TextField label={t('intakeForm.product')} name="product" value={f.product} onChange={set('product')} />
            <TextField label={t('intakeForm.version')} name="version" value={f.version} onChange={set('version')} />
          </div>
          <div class="checks">
            <label><input type="checkbox" name="already_public" checked={f.already_public}
                          onChange={(e) => setF({ ...f, already_public: e.currentTarget.checked })} /> {t('intakeForm.alreadyPublic')}</label>
            <label><input type="checkbox" name="exploited" checked={f.exploited}
                          onChange={(e) => setF({ ...f, exploited: e.currentTarget.checked })} /> {t('intakeForm.exploited')}</label>
          </div>
        </Section>
        <Section id="h-who" title={t('intakeForm.who')} class="card">
          <p class="hint">{t('intakeForm.whoHint')}</p>
          <div class="row">
            <TextField label={t('intakeForm.name')} name="name" autoComplete="name" value={f.name} onChange={set('name')} />
            <TextField label={t('intakeForm.organisation')} name="organisation" autoComplete="organization"
                       value={f.organisation} onChange={set('organisation')} />
          </div>
          <TextField label={t('intakeForm.email')} name="email" type="email" autoComplete="email" value={f.email}
                     onChange={set('email')} />
          <TextField label={t('intakeForm.credit')} hint={t('intakeForm.creditHint')} name="credit" value={f.credit}
                     onChange={set('credit')} />
          <TextField label={t('intakeForm.plans')} hint={t('intakeForm.plansHint')} name="plans" value={f.plans}
                     onChange={set('plans')} />
        </Section>
        <Submit text={t('intakeForm.send')} />
      </Form>
    </Page>
  );
}

function StatusPage() {
  const secret = secretOf(location.hash);
  const { data, error, reload } = useLoad(() => (secret ? get<PortalView>('/intake/' + secret)
                                                         : Promise.reject(new Error('no link'))), [secret]);
  if (error) return <Page title={t('portal.notFoundTitle')} purpose={t('portal.notFound')}><ErrorBox error={error} /></Page>;
  if (!data) return <Loading />;
  return <PartyView data={data} base={'/intake/' + secret} link reload={reload} />;
}
