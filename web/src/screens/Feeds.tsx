// Feeds.tsx — where findings come from: the intelligence feeds with their
// status, last sync and errors (administrators add feeds and sync them
// now), and the organisation's settings (administrators only): mail
// (the SMTP URL is a secret, written and never shown), the priority rule
// and the defaults of feeds.
import { useState } from 'preact/hooks';
import { call, get, HttpError, post, type Feed, type FeedSync, type List, type Principal, type Settings } from '../api';
import { formatDate, list, t, tv } from '../i18n';
import { AddForm, Empty, ErrorBox, Field, Form, Page, Section, Status, Submit, Table, TextField, useLoad, value,
         WordField } from '../components';

const FEED_KINDS = ['osv', 'cve5', 'csaf', 'kev', 'epss'];

function FeedStatus({ f }: { f: Feed }) {
  return <span class={'feed-status feed-' + f.status}>{tv('feedStatus', f.status)}</span>;
}

export function Feeds({ me }: { me: Principal }) {
  const { data, error, reload } = useLoad(() => get<List<Feed>>('/feeds?limit=200'), []);
  const [synced, setSynced] = useState<string | null>(null);
  const [failed, setFailed] = useState<unknown>(null);
  const [f, setF] = useState({ name: '', kind: 'osv', url: '', interval: '' });
  const sync = async (feed: Feed) => {
    setSynced(null);
    setFailed(null);
    try {
      const r = await post<FeedSync>('/feeds/' + feed.id + '/sync', {});
      setSynced(r.status === 'ok'
        ? t('feeds.syncedOk', { name: feed.name, added: r.added, changed: r.changed, withdrawn: r.withdrawn,
                                assets: r.assets ?? 0 })
        : t('feeds.syncedError', { name: feed.name, error: r.error ?? '' }));
    } catch (e) {
      setFailed(e);
    }
    reload();
  };
  return (
    <Page title={t('feeds.title')} purpose={t('feeds.purpose')}>
      <Status data={data} error={error} />
      {synced && <p class="notice" role="status">{synced}</p>}
      <ErrorBox error={failed} />
      {data && (data.items.length === 0 ? <Empty text={t('feeds.empty')} /> : (
        <Table caption={t('feeds.title')} class="cases"
               headers={[t('feeds.name'), t('feeds.kind'), t('feeds.status'), t('feeds.synced'), t('feeds.records'),
                         t('feeds.url'), ...(me.admin ? [t('feeds.actions')] : [])]}>
          {data.items.map((x) => (
            <tr>
              <td>{x.name}</td>
              <td>{tv('feedKind', x.kind)}</td>
              <td><FeedStatus f={x} />{x.error && <p class="error">{t('feeds.error', { error: x.error })}</p>}</td>
              <td data-label={t('feeds.synced')}>{x.synced ? formatDate(x.synced) : t('feeds.never')}</td>
              <td data-label={t('feeds.records')}>{x.records}</td>
              <td data-label={t('feeds.url')} class="mono wrap">{x.url}</td>
              {me.admin && (
                <td><button type="button" onClick={() => sync(x)}
                            aria-label={t('feeds.syncAria', { name: x.name })}>{t('feeds.sync')}</button></td>
              )}
            </tr>
          ))}
        </Table>
      ))}
      {me.admin && (
        <Section id="h-feed-add" title={t('feeds.add')}>
          <AddForm title={t('feeds.add')} onSubmit={async () => {
            const body: Record<string, unknown> = { name: f.name, kind: f.kind, url: f.url };
            if (f.interval) body.interval = Number(f.interval) * 60;
            await post('/feeds', body);
            setF({ name: '', kind: 'osv', url: '', interval: '' });
            reload();
          }}>
            <div class="row">
              <TextField label={t('feeds.name')} name="name" required value={f.name} onChange={(v) => setF({ ...f, name: v })} />
              <WordField label={t('feeds.kind')} name="kind" value={f.kind} values={FEED_KINDS} prefix="feedKind"
                         onChange={(v) => setF({ ...f, kind: v })} />
            </div>
            <TextField label={t('feeds.url')} hint={t('feeds.urlHint')} name="url" required value={f.url}
                       onChange={(v) => setF({ ...f, url: v })} />
            <TextField label={t('feeds.interval')} hint={t('feeds.intervalHint')} name="interval" value={f.interval}
                       onChange={(v) => setF({ ...f, interval: v })} />
          </AddForm>
        </Section>
      )}
    </Page>
  );
}

function ruleText(r: Settings['priority_rule']['rules'][number]): string {
  const parts: string[] = [];
  if (r.kev) parts.push(t('rule.kev'));
  if (r.min_cvss !== undefined) parts.push(t('rule.minCvss', { score: r.min_cvss }));
  if (r.min_epss !== undefined) parts.push(t('rule.minEpss', { epss: r.min_epss }));
  if (r.criticality?.length) parts.push(t('rule.criticality', { levels: list(r.criticality.map((c) => tv('criticality', c)), 'disjunction') }));
  if (r.exposure?.length) parts.push(t('rule.exposure', { exposures: list(r.exposure.map((c) => tv('exposure', c)), 'disjunction') }));
  return parts.length ? t('rule.when', { priority: tv('priority', r.priority), conditions: list(parts) })
                      : t('rule.always', { priority: tv('priority', r.priority) });
}

