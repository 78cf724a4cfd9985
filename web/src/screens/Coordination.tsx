// Coordination.tsx — coordinating one case with the people outside the
// organisation: the parties with their roles (invite one: its secret link
// is shown once), the vendors' statuses per vulnerability with who has
// not answered and since when, the embargo in UTC and in the viewer's own
// zone side by side, and the threads — one per party, and the shared one
// every party reads.
import { useState } from 'preact/hooks';
import { call, get, post, type Case, type User } from '../api';
import { formatDate, t, tv } from '../i18n';
import { navigate } from '../router';
import { loadUsers, userName } from '../data';
import { AddForm, Empty, ErrorBox, Field, Form, Loading, Page, Section, StateLabel, Submit, Table, TextField,
         TlpLabel, useLoad, value, ValueSelect, WordField } from '../components';
import { all, createAdvisory, inZone, PARTY_ROLES, viewerZone, type Message, type Party,
         type Statements } from '../disclosure';

async function load(id: number) {
  const [c, parties, messages, statements, users] = await Promise.all([
    get<Case>('/cases/' + id), all<Party>('/cases/' + id + '/parties'), all<Message>('/cases/' + id + '/messages'),
    get<Statements>('/cases/' + id + '/statements'), loadUsers(),
  ]);
  return { c, parties, messages, statements, users };
}

type Loaded = Awaited<ReturnType<typeof load>>;

export function Coordination({ id }: { id: number }) {
  const { data, error, reload } = useLoad(() => load(id), [id]);
  if (error) return <Page title={t('coord.notFoundTitle')} purpose={t('coord.notFound')}><ErrorBox error={error} /></Page>;
  if (!data) return <Loading />;
  const c = data.c;
  return (
    <Page title={t('coord.title', { title: c.title })} purpose={t('coord.purpose')}
          actions={<DisclosureActions caseId={c.id} />}>
      <div class="case-labels" aria-label={t('case.labelsAria')}>
        <a href={'/cases/' + c.id}>{t('case.number', { id: c.id })}</a>
        <TlpLabel tlp={c.tlp} />
        <StateLabel state={c.state} />
      </div>
      <div class="case-grid" data-ready="true">
        <div class="case-main">
          <VendorStatuses data={data} reload={reload} />
          <Threads data={data} reload={reload} />
        </div>
        <aside class="case-side">
          <Embargo c={c} reload={reload} />
          <Parties data={data} reload={reload} />
        </aside>
      </div>
    </Page>
  );
}

