// CaseDetail.tsx — one case and everything done on it: its labels (TLP,
// severity, state in words), the SLA clocks, the transitions its workflow
// offers from here, the timeline with notes in Markdown, tasks,
// participants, links and escalations. Changes send the revision the
// user saw (If-Match), so nobody overwrites a colleague's change unseen.
import { useState } from 'preact/hooks';
import { call, get, post, type Case, type Escalation, type List, type Principal, type Task,
         type TimelineEvent, type Organisation, type Finding } from '../api';
import { formatDate, formatDateUtcAndLocal, list, t, tv } from '../i18n';
import { loadTeams, loadUsers, loadWorkflows, teamName, userName, workflowOf } from '../data';
import { DisclosureActions } from './Coordination';
import { Markdown } from '../markdown';
import { AddForm, Empty, ErrorBox, Field, Form, Items, Loading, OverdueLabel, Page, Section, SeverityField,
         SeverityLabel, StateLabel, Status, Submit, TlpField, TlpLabel, UserSelect, useLoad, value, WordField } from '../components';
import { FindingTable } from './Findings';
import { loadAssets } from './Assets';
import { CaseReport } from './CaseReport';

const ROLES = ['internal', 'reporter', 'finder', 'supplier', 'customer', 'coordinator', 'vendor', 'other'];
const LINK_KINDS = ['related', 'duplicate-of', 'parent-of', 'child-of'];

async function load(id: number) {
  const [answer, timeline, tasks, escalations, teams, users, workflows, orgs] = await Promise.all([
    call<Case>('GET', '/cases/' + id),
    get<List<TimelineEvent>>('/cases/' + id + '/timeline?limit=200'),
    get<List<Task>>('/cases/' + id + '/tasks'),
    get<List<Escalation>>('/cases/' + id + '/escalations'),
    loadTeams(), loadUsers(), loadWorkflows(),
    get<List<Organisation>>('/organisations').then((l) => l.items, () => [] as Organisation[]),
  ]);
  return { c: answer.body, etag: answer.etag, timeline: timeline.items, tasks: tasks.items,
           escalations: escalations.items, teams, users, workflows, orgs };
}

type Loaded = Awaited<ReturnType<typeof load>>;

export function CaseDetail({ id }: { id: number; me: Principal }) {
  const { data, error, reload } = useLoad(() => load(id), [id]);
  if (error) return <Page title={t('case.notFoundTitle')} purpose={t('case.notFound')}><ErrorBox error={error} /></Page>;
  if (!data) return <Loading />;
  const c = data.c;
  const wf = workflowOf(data.workflows, c.kind);
  const stateLabel = wf?.states.find((s) => s.name === c.state)?.label;
  return (
    <Page title={c.title} purpose={t('case.purpose')}
          actions={<DisclosureActions caseId={c.id} coordination />}>
      <div class="case-labels" aria-label={t('case.labelsAria')}>
        <span>{t('case.number', { id: c.id })}</span>
        <TlpLabel tlp={c.tlp} />
        <SeverityLabel severity={c.severity} />
        <StateLabel state={c.state} label={stateLabel} />
        {c.sla.overdue && <OverdueLabel />}
      </div>
      <div class="case-grid">
        <div class="case-main">
          <Transitions data={data} reload={reload} />
          {c.findings && c.findings.length > 0 && <CaseFindings ids={c.findings} />}
          <Section id="h-description" title={t('case.description')}>
            {c.description ? <Markdown text={c.description} /> : <Empty text={t('case.noDescription')} />}
          </Section>
          <Timeline data={data} reload={reload} />
        </div>
        <aside class="case-side">
          <Facts data={data} />
          <Sla c={c} />
          <Edit data={data} reload={reload} />
          <Tasks data={data} reload={reload} />
          <Participants data={data} reload={reload} />
          <Links data={data} reload={reload} />
          <Escalations data={data} />
          <CaseReport id={c.id} />
        </aside>
      </div>
    </Page>
  );
}

