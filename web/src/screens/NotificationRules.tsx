// NotificationRules.tsx — who hears of what, and how: a team's rules send
// chosen events (new findings from a priority up, KEV hits, overdue cases,
// transitions…) by mail or webhook, at once or as a weekly digest, in
// Japanese or English. Leads of the team and administrators list, add,
// change and delete them; the webhook secret is write-only (the screen
// says whether one is set, never what it is). Each rule shows how its
// delivery goes.
import { useState } from 'preact/hooks';
import { call, get, post, type List, type Team } from '../api';
import { formatDate, language, languages, list, t, tv } from '../i18n';
import { loadTeams, teamName } from '../data';
import { Empty, Field, Form, Page, Section, Status, Submit, Table, TextField, useLoad, ValueSelect,
         WordField } from '../components';

export interface NotificationRule {
  id: number;
  team: number;
  events: string[];
  min_priority: string;
  channel: string;
  target: string;
  secret: { set: boolean };
  schedule: string;
  language: string;
  last_error: string | null;
  last_delivered: string | null;
  pending: number;
  revision: number;
}

export const EVENTS = ['finding.new', 'finding.kev', 'finding.overdue', 'case.assigned', 'case.transition',
                       'case.overdue', 'escalation', 'feed.error'];
const PRIORITIES = ['P1', 'P2', 'P3', 'P4'];

interface Draft {
  team: string;
  events: string[];
  min_priority: string;
  channel: string;
  target: string;
  secret: string;
  schedule: string;
  language: string;
}

const fresh = (): Draft => ({ team: '', events: ['finding.new'], min_priority: 'P2', channel: 'email', target: '',
                              secret: '', schedule: 'immediate', language: language() });

export function NotificationRules() {
  const { data, error, reload } = useLoad(async () => {
    const [rules, teams] = await Promise.all([get<List<NotificationRule>>('/notification-rules?limit=200'), loadTeams()]);
    return { rules: rules.items, teams };
  }, []);
  const [editing, setEditing] = useState<number | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const remove = async (r: NotificationRule) => {
    if (!confirm(t('notify.deleteConfirm', { target: r.target }))) return;
    await call('DELETE', '/notification-rules/' + r.id);
    setDone(t('notify.deleted', { target: r.target }));
    reload();
  };
  return (
    <Page title={t('admin.notificationRules')} purpose={t('notify.purpose')}>
      <Status data={data} error={error} />
      {done && <p class="notice ok" role="status">{done}</p>}
      {data && (data.rules.length === 0 ? <Empty text={t('notify.empty')} /> : (
        <Table headers={[t('notify.team'), t('notify.events'), t('notify.minPriority'), t('notify.channel'),
                         t('notify.schedule'), t('notify.language'), t('notify.delivery'),
                         <span class="sr-only">{t('notify.actions')}</span>]}>
          {data.rules.map((r) => (
            <>
              <tr>
                <td>{teamName(data.teams, r.team)}</td>
                <td>{r.events.length ? list(r.events.map((e) => tv('event', e))) : t('notify.noEvents')}</td>
                <td>{tv('priority', r.min_priority)}</td>
                <td>{t('notify.channelTarget', { channel: tv('channel', r.channel), target: r.target })}
                  {r.channel === 'webhook' && <span class="meta">{r.secret.set ? t('notify.secretSet') : t('notify.secretUnset')}</span>}</td>
                <td>{tv('schedule', r.schedule)}</td>
                <td>{tv('lang', r.language)}</td>
                <td>{r.last_error ? <span class="error-text">{t('notify.lastError', { error: r.last_error })}</span>
                  : r.last_delivered ? t('notify.lastDelivered', { at: formatDate(r.last_delivered) }) : t('notify.neverDelivered')}
                  {r.pending > 0 && <span class="meta">{t('notify.pending', { count: r.pending })}</span>}</td>
                <td class="actions">
                  <button type="button" class="small" aria-expanded={editing === r.id}
                          onClick={() => setEditing(editing === r.id ? null : r.id)}
                          aria-label={t('notify.editAria', { target: r.target })}>{t('notify.edit')}</button>{' '}
                  <button type="button" class="small danger" onClick={() => remove(r)}
                          aria-label={t('notify.deleteAria', { target: r.target })}>{t('notify.delete')}</button>
                </td>
              </tr>
              {editing === r.id && (
                <tr class="edit-row"><td colSpan={8}>
                  <RuleForm teams={data.teams} rule={r} title={t('notify.editTitle', { target: r.target })}
                            onDone={() => { setEditing(null); setDone(t('notify.saved', { target: r.target })); reload(); }} />
                </td></tr>
              )}
            </>
          ))}
        </Table>
      ))}
      {data && (
        <Section id="h-new-notification-rule" title={t('notify.create')}>
          <RuleForm teams={data.teams} title={t('notify.create')}
                    onDone={() => { setDone(null); reload(); }} />
        </Section>
      )}
    </Page>
  );
}

