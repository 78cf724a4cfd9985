// Dashboard.tsx — one person's day: the open cases assigned to them, what
// is overdue, and escalations raised on serious cases. Sections for new
// findings, KEV hits and embargoes join when their APIs exist.
import { get, query, type Case, type Escalation, type List, type Principal } from '../api';
import { formatDate, t } from '../i18n';
import { loadTeams, loadUsers, loadWorkflows } from '../data';
import { Page, Section, SeverityLabel, TlpLabel, useLoad, Empty, Status } from '../components';
import { CaseTable } from './CaseTable';

interface Escalated {
  c: Case;
  e: Escalation;
}

async function load(me: Principal) {
  const [mine, overdue, serious, teams, users, workflows] = await Promise.all([
    get<List<Case>>('/cases' + query({ assignee: me.id, limit: 100 })),
    get<List<Case>>('/cases' + query({ overdue: true, limit: 100 })),
    get<List<Case>>('/cases' + query({ severity: 'critical', limit: 20 })),
    loadTeams(),
    loadUsers(),
    loadWorkflows(),
  ]);
  const open = (c: Case) => !c.sla.closed;
  const esc = await Promise.all(serious.items.filter(open).map((c) =>
    get<List<Escalation>>('/cases/' + c.id + '/escalations').then((l) => l.items.map((e) => ({ c, e })),
                                                                   () => [] as Escalated[])));
  return { mine: mine.items.filter(open), overdue: overdue.items.filter(open), escalated: esc.flat(),
           teams, users, workflows };
}

export function Dashboard({ me }: { me: Principal }) {
  const { data, error } = useLoad(() => load(me), [me.id]);
  return (
    <Page title={t('dashboard.title')} purpose={t('dashboard.purpose')}
          actions={<a class="button primary" href="/cases/new">{t('case.new')}</a>}>
      <Status data={data} error={error} />
      {data && (
        <div class="dashboard" data-ready="true">
          <Section id="mine" title={t('dashboard.mine', { count: data.mine.length })}>
            <CaseTable cases={data.mine} teams={data.teams} users={data.users} workflows={data.workflows}
                       caption={t('dashboard.mineCaption')} empty={t('dashboard.mineEmpty')} />
          </Section>
          <Section id="overdue" title={t('dashboard.overdue', { count: data.overdue.length })}>
            <CaseTable cases={data.overdue} teams={data.teams} users={data.users} workflows={data.workflows}
                       caption={t('dashboard.overdueCaption')} empty={t('dashboard.overdueEmpty')} />
          </Section>
          <Section id="escalations" title={t('dashboard.escalations', { count: data.escalated.length })}>
            {data.escalated.length === 0 ? <Empty text={t('dashboard.escalationsEmpty')} /> : (
              <ul class="escalations">
                {data.escalated.map(({ c, e }) => (
                  <li>
                    <TlpLabel tlp={c.tlp} /> <SeverityLabel severity={c.severity} />{' '}
                    <a href={'/cases/' + c.id}>{c.title}</a>
                    <span class="meta">{t('dashboard.escalatedTo', { target: e.target, at: formatDate(e.at) })}</span>
                  </li>
                ))}
              </ul>
            )}
          </Section>
        </div>
      )}
    </Page>
  );
}