function Facts({ data }: { data: Loaded }) {
  const c = data.c;
  return (
    <Section id="h-facts" title={t('case.facts')}>
      <dl class="facts">
        <dt>{t('case.kind')}</dt><dd>{tv('kind', c.kind)}</dd>
        <dt>{t('case.team')}</dt><dd>{teamName(data.teams, c.team)}</dd>
        <dt>{t('case.assignee')}</dt><dd>{c.assignee ? userName(data.users, c.assignee) : t('case.unassigned')}</dd>
        <dt>{t('case.tlp')}</dt><dd><TlpLabel tlp={c.tlp} /> {tv('tlp.help', c.tlp)}</dd>
        {c.cvss && <><dt>{t('case.cvss')}</dt><dd class="mono">{c.cvss}</dd></>}
        {c.score !== null && <><dt>{t('case.score')}</dt><dd>{c.score}</dd></>}
        {c.classification && <><dt>{t('case.classification')}</dt><dd class="mono">{c.classification}</dd></>}
        {c.labels.length > 0 && <><dt>{t('case.labels')}</dt><dd>{c.labels.map((l) => <span class="tag">{l}</span>)}</dd></>}
        <dt>{t('case.embargo')}</dt><dd>{formatDateUtcAndLocal(c.embargo)}</dd>
        <dt>{t('case.due')}</dt><dd>{formatDate(c.due)}</dd>
        {c.resolution && <><dt>{t('case.resolution')}</dt><dd>{c.resolution}</dd></>}
        <dt>{t('case.created')}</dt><dd>{formatDate(c.created)}</dd>
        <dt>{t('case.updated')}</dt><dd>{formatDate(c.updated)}</dd>
      </dl>
    </Section>
  );
}

