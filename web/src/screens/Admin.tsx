// Admin.tsx — running the organisation in xsirt: teams and their members
// and service levels, users, API tokens, workflows, escalation rules and
// (administrators) the organisation's settings; notification rules and
// what each role may do.
// Everyone sees what the API lets them see; forms that only
// administrators may use are shown to administrators.
import { useState } from 'preact/hooks';
import { call, get, post, type EscalationRule, type List, type Member, type NewToken, type Organisation, type Principal,
         type ServiceLevel, type Team, type Token, type User, type Workflow } from '../api';
import { formatDate, list, t, tv } from '../i18n';
import { forget, loadTeams, loadUsers, teamName } from '../data';
import { AddForm, CreateSection, Empty, ErrorBox, Field, Loading, Page, Section, SEVERITIES, SeverityField, severityWord,
         Table, TextField, TlpField, UserSelect, useLoad, value, ValueSelect, WordField, Status } from '../components';

import { SettingsScreen } from './Feeds';
import { NotificationRules } from './NotificationRules';
import { Roles } from './Roles';

const TEAM_KINDS = ['CSIRT', 'PSIRT', 'DSIRT', 'SSIRT', 'FSIRT', 'SOC', 'other'];

export function Admin({ path, me }: { path: string; me: Principal }) {
  const tabs = [
    { href: '/admin', text: t('admin.teams') },
    { href: '/admin/users', text: t('admin.users') },
    { href: '/admin/organisations', text: t('admin.organisations') },
    { href: '/admin/tokens', text: t('admin.tokens') },
    { href: '/admin/workflows', text: t('admin.workflows') },
    { href: '/admin/escalation-rules', text: t('admin.escalationRules') },
    { href: '/admin/notification-rules', text: t('admin.notificationRules') },
    { href: '/admin/roles', text: t('admin.roles') },
    ...(me.admin ? [{ href: '/admin/settings', text: t('nav.settings') }] : []),
  ];
  const current = (href: string) => (href === '/admin' ? path === '/admin' || path.startsWith('/admin/teams') : path === href);
  let m: RegExpExecArray | null;
  let body;
  if ((m = /^\/admin\/teams\/(\d+)$/.exec(path))) body = <TeamDetail id={Number(m[1])} me={me} />;
  else if (path === '/admin/users') body = <Users me={me} />;
  else if (path === '/admin/organisations') body = <Organisations me={me} />;
  else if (path === '/admin/tokens') body = <Tokens />;
  else if (path === '/admin/workflows') body = <Workflows />;
  else if (path === '/admin/escalation-rules') body = <Rules me={me} />;
  else if (path === '/admin/settings') body = <SettingsScreen me={me} />;
  else if (path === '/admin/notification-rules') body = <NotificationRules />;
  else if (path === '/admin/roles') body = <Roles />;
  else body = <Teams me={me} />;
  return (
    <div class="admin">
      <nav aria-label={t('admin.sections')} class="tabs">
        <ul>
          {tabs.map((x) => <li><a href={x.href} aria-current={current(x.href) ? 'page' : undefined}>{x.text}</a></li>)}
        </ul>
      </nav>
      {body}
    </div>
  );
}