// The form that adds a rule (rule absent) or changes one (sent with its
// revision in If-Match; only what changed, and the secret only if typed).
function RuleForm(props: { teams: Team[]; rule?: NotificationRule; title: string; onDone: () => void }) {
  const r = props.rule;
  const [d, setD] = useState<Draft>(r ? { team: String(r.team), events: r.events, min_priority: r.min_priority,
                                          channel: r.channel, target: r.target, secret: '', schedule: r.schedule,
                                          language: r.language } : fresh());
  const submit = async () => {
    const body: Record<string, unknown> = { events: d.events, min_priority: d.min_priority, channel: d.channel,
                                            target: d.target, schedule: d.schedule, language: d.language };
    if (d.secret) body.secret = d.secret;
    if (r) {
      await call('PATCH', '/notification-rules/' + r.id, body, { 'If-Match': `"${r.revision}"` });
    } else {
      await post('/notification-rules', { ...body, team: Number(d.team) });
      setD(fresh());
    }
    props.onDone();
  };
  const idp = r ? 'rule-' + r.id : 'rule-new';
  return (
    <Form onSubmit={submit} label={props.title}>
      {!r && (
        <Field label={t('notify.team')}>
          <ValueSelect name="team" value={d.team} values={props.teams.map((x) => String(x.id))}
                       word={(v) => teamName(props.teams, Number(v))} blank={t('common.choose')}
                       onChange={(v) => setD({ ...d, team: v })} />
        </Field>
      )}
      <fieldset class="checks">
        <legend>{t('notify.events')}</legend>
        {EVENTS.map((e) => (
          <label class="check">
            <input type="checkbox" name="events" value={e} checked={d.events.includes(e)}
                   onChange={(x) => setD({ ...d, events: x.currentTarget.checked ? [...d.events, e] : d.events.filter((y) => y !== e) })} />
            {tv('event', e)}
          </label>
        ))}
      </fieldset>
      <WordField label={t('notify.minPriority')} name="min_priority" value={d.min_priority} values={PRIORITIES}
                 prefix="priority" onChange={(v) => setD({ ...d, min_priority: v })} />
      <WordField label={t('notify.channel')} name="channel" value={d.channel} values={['email', 'webhook']}
                 prefix="channel" onChange={(v) => setD({ ...d, channel: v })} />
      <TextField label={t('notify.target')} hint={d.channel === 'email' ? t('notify.targetEmailHint') : t('notify.targetWebhookHint')}
                 name={'target-' + idp} required value={d.target} onChange={(v) => setD({ ...d, target: v })} />
      {d.channel === 'webhook' && (
        <TextField label={t('notify.secret')} type="password" autoComplete="new-password" name={'secret-' + idp}
                   hint={r?.secret.set ? t('notify.secretKeep') : t('notify.secretHint')}
                   value={d.secret} onChange={(v) => setD({ ...d, secret: v })} />
      )}
      <WordField label={t('notify.schedule')} name="schedule" value={d.schedule} values={['immediate', 'weekly']}
                 prefix="schedule" onChange={(v) => setD({ ...d, schedule: v })} />
      <WordField label={t('notify.language')} name="language" value={d.language} values={languages}
                 prefix="lang" onChange={(v) => setD({ ...d, language: v })} />
      <Submit text={r ? t('notify.save') : t('notify.create')} />
    </Form>
  );
}
