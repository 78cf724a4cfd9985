// PublicReport.tsx — the pages for people without an account: the public
// form to report a vulnerability (POST /intake; the answer's receipt and
// secret status link are shown once), and the status page at that link,
// where the reporter (or any invited party) follows the case and writes
// to the team. No session, no cookie: the secret is the only key, and it
// travels in the address's fragment, which the browser never sends.
import { useState } from 'preact/hooks';
import { get, post } from '../api';
import { applyLanguage, chooseLanguage, detectLanguage, formatDate, language, languages, t, tv, type Lang } from '../i18n';
import { onLinkClick, useLocation } from '../router';
import { Empty, ErrorBox, Field, Form, Loading, Page, Section, Submit, TextField, useLoad, value, ValueSelect } from '../components';
import { WriteForm } from './Coordination';
import { inZone, secretOf, statusPage, VENDOR_STATUSES, viewerZone, type IntakeReceipt,
         type PortalView } from '../disclosure';

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
  const zone = viewerZone();
  return (
    <Page title={t('portal.title', { title: data.case.title })} purpose={t('portal.purpose')}>
      <div class="card" data-ready="true">
        <dl class="facts">
          <dt>{t('portal.state')}</dt><dd><span class="state">{tv('publicState', data.case.state)}</span></dd>
          {data.receipt && <><dt>{t('portal.receipt')}</dt><dd class="mono">{data.receipt}</dd></>}
          <dt>{t('portal.you')}</dt><dd>{t('portal.youAre', { name: data.party.name || t('intake.anonymous'),
                                                               role: tv('partyRole', data.party.role) })}</dd>
          <dt>{t('portal.received')}</dt><dd>{formatDate(data.case.created)}</dd>
          <dt>{t('portal.updated')}</dt><dd>{formatDate(data.case.updated)}</dd>
          <dt>{t('portal.embargo')}</dt>
          <dd>{data.embargo ? t('coord.embargoAt', { utc: inZone(data.embargo.utc, 'UTC'),
                                                     local: inZone(data.embargo.utc, zone), zone })
                            : t('coord.noEmbargo')}</dd>
          <dt>{t('portal.linkExpires')}</dt><dd>{formatDate(data.party.link_expires)}</dd>
        </dl>
      </div>
      {data.statements.length > 0 && <Questions data={data} secret={secret} reload={reload} />}
      <Section id="h-messages" title={t('portal.messages')}>
        {data.messages.length === 0 ? <Empty text={t('coord.noMessages')} /> : (
          <ol class="plain messages">
            {data.messages.map((m) => (
              <li class={'message message-' + (m.author === 'you' ? 'in' : 'out')}>
                <p class="message-head">
                  <strong>{m.author === 'you' ? t('portal.fromYou') : t('portal.fromTeam')}</strong>{' '}
                  <span class="hint">{formatDate(m.created)}</span>{' '}
                  {m.thread === 'shared' && <span class="tag">{t('portal.shared')}</span>}
                </p>
                <p class="message-body">{m.body}</p>
              </li>
            ))}
          </ol>
        )}
        <WriteForm label={t('portal.write')} field={t('portal.message')} button={t('portal.send')} rows={4}
                   send={async (body) => {
          await post('/intake/' + secret + '/messages', { body });
          reload();
        }} />
      </Section>
    </Page>
  );
}

// What the team asked this party (per vulnerability), and its answers.
function Questions({ data, secret, reload }: { data: PortalView; secret: string; reload: () => void }) {
  const [answers, setAnswers] = useState<Record<string, { status: string; statement: string }>>({});
  return (
    <Section id="h-questions" title={t('portal.questions')}>
      <p class="hint">{t('portal.questionsHint')}</p>
      <ul class="plain">
        {data.statements.map((s) => {
          const a = answers[s.vulnerability] ?? { status: s.status ?? 'under_investigation', statement: s.statement };
          return (
            <li class="card">
              <p><strong class="mono">{s.vulnerability}</strong>{' '}
                {s.status ? t('portal.answered', { status: tv('vendorStatus', s.status) }) : t('portal.notAnswered')}</p>
              <Form label={t('portal.answerFor', { vulnerability: s.vulnerability })} onSubmit={async () => {
                await post('/intake/' + secret + '/statements', { vulnerability: s.vulnerability, status: a.status,
                                                                  statement: a.statement });
                reload();
              }}>
                <Field label={t('coord.status')}>
                  <ValueSelect name="status" value={a.status} values={VENDOR_STATUSES} word={(v) => tv('vendorStatus', v)}
                               onChange={(v) => setAnswers({ ...answers, [s.vulnerability]: { ...a, status: v } })} />
                </Field>
                <Field label={t('coord.statement')}>
                  <textarea name="statement" rows={2} value={a.statement}
                            onInput={(e) => setAnswers({ ...answers, [s.vulnerability]: { ...a, statement: value(e) } })} />
                </Field>
                <Submit text={t('portal.answer')} />
              </Form>
            </li>
          );
        })}
      </ul>
    </Section>
  );
}