export function SettingsScreen({ me }: { me: Principal }) {
  const { data, error, reload } = useLoad(() => (me.admin ? get<Settings>('/settings') : Promise.resolve(null)), [me.id]);
  const [smtp, setSmtp] = useState({ url: '', from: '' });
  const [rule, setRule] = useState<string | null>(null);
  const [defaults, setDefaults] = useState<Record<string, string> | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  if (!me.admin) return <Page title={t('settings.title')} purpose={t('settings.purpose')}><p class="notice">{t('settings.adminsOnly')}</p></Page>;
  const save = async (body: Record<string, unknown>) => {
    setSaved(null);
    await call('PATCH', '/settings', body);
    setSaved(t('settings.saved'));
    reload();
  };
  const fd = defaults ?? (data ? { interval: String(data.feed_defaults.interval), timeout: String(data.feed_defaults.timeout),
                                   max_bytes: String(data.feed_defaults.max_bytes) } : { interval: '', timeout: '', max_bytes: '' });
  return (
    <Page title={t('settings.title')} purpose={t('settings.purpose')}>
      <Status data={data} error={error} />
      {saved && <p class="notice ok" role="status">{saved}</p>}
      {data && (
        <div data-ready="true">
          <Section id="h-mail" title={t('settings.mail')} class="card">
            <p class="hint">{data.smtp_url.set ? t('settings.smtpSet') : t('settings.smtpUnset')}</p>
            <Form label={t('settings.mail')} onSubmit={async () => {
              const body: Record<string, unknown> = { smtp_from: smtp.from || data.smtp_from || null };
              if (smtp.url) body.smtp_url = smtp.url;
              await save(body);
              setSmtp({ url: '', from: '' });
            }}>
              <Field label={t('settings.smtpUrl')} hint={t('settings.smtpUrlHint')}>
                <input type="password" name="smtp_url" autoComplete="off" value={smtp.url}
                       onInput={(e) => setSmtp({ ...smtp, url: value(e) })} />
              </Field>
              <Field label={t('settings.smtpFrom')}>
                <input type="email" name="smtp_from" value={smtp.from || data.smtp_from || ''}
                       onInput={(e) => setSmtp({ ...smtp, from: value(e) })} />
              </Field>
              <Submit text={t('settings.saveMail')} />
            </Form>
          </Section>
          <Section id="h-rule" title={t('settings.priorityRule')} class="card">
            <p class="hint">{t('settings.priorityRulePurpose')}</p>
            <ol>
              {data.priority_rule.rules.map((r) => <li>{ruleText(r)}</li>)}
              <li>{t('rule.otherwise', { priority: tv('priority', data.priority_rule.default) })}</li>
            </ol>
            <Form label={t('settings.priorityRule')} onSubmit={async () => {
              let parsed: unknown;
              try {
                parsed = JSON.parse(rule ?? JSON.stringify(data.priority_rule));
              } catch {
                throw new HttpError({ status: 400, code: 'invalid', message: t('settings.ruleNotJson') });
              }
              await save({ priority_rule: parsed });
              setRule(null);
            }}>
              <Field label={t('settings.ruleJson')} hint={t('settings.ruleJsonHint')}>
                <textarea name="priority_rule" rows={10} class="mono" spellcheck={false}
                          value={rule ?? JSON.stringify(data.priority_rule, null, 2)} onInput={(e) => setRule(value(e))} />
              </Field>
              <Submit text={t('settings.saveRule')} />
            </Form>
          </Section>
          <Section id="h-feed-defaults" title={t('settings.feedDefaults')} class="card">
            <Form label={t('settings.feedDefaults')} onSubmit={async () => {
              await save({ feed_defaults: { interval: Number(fd.interval), timeout: Number(fd.timeout),
                                            max_bytes: Number(fd.max_bytes) } });
              setDefaults(null);
            }}>
              <div class="row">
                <TextField label={t('settings.interval')} name="interval" value={fd.interval}
                           onChange={(v) => setDefaults({ ...fd, interval: v })} />
                <TextField label={t('settings.timeout')} name="timeout" value={fd.timeout}
                           onChange={(v) => setDefaults({ ...fd, timeout: v })} />
                <TextField label={t('settings.maxBytes')} name="max_bytes" value={fd.max_bytes}
                           onChange={(v) => setDefaults({ ...fd, max_bytes: v })} />
              </div>
              <Submit text={t('settings.saveDefaults')} />
            </Form>
          </Section>
        </div>
      )}
    </Page>
  );
}