function Teams({ me }: { me: Principal }) {
  const { data, error, reload } = useLoad(() => get<List<Team>>('/teams?limit=200'), []);
  const [f, setF] = useState({ name: '', kind: 'CSIRT', parent: '', description: '' });
  const create = async () => {
    await post('/teams', { name: f.name, kind: f.kind, description: f.description,
                           ...(f.parent ? { parent: Number(f.parent) } : {}) });
    setF({ name: '', kind: 'CSIRT', parent: '', description: '' });
    forget();
    reload();
  };
  return (
    <Page title={t('admin.teams')} purpose={t('teams.purpose')}>
      <Status data={data} error={error} />
      {data && (data.items.length === 0 ? <Empty text={t('teams.empty')} /> : (
        <Table headers={[t('teams.name'), t('teams.kind'), t('teams.parent'), t('teams.description')]}>
          {data.items.map((x) => (
            <tr>
              <td><a href={'/admin/teams/' + x.id}>{x.name}</a></td>
              <td>{x.kind}</td>
              <td>{x.parent ? teamName(data.items, x.parent) : t('common.none')}</td>
              <td>{x.description}</td>
            </tr>
          ))}
        </Table>
      ))}
      {me.admin && data && (
        <CreateSection id="h-new-team" title={t('teams.create')} onSubmit={create}>
          <TextField label={t('teams.name')} name="name" required value={f.name} onChange={(v) => setF({ ...f, name: v })} />
          <Field label={t('teams.kind')}>
            <ValueSelect name="kind" value={f.kind} values={TEAM_KINDS} word={(k) => k}
                         onChange={(v) => setF({ ...f, kind: v })} />
          </Field>
          <Field label={t('teams.parent')}>
            <ValueSelect name="parent" value={f.parent} values={data.items.map((x) => String(x.id))}
                         word={(v) => teamName(data.items, Number(v))} blank={t('common.none')}
                         onChange={(v) => setF({ ...f, parent: v })} />
          </Field>
          <TextField label={t('teams.description')} name="description" value={f.description} onChange={(v) => setF({ ...f, description: v })} />
        </CreateSection>
      )}
    </Page>
  );
}

function TeamDetail({ id, me }: { id: number; me: Principal }) {
  const { data, error, reload } = useLoad(async () => {
    const [team, members, levels, users] = await Promise.all([
      get<Team>('/teams/' + id), get<List<Member>>('/teams/' + id + '/members'),
      get<List<ServiceLevel>>('/teams/' + id + '/service-levels'), loadUsers()]);
    return { team, members: members.items, levels: levels.items, users };
  }, [id]);
  const [m, setM] = useState({ user: '', role: 'member' });
  const [sl, setSl] = useState({ severity: 'critical', acknowledge_hours: '', triage_hours: '', remediate_hours: '' });
  const canManage = me.admin || data?.members.some((x) => x.user === me.id && x.role === 'lead');
  if (error) return <Page title={t('teams.detail')} purpose={t('teams.detailPurpose')}><ErrorBox error={error} /></Page>;
  if (!data) return <Loading />;
  const addMember = async () => {
    await call('PUT', '/teams/' + id + '/members/' + Number(m.user), { role: m.role });
    reload();
  };
  const remove = async (user: number) => {
    await call('DELETE', '/teams/' + id + '/members/' + user);
    reload();
  };
  const setLevel = async () => {
    await call('PUT', '/teams/' + id + '/service-levels', { severity: sl.severity,
      acknowledge_hours: Number(sl.acknowledge_hours), triage_hours: Number(sl.triage_hours),
      remediate_hours: Number(sl.remediate_hours) });
    reload();
  };
  return (
    <Page title={t('teams.detailTitle', { name: data.team.name, kind: data.team.kind })} purpose={t('teams.detailPurpose')}>
      {data.team.description && <p>{data.team.description}</p>}
      <Section id="h-members" title={t('members.title')}>
        {data.members.length === 0 ? <Empty text={t('members.empty')} /> : (
          <ul class="plain">
            {data.members.map((x) => (
              <li>
                {t('members.item', { user: x.username, role: tv('teamRole', x.role) })}{' '}
                {canManage && <button type="button" class="small" onClick={() => remove(x.user)}
                                      aria-label={t('members.removeAria', { user: x.username })}>{t('members.remove')}</button>}
              </li>
            ))}
          </ul>
        )}
        {canManage && (
          <AddForm title={t('members.add')} onSubmit={addMember}>
            <Field label={t('members.user')}>
              <UserSelect name="user" value={m.user} users={data.users} blank={t('common.choose')}
                          onChange={(v) => setM({ ...m, user: v })} />
            </Field>
            <WordField label={t('members.role')} name="role" value={m.role} values={['lead', 'member', 'viewer']} prefix="teamRole" onChange={(v) => setM({ ...m, role: v })} />
          </AddForm>
        )}
      </Section>
      <Section id="h-levels" title={t('levels.title')}>
        <p class="hint">{t('levels.purpose')}</p>
        <Table headers={[t('case.severity'), t('levels.acknowledge'), t('levels.triage'), t('levels.remediate')]}>
          {data.levels.map((x) => (
            <tr><th scope="row">{tv('severity', x.severity)}</th>
              <td>{t('levels.hours', { hours: x.acknowledge_hours })}</td>
              <td>{t('levels.hours', { hours: x.triage_hours })}</td>
              <td>{t('levels.hours', { hours: x.remediate_hours })}</td></tr>
          ))}
        </Table>
        {canManage && (
          <AddForm title={t('levels.set')} onSubmit={setLevel}>
            <Field label={t('case.severity')}>
              <ValueSelect name="severity" value={sl.severity} values={SEVERITIES.filter((x) => x !== 'none')}
                           word={severityWord} onChange={(v) => setSl({ ...sl, severity: v })} />
            </Field>
            {(['acknowledge_hours', 'triage_hours', 'remediate_hours'] as const).map((k) => (
              <Field label={t(k === 'acknowledge_hours' ? 'levels.acknowledgeHours' : k === 'triage_hours' ? 'levels.triageHours' : 'levels.remediateHours')}>
                <input name={k} type="number" min={1} required value={sl[k]} onInput={(e) => setSl({ ...sl, [k]: value(e) })} />
              </Field>
            ))}
          </AddForm>
        )}
      </Section>
    </Page>
  );
}