function Sla({ c }: { c: Case }) {
  const rows: [string, string | null, string | null][] = [
    [t('sla.acknowledge'), c.sla.acknowledge, c.sla.acknowledged],
    [t('sla.triage'), c.sla.triage, c.sla.triaged],
    [t('sla.remediate'), c.sla.remediate, c.sla.closed],
  ];
  const now = Date.now();
  return (
    <Section id="h-sla" title={t('sla.title')}>
      <p class="hint">{t('sla.purpose')}</p>
      <table class="sla">
        <thead><tr><th scope="col">{t('sla.clock')}</th><th scope="col">{t('sla.due')}</th><th scope="col">{t('sla.status')}</th></tr></thead>
        <tbody>
          {rows.map(([name, due, done]) => (
            <tr>
              <th scope="row">{name}</th>
              <td>{formatDate(due)}</td>
              <td>{done ? t('sla.metAt', { at: formatDate(done) })
                   : due && new Date(due).getTime() < now ? <OverdueLabel /> : t('sla.running')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Section>
  );
}

function Transitions({ data, reload }: { data: Loaded; reload: () => void }) {
  const c = data.c;
  const wf = workflowOf(data.workflows, c.kind);
  const offered = wf?.transitions.filter((x) => x.from === c.state) ?? [];
  const [chosen, setChosen] = useState<string | null>(null);
  const [resolution, setResolution] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const move = async (to: string, extra: Record<string, string> = {}) => {
    setError(null);
    try {
      await call('POST', '/cases/' + c.id + '/transitions', { to, ...extra },
                 data.etag ? { 'If-Match': data.etag } : {});
      setChosen(null);
      setResolution('');
      setNote('');
      reload();
    } catch (e) {
      setError(e);
    }
  };
  const pending = offered.find((x) => x.to === chosen);
  return (
    <Section id="h-workflow" title={t('workflow.next')} class="workflow">
      {wf && (
        <ol class="states" aria-label={t('workflow.statesAria')}>
          {wf.states.map((s) => (
            <li class={s.name === c.state ? 'current' : ''} aria-current={s.name === c.state ? 'step' : undefined}>
              {tv('state', s.name, s.label)}
            </li>
          ))}
        </ol>
      )}
      {offered.length === 0 ? <Empty text={t('workflow.none')} /> : (
        <div class="buttons">
          {offered.map((x) => (
            <button type="button" class={chosen === x.to ? 'primary' : ''}
                    onClick={() => (x.requires.length > 0 ? setChosen(x.to) : move(x.to))}>
              {t('workflow.moveTo', { state: tv('state', x.to, wf!.states.find((s) => s.name === x.to)?.label) })}
            </button>
          ))}
        </div>
      )}
      {pending && (
        <Form label={t('workflow.confirm')} onSubmit={() => move(pending.to, { resolution, ...(note ? { note } : {}) })}>
          <Field label={t('case.resolution')} hint={t('workflow.resolutionHint')}>
            <textarea name="resolution" required rows={3} value={resolution} onInput={(e) => setResolution(value(e))} />
          </Field>
          <Field label={t('workflow.note')}>
            <input name="note" value={note} onInput={(e) => setNote(value(e))} />
          </Field>
          <Submit text={t('workflow.confirm')} />
        </Form>
      )}
      <ErrorBox error={error} />
    </Section>
  );
}

function eventText(e: TimelineEvent, data: Loaded): string {
  const d = e.data as Record<string, any>;
  const who = e.actor_name ?? t('timeline.system');
  const wf = workflowOf(data.workflows, data.c.kind);
  const label = (s: string) => tv('state', s, wf?.states.find((x) => x.name === s)?.label);
  switch (e.kind) {
    case 'created': return t('timeline.created', { who, state: label(String(d.state ?? '')) });
    case 'transition': return t('timeline.transition', { who, from: label(String(d.from)), to: label(String(d.to)) });
    case 'note': return t('timeline.note', { who });
    case 'updated': return t('timeline.updated', { who, fields: list(Object.keys(d.fields ?? {}).map((f) => tv('field', f))) });
    case 'task': return t('timeline.task', { who, title: String(d.title ?? '') });
    case 'participant': return t('timeline.participant', { who, role: tv('role', String(d.role ?? '')) });
    case 'link': return t('timeline.link', { who, kind: tv('link', String(d.kind ?? '')), target: String(d.target ?? '') });
    case 'escalation': return t('timeline.escalation', { who });
    default: return t('timeline.other', { who, kind: e.kind });
  }
}

function Timeline({ data, reload }: { data: Loaded; reload: () => void }) {
  const [body, setBody] = useState('');
  const add = async () => {
    await post('/cases/' + data.c.id + '/notes', { body });
    setBody('');
    reload();
  };
  return (
    <Section id="h-timeline" title={t('timeline.title')}>
      <ol class="timeline">
        {data.timeline.map((e) => (
          <li class={'event event-' + e.kind}>
            <div class="event-head">
              <span>{eventText(e, data)}</span>
              <time dateTime={e.at}>{formatDate(e.at)}</time>
            </div>
            {e.body && <Markdown text={e.body} />}
          </li>
        ))}
      </ol>
      <AddForm title={t('timeline.addNote')} onSubmit={add}>
        <Field label={t('timeline.noteLabel')} hint={t('markdown.hint')}>
          <textarea name="note" required rows={4} value={body} onInput={(e) => setBody(value(e))} />
        </Field>
      </AddForm>
    </Section>
  );
}

function Edit({ data, reload }: { data: Loaded; reload: () => void }) {
  const c = data.c;
  const [f, setF] = useState({ assignee: c.assignee ? String(c.assignee) : '', severity: c.severity ?? '', tlp: c.tlp });
  const save = async () => {
    const body: Record<string, unknown> = {};
    if (f.assignee !== (c.assignee ? String(c.assignee) : '')) body.assignee = f.assignee ? Number(f.assignee) : null;
    if (f.severity !== (c.severity ?? '')) body.severity = f.severity || null;
    if (f.tlp !== c.tlp) body.tlp = f.tlp;
    if (Object.keys(body).length === 0) return;
    await call('PATCH', '/cases/' + c.id, body, data.etag ? { 'If-Match': data.etag } : {});
    reload();
  };
  return (
    <Section id="h-edit" title={t('case.change')}>
      <Form label={t('case.change')} onSubmit={save}>
        <Field label={t('case.assignee')}>
          <UserSelect name="assignee" value={f.assignee} users={data.users} blank={t('case.unassigned')}
                      onChange={(v) => setF({ ...f, assignee: v })} />
        </Field>
        <SeverityField value={f.severity} blank={t('severity.unset')} onChange={(v) => setF({ ...f, severity: v })} />
        <TlpField value={f.tlp} onChange={(v) => setF({ ...f, tlp: v })} />
        <Submit text={t('common.save')} />
      </Form>
    </Section>
  );
}

// The task list gives "done" as "0"/"1" today and a task as a boolean;
// both mean the same.
function isDone(x: Task): boolean {
  return x.done === true || x.done === '1' || x.done === 'true';
}

function Tasks({ data, reload }: { data: Loaded; reload: () => void }) {
  const [title, setTitle] = useState('');
  const [due, setDue] = useState('');
  const add = async () => {
    await post('/cases/' + data.c.id + '/tasks', { title, ...(due ? { due: new Date(due).toISOString() } : {}) });
    setTitle('');
    setDue('');
    reload();
  };
  return (
    <Section id="h-tasks" title={t('tasks.title')}>
      <Items items={data.tasks} empty={t('tasks.empty')}>
        {(x) => (
          <>
            <span class={isDone(x) ? 'done' : ''}>{isDone(x) ? t('tasks.doneItem', { title: x.title }) : x.title}</span>
            {x.due && <span class="meta">{t('tasks.dueAt', { at: formatDate(x.due) })}</span>}
          </>
        )}
      </Items>
      <AddForm title={t('tasks.add')} onSubmit={add}>
        <Field label={t('tasks.taskTitle')}>
          <input name="task" required value={title} onInput={(e) => setTitle(value(e))} />
        </Field>
        <Field label={t('tasks.due')}>
          <input name="due" type="datetime-local" value={due} onInput={(e) => setDue(value(e))} />
        </Field>
      </AddForm>
    </Section>
  );
}

function Participants({ data, reload }: { data: Loaded; reload: () => void }) {
  const [f, setF] = useState({ role: 'internal', who: '', name: '', email: '' });
  const add = async () => {
    const body: Record<string, unknown> = { role: f.role };
    const [kind, idText] = f.who.split(':');
    if (kind === 'team') body.team = Number(idText);
    else if (kind === 'user') body.user = Number(idText);
    else if (kind === 'org') body.organisation = Number(idText);
    if (f.name) body.name = f.name;
    if (f.email) body.email = f.email;
    await post('/cases/' + data.c.id + '/participants', body);
    setF({ role: 'internal', who: '', name: '', email: '' });
    reload();
  };
  const describe = (p: Loaded['c']['participants'][number]) => {
    if (p.user) return userName(data.users, p.user);
    if (p.team) return teamName(data.teams, p.team);
    if (p.organisation) return data.orgs.find((o) => o.id === p.organisation)?.name ?? '#' + p.organisation;
    return p.name ?? p.email ?? '';
  };
  const roleWord = (r: string) => tv('role', r);
  return (
    <Section id="h-participants" title={t('participants.title')}>
      <Items items={data.c.participants} empty={t('common.none')}>
        {(p) => t('participants.item', { who: describe(p), role: roleWord(p.role) })}
      </Items>
      <AddForm title={t('participants.add')} onSubmit={add}>
        <WordField label={t('participants.role')} name="role" value={f.role} values={ROLES} prefix="role" onChange={(v) => setF({ ...f, role: v })} />
        <Field label={t('participants.who')}>
          <select name="who" value={f.who} onChange={(e) => setF({ ...f, who: value(e) })}>
            <option value="">{t('participants.byName')}</option>
            <optgroup label={t('participants.teams')}>
              {data.teams.map((x) => <option value={'team:' + x.id}>{x.name}</option>)}
            </optgroup>
            <optgroup label={t('participants.users')}>
              {data.users.map((u) => <option value={'user:' + u.id}>{u.display_name || u.username}</option>)}
            </optgroup>
            <optgroup label={t('participants.organisations')}>
              {data.orgs.map((o) => <option value={'org:' + o.id}>{o.name}</option>)}
            </optgroup>
          </select>
        </Field>
        {f.who === '' && (
          <>
            <Field label={t('participants.name')}>
              <input name="name" value={f.name} onInput={(e) => setF({ ...f, name: value(e) })} />
            </Field>
            <Field label={t('participants.email')}>
              <input name="email" type="email" value={f.email} onInput={(e) => setF({ ...f, email: value(e) })} />
            </Field>
          </>
        )}
      </AddForm>
    </Section>
  );
}

function Links({ data, reload }: { data: Loaded; reload: () => void }) {
  const [target, setTarget] = useState('');
  const [kind, setKind] = useState('related');
  const add = async () => {
    await post('/cases/' + data.c.id + '/links', { target: Number(target), kind });
    setTarget('');
    reload();
  };
  const linkWord = (k: string) => tv('link', k);
  return (
    <Section id="h-links" title={t('links.title')}>
      <Items items={data.c.links} empty={t('links.empty')}>
        {(l) => <a href={'/cases/' + l.target}>{t('links.item', { kind: linkWord(l.kind), id: l.target })}</a>}
      </Items>
      <AddForm title={t('links.add')} onSubmit={add}>
        <WordField label={t('links.kind')} name="kind" value={kind} values={LINK_KINDS} prefix="link" onChange={setKind} />
        <Field label={t('links.target')}>
          <input name="target" type="number" min={1} required value={target} onInput={(e) => setTarget(value(e))} />
        </Field>
      </AddForm>
    </Section>
  );
}

function Escalations({ data }: { data: Loaded }) {
  return (
    <Section id="h-escalations" title={t('escalations.title')}>
      <Items items={data.escalations} empty={t('escalations.empty')}>
        {(e) => t('escalations.item', { target: e.target, at: formatDate(e.at), reason: e.reason })}
      </Items>
    </Section>
  );
}

// The findings the case was opened for (promoted from the findings list);
// closing the case as fixed resolves them.
function CaseFindings({ ids }: { ids: number[] }) {
  const { data, error } = useLoad(async () => {
    const [findings, assets] = await Promise.all([
      Promise.all(ids.map((x) => get<Finding>('/findings/' + x).catch(() => null))), loadAssets()]);
    return { findings: findings.filter((f): f is Finding => f !== null), assets };
  }, [ids.join(',')]);
  return (
    <Section id="h-case-findings" title={t('case.findings', { count: ids.length })}>
      <p class="hint">{t('case.findingsPurpose')}</p>
      <Status data={data} error={error} />
      {data && <FindingTable findings={data.findings} assets={data.assets} caption={t('case.findings', { count: ids.length })}
                             empty={t('findings.empty')} />}
    </Section>
  );
}