// The links from a case to its disclosure screens (also on the case).
export function DisclosureActions({ caseId, coordination }: { caseId: number; coordination?: boolean }) {
  const [error, setError] = useState<unknown>(null);
  const write = async () => {
    setError(null);
    try {
      const a = await createAdvisory(caseId);
      navigate('/advisories/' + a.id);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <div class="buttons">
      {coordination && <a class="button" href={'/cases/' + caseId + '/coordination'}>{t('coord.open')}</a>}
      <button type="button" onClick={write}>{t('advisory.create')}</button>
      <ErrorBox error={error} />
    </div>
  );
}

// The embargo, UTC and the viewer's zone side by side, each zone named.
export function EmbargoTimes({ at }: { at: string }) {
  const zone = viewerZone();
  return (
    <p class="embargo">
      {t('coord.embargoAt', { utc: inZone(at, 'UTC'), local: inZone(at, zone), zone })}
    </p>
  );
}

function Embargo({ c, reload }: { c: Case; reload: () => void }) {
  const [at, setAt] = useState('');
  const zone = viewerZone();
  return (
    <Section id="h-embargo" title={t('coord.embargo')}>
      {c.embargo ? <EmbargoTimes at={c.embargo} /> : <Empty text={t('coord.noEmbargo')} />}
      <Form label={t('coord.setEmbargo')} onSubmit={async () => {
        await call('PUT', '/cases/' + c.id + '/embargo', { at: new Date(at).toISOString(), zone });
        setAt('');
        reload();
      }}>
        <Field label={t('coord.embargoLocal', { zone })}>
          <input type="datetime-local" name="embargo" required value={at} onInput={(e) => setAt(value(e))} />
        </Field>
        <Submit text={t('coord.setEmbargo')} />
      </Form>
    </Section>
  );
}

function partyName(p: Party): string {
  return p.organisation ? t('coord.partyOrg', { name: p.name, organisation: p.organisation }) : p.name;
}

function Parties({ data, reload }: { data: Loaded; reload: () => void }) {
  const blank = { role: 'vendor', name: '', email: '', organisation: '', time_zone: '', language: '', account: false };
  const [f, setF] = useState(blank);
  const [invited, setInvited] = useState<Party | null>(null);
  return (
    <Section id="h-parties" title={t('coord.parties')}>
      {data.parties.length === 0 ? <Empty text={t('coord.noParties')} /> : (
        <ul class="plain">
          {data.parties.map((p) => (
            <li>
              <strong>{partyName(p)}</strong> <span class="tag">{tv('partyRole', p.role)}</span>
              {p.email && <span class="hint block">{p.email}</span>}
              {p.time_zone && <span class="hint block">{t('coord.partyZone', { zone: p.time_zone })}</span>}
              {p.language && <span class="hint block">{tv('lang', p.language)}</span>}
              <span class="hint block mono">{t('coord.mailTag', { tag: p.mail_tag })}</span>
            </li>
          ))}
        </ul>
      )}
      {invited && (
        <div class="notice ok" role="status">
          <p>{t('coord.invited', { name: invited.name })}</p>
          <p class="mono wrap" data-testid="portal-url">{invited.portal_url}</p>
          {typeof invited.account === 'object' && invited.account !== null && (invited.account.password ? (
            <p data-testid="account">{t('coord.accountMade', { username: invited.account.username })}{' '}
              <span class="mono" data-testid="account-password">{invited.account.password}</span></p>
          ) : <p data-testid="account">{t('coord.accountLinked', { username: invited.account.username })}</p>)}
        </div>
      )}
      <h3>{t('coord.invite')}</h3>
      <AddForm title={t('coord.invite')} onSubmit={async () => {
        const body: Record<string, unknown> = { role: f.role, name: f.name };
        if (f.email) body.email = f.email;
        if (f.organisation) body.organisation = f.organisation;
        if (f.time_zone) body.time_zone = f.time_zone;
        if (f.language) body.language = f.language;
        if (f.account) body.account = true;
        setInvited(await post<Party>('/cases/' + data.c.id + '/parties', body));
        setF(blank);
        reload();
      }}>
        <WordField label={t('coord.role')} name="role" value={f.role} values={PARTY_ROLES} prefix="partyRole"
                   onChange={(v) => setF({ ...f, role: v })} />
        <TextField label={t('coord.name')} name="name" required value={f.name} onChange={(v) => setF({ ...f, name: v })} />
        <TextField label={t('coord.organisation')} name="organisation" value={f.organisation}
                   onChange={(v) => setF({ ...f, organisation: v })} />
        <TextField label={t('coord.email')} name="email" type="email" value={f.email}
                   onChange={(v) => setF({ ...f, email: v })} />
        <TextField label={t('coord.timeZone')} hint={t('coord.timeZoneHint')} name="time_zone" value={f.time_zone}
                   onChange={(v) => setF({ ...f, time_zone: v })} />
        <WordField label={t('coord.language')} name="language" value={f.language} values={['en', 'ja']} prefix="lang"
                   blank={t('coord.languageByZone')} onChange={(v) => setF({ ...f, language: v })} />
        <label class="check">
          <input type="checkbox" name="account" checked={f.account}
                 onChange={(e) => setF({ ...f, account: e.currentTarget.checked })} />
          {' '}{t('coord.account')}
        </label>
        <p class="hint">{t('coord.accountHint')}</p>
      </AddForm>
    </Section>
  );
}

function VendorStatuses({ data, reload }: { data: Loaded; reload: () => void }) {
  const [party, setParty] = useState('');
  const [vulns, setVulns] = useState('');
  const s = data.statements;
  return (
    <Section id="h-statuses" title={t('coord.statuses')}>
      <p class="hint">{t('coord.statusesPurpose')}</p>
      {s.items.length > 0 && (
        <p class={s.unanswered > 0 ? 'notice' : 'notice ok'} role="status">
          {s.unanswered > 0 ? t('coord.unanswered', { count: s.unanswered }) : t('coord.allAnswered')}
        </p>
      )}
      {s.items.length === 0 ? <Empty text={t('coord.noQuestions')} /> : (
        <Table caption={t('coord.statuses')} class="cases" headers={[t('coord.party'), t('coord.vulnerability'), t('coord.status'),
                                                       t('coord.statement'), t('coord.asked')]}>
          {s.items.map((x) => (
            <tr>
              <td>{t('coord.partyRole', { name: x.party_name, role: tv('partyRole', x.role) })}</td>
              <td class="mono" data-label={t('coord.vulnerability')}>{x.vulnerability}</td>
              <td data-label={t('coord.status')}>
                {x.status
                  ? <span class={'vstatus vstatus-' + x.status}>{tv('vendorStatus', x.status)}</span>
                  : <span class="overdue">{t('coord.waitingSince', { since: formatDate(x.waiting_since ?? x.asked) })}</span>}
              </td>
              <td data-label={t('coord.statement')}>{x.statement || t('common.none')}
                {x.answered && <span class="hint block">{t('coord.answeredAt', { at: formatDate(x.answered) })}</span>}</td>
              <td data-label={t('coord.asked')}>{formatDate(x.asked)}</td>
            </tr>
          ))}
        </Table>
      )}
      {data.parties.length > 0 && (
        <>
          <h3>{t('coord.ask')}</h3>
          <AddForm title={t('coord.ask')} onSubmit={async () => {
            await post('/cases/' + data.c.id + '/statements',
                       { party: Number(party || data.parties[0].id),
                         vulnerabilities: vulns.split(/[\s,、]+/).filter((v) => v) });
            setVulns('');
            reload();
          }}>
            <Field label={t('coord.party')}>
              <ValueSelect name="party" value={party || String(data.parties[0].id)}
                           values={data.parties.map((p) => String(p.id))}
                           word={(v) => partyName(data.parties.find((p) => String(p.id) === v)!)}
                           onChange={setParty} />
            </Field>
            <TextField label={t('coord.vulnerabilities')} hint={t('coord.vulnerabilitiesHint')} name="vulnerabilities"
                       required value={vulns} onChange={setVulns} />
          </AddForm>
        </>
      )}
    </Section>
  );
}

function MessageItem({ m, parties, users }: { m: Message; parties: Party[]; users: User[] }) {
  const p = parties.find((x) => x.id === m.party);
  const who = m.direction === 'out'
    ? t('coord.fromTeam', { user: m.author ? userName(users, m.author) : t('coord.team') })
    : t('coord.fromParty', { name: p ? partyName(p) : t('coord.unknownParty') });
  return (
    <li class={'message message-' + m.direction}>
      <p class="message-head"><strong>{who}</strong> <span class="hint">{formatDate(m.created)}</span>
        {m.encrypted ? <span class="tag">{t('coord.encrypted')}</span> : null}</p>
      <p class="message-body">{m.body}</p>
    </li>
  );
}

function Thread(props: { id: string; title: string; hint: string; messages: Message[]; party: number | null;
                         data: Loaded; reload: () => void }) {
  const [sent, setSent] = useState<string | null>(null);
  return (
    <Section id={props.id} title={props.title} class="card thread">
      <p class="hint">{props.hint}</p>
      {props.messages.length === 0 ? <Empty text={t('coord.noMessages')} /> : (
        <ol class="plain messages">
          {props.messages.map((m) => <MessageItem m={m} parties={props.data.parties} users={props.data.users} />)}
        </ol>
      )}
      {sent && <p class="notice ok" role="status">{sent}</p>}
      <WriteForm label={t('coord.writeOn', { thread: props.title })} field={t('coord.message')} button={t('coord.send')}
                 rows={3} send={async (body) => {
        const b: Record<string, unknown> = { body };
        if (props.party !== null) b.party = props.party;
        const m = await post<{ mail?: { to?: string; sent: boolean }[] }>('/cases/' + props.data.c.id + '/messages', b);
        const mailed = (m.mail ?? []).filter((x) => x.sent).length;
        setSent(mailed > 0 ? t('coord.sentMail', { count: mailed }) : t('coord.sent'));
        props.reload();
      }} />
    </Section>
  );
}

function Threads({ data, reload }: { data: Loaded; reload: () => void }) {
  return (
    <>
      <Thread id="h-thread-shared" title={t('coord.sharedThread')} hint={t('coord.sharedHint')} party={null}
              messages={data.messages.filter((m) => m.party === null)} data={data} reload={reload} />
      {data.parties.map((p) => (
        <Thread id={'h-thread-' + p.id} title={t('coord.threadWith', { name: partyName(p), role: tv('partyRole', p.role) })}
                hint={t('coord.privateHint')} party={p.id} messages={data.messages.filter((m) => m.party === p.id)}
                data={data} reload={reload} />
      ))}
    </>
  );
}

// A message to write on a thread (the team's or a party's side); cleared
// once sent.
export function WriteForm(props: { label: string; field: string; button: string; rows: number;
                                   send: (body: string) => Promise<void> }) {
  const [body, setBody] = useState('');
  return (
    <Form label={props.label} onSubmit={async () => {
      await props.send(body);
      setBody('');
    }}>
      <Field label={props.field}>
        <textarea name="body" rows={props.rows} required value={body} onInput={(e) => setBody(value(e))} />
      </Field>
      <Submit text={props.button} />
    </Form>
  );
}