function Users({ me }: { me: Principal }) {
  const { data, error, reload } = useLoad(() => get<List<User>>('/users?limit=200'), []);
  const [f, setF] = useState({ username: '', display_name: '', email: '', password: '', role: 'user' });
  const create = async () => {
    await post('/users', { username: f.username, display_name: f.display_name, role: f.role,
                           ...(f.email ? { email: f.email } : {}), ...(f.password ? { password: f.password } : {}) });
    setF({ username: '', display_name: '', email: '', password: '', role: 'user' });
    forget();
    reload();
  };
  return (
    <Page title={t('admin.users')} purpose={t('users.purpose')}>
      <Status data={data} error={error} />
      {data && (
        <Table headers={[t('users.username'), t('users.displayName'), t('users.email'), t('users.role'), t('users.status')]}>
          {data.items.map((u) => (
            <tr><td>{u.username}</td><td>{u.display_name}</td><td>{u.email ?? t('common.none')}</td>
              <td>{tv('userRole', u.role)}</td><td>{u.disabled ? t('users.disabled') : t('users.active')}</td></tr>
          ))}
        </Table>
      )}
      {me.admin && (
        <CreateSection id="h-new-user" title={t('users.create')} onSubmit={create}>
          <TextField label={t('users.username')} name="username" required autoComplete="off" value={f.username} onChange={(v) => setF({ ...f, username: v })} />
          <TextField label={t('users.displayName')} name="display_name" value={f.display_name} onChange={(v) => setF({ ...f, display_name: v })} />
          <TextField label={t('users.email')} name="email" type="email" value={f.email} onChange={(v) => setF({ ...f, email: v })} />
          <TextField label={t('users.password')} hint={t('users.passwordHint')} name="password" type="password" minLength={12} autoComplete="new-password" value={f.password} onChange={(v) => setF({ ...f, password: v })} />
          <WordField label={t('users.role')} name="role" value={f.role} values={['user', 'auditor', 'admin']} prefix="userRole" onChange={(v) => setF({ ...f, role: v })} />
        </CreateSection>
      )}
    </Page>
  );
}

const ORGANISATION_KINDS = ['coordinator', 'supplier', 'customer', 'researcher', 'vendor', 'partner', 'other'];

function Organisations({ me }: { me: Principal }) {
  const { data, error, reload } = useLoad(() => get<List<Organisation>>('/organisations?limit=200'), []);
  const [f, setF] = useState({ name: '', kind: 'coordinator' });
  const create = async () => {
    await post('/organisations', f);
    setF({ name: '', kind: 'coordinator' });
    reload();
  };
  return (
    <Page title={t('admin.organisations')} purpose={t('organisations.purpose')}>
      <Status data={data} error={error} />
      {data && (data.items.length === 0 ? <Empty text={t('organisations.empty')} /> : (
        <Table headers={[t('organisations.name'), t('organisations.kind')]}>
          {data.items.map((o) => <tr><td>{o.name}</td><td>{tv('organisationKind', o.kind)}</td></tr>)}
        </Table>
      ))}
      {me.admin && (
        <CreateSection id="h-new-organisation" title={t('organisations.create')} onSubmit={create}>
          <TextField label={t('organisations.name')} name="name" required value={f.name}
                     onChange={(v) => setF({ ...f, name: v })} />
          <WordField label={t('organisations.kind')} name="kind" value={f.kind} values={ORGANISATION_KINDS}
                     prefix="organisationKind" onChange={(v) => setF({ ...f, kind: v })} />
        </CreateSection>
      )}
    </Page>
  );
}

function Tokens() {
  const { data, error, reload } = useLoad(() => get<List<Token>>('/tokens'), []);
  const [name, setName] = useState('');
  const [secret, setSecret] = useState<string | null>(null);
  const create = async () => {
    const tok = await post<NewToken>('/tokens', { name });
    setSecret(tok.token);
    setName('');
    reload();
  };
  const revoke = async (id: number) => {
    await call('DELETE', '/tokens/' + id);
    reload();
  };
  return (
    <Page title={t('admin.tokens')} purpose={t('tokens.purpose')}>
      {secret && (
        <div class="notice" role="status">
          <p>{t('tokens.shownOnce')}</p>
          <code class="secret">{secret}</code>
        </div>
      )}
      <Status data={data} error={error} />
      {data && (data.items.length === 0 ? <Empty text={t('tokens.empty')} /> : (
        <Table headers={[t('tokens.name'), t('tokens.prefix'), t('tokens.created'), t('tokens.lastUsed'), t('tokens.status'), <span class="sr-only">{t('tokens.actions')}</span>]}>
          {data.items.map((x) => (
            <tr><td>{x.name}</td><td class="mono">{x.prefix}</td><td>{formatDate(x.created)}</td>
              <td>{formatDate(x.last_used)}</td>
              <td>{x.revoked ? t('tokens.revokedAt', { at: formatDate(x.revoked) }) : t('tokens.valid')}</td>
              <td>{!x.revoked && <button type="button" class="small" onClick={() => revoke(x.id)}
                                         aria-label={t('tokens.revokeAria', { name: x.name })}>{t('tokens.revoke')}</button>}</td></tr>
          ))}
        </Table>
      ))}
      <CreateSection id="h-new-token" title={t('tokens.create')} onSubmit={create}>
        <Field label={t('tokens.name')}><input name="name" required value={name} onInput={(e) => setName(value(e))} /></Field>
      </CreateSection>
    </Page>
  );
}

function Workflows() {
  const { data, error } = useLoad(() => get<List<Workflow>>('/workflows'), []);
  return (
    <Page title={t('admin.workflows')} purpose={t('workflows.purpose')}>
      <Status data={data} error={error} />
      {data?.items.map((w) => (
        <Section id={'wf-' + w.id} title={tv('workflowName', w.name)} class="card">
          <p>{tv('workflowDescription', w.name, w.description)}</p>
          <p class="meta">{t('workflows.kinds', { kinds: list(w.kinds.map((k) => tv('kind', k))) })}</p>
          <ol class="states" aria-label={t('workflow.statesAria')}>
            {w.states.map((s) => <li>{s.terminal ? t('workflows.terminal', { state: tv('state', s.name, s.label) }) : tv('state', s.name, s.label)}</li>)}
          </ol>
          <Table headers={[t('workflows.from'), t('workflows.to'), t('workflows.requires')]}>
            {w.transitions.map((x) => (
              <tr><td>{tv('state', x.from)}</td><td>{tv('state', x.to)}</td>
                <td>{x.requires.length ? list(x.requires.map((r) => tv('field', r))) : t('common.none')}</td></tr>
            ))}
          </Table>
        </Section>
      ))}
    </Page>
  );
}

function Rules({ me }: { me: Principal }) {
  const { data, error, reload } = useLoad(async () => {
    const [rules, teams] = await Promise.all([get<List<EscalationRule>>('/escalation-rules'), loadTeams()]);
    return { rules: rules.items, teams };
  }, []);
  const [f, setF] = useState({ name: '', team: '', severity: '', tlp: '', overdue: false, target_kind: 'group', target: '' });
  const create = async () => {
    const condition: Record<string, unknown> = {};
    if (f.severity) condition.severity = [f.severity];
    if (f.tlp) condition.tlp = [f.tlp];
    if (f.overdue) condition.overdue = true;
    await post('/escalation-rules', { name: f.name, condition, target_kind: f.target_kind, target: f.target,
                                      ...(f.team ? { team: Number(f.team) } : {}) });
    setF({ name: '', team: '', severity: '', tlp: '', overdue: false, target_kind: 'group', target: '' });
    reload();
  };
  const [failed, setFailed] = useState<unknown>(null);
  // A rule that fired stays (the cases' timelines name it): it is turned off, not deleted.
  const toggle = async (r: EscalationRule) => {
    try {
      await call('PATCH', '/escalation-rules/' + r.id, { enabled: !r.enabled }, { 'If-Match': `"${r.revision}"` });
      setFailed(null);
    } catch (e) {
      setFailed(e);
    }
    reload();
  };
  const describe = (r: EscalationRule) => {
    const parts: string[] = [];
    if (r.condition.severity) parts.push(t('rules.whenSeverity', { values: list(r.condition.severity.map((s) => tv('severity', s)), 'disjunction') }));
    if (r.condition.tlp) parts.push(t('rules.whenTlp', { values: list(r.condition.tlp, 'disjunction') }));
    if (r.condition.kind) parts.push(t('rules.whenKind', { values: list(r.condition.kind.map((k) => tv('kind', k)), 'disjunction') }));
    if (r.condition.classification) parts.push(t('rules.whenClassification', { values: list(r.condition.classification, 'disjunction') }));
    if (r.condition.overdue) parts.push(t('rules.whenOverdue'));
    return parts.length ? list(parts) : t('rules.always');
  };
  return (
    <Page title={t('admin.escalationRules')} purpose={t('rules.purpose')}>
      <Status data={data} error={error} />
      {failed !== null && <ErrorBox error={failed} />}
      {data && (data.rules.length === 0 ? <Empty text={t('rules.empty')} /> : (
        <Table headers={[t('rules.name'), t('rules.team'), t('rules.condition'), t('rules.target'), t('rules.status')]}>
          {data.rules.map((r) => (
            <tr><td>{r.name}</td><td>{r.team ? teamName(data.teams, r.team) : t('rules.allTeams')}</td>
              <td>{describe(r)}</td><td>{t('rules.targetItem', { kind: tv('targetKind', r.target_kind), target: r.target })}</td>
              <td>{r.enabled ? t('rules.enabled') : t('rules.disabled')}
                {me.admin && (
                  <button type="button" class="link" onClick={() => toggle(r)}
                          aria-label={t(r.enabled ? 'rules.disableNamed' : 'rules.enableNamed', { name: r.name })}>
                    {t(r.enabled ? 'rules.disable' : 'rules.enable')}
                  </button>
                )}</td></tr>
          ))}
        </Table>
      ))}
      {me.admin && data && (
        <CreateSection id="h-new-rule" title={t('rules.create')} onSubmit={create}>
          <TextField label={t('rules.name')} name="name" required value={f.name} onChange={(v) => setF({ ...f, name: v })} />
          <Field label={t('rules.team')}>
            <ValueSelect name="team" value={f.team} values={data.teams.map((x) => String(x.id))}
                         word={(v) => teamName(data.teams, Number(v))} blank={t('rules.allTeams')}
                         onChange={(v) => setF({ ...f, team: v })} />
          </Field>
          <SeverityField value={f.severity} blank={t('common.any')} onChange={(v) => setF({ ...f, severity: v })} />
          <TlpField value={f.tlp} blank={t('common.any')} onChange={(v) => setF({ ...f, tlp: v })} />
          <label class="check">
            <input type="checkbox" checked={f.overdue} onChange={(e) => setF({ ...f, overdue: e.currentTarget.checked })} />
            {t('rules.onlyOverdue')}
          </label>
          <WordField label={t('rules.targetKind')} name="target_kind" value={f.target_kind} values={['group', 'role']} prefix="targetKind" onChange={(v) => setF({ ...f, target_kind: v })} />
          <TextField label={t('rules.target')} hint={t('rules.targetHint')} name="target" required value={f.target} onChange={(v) => setF({ ...f, target: v })} />
        </CreateSection>
      )}
    </Page>
  );
}
