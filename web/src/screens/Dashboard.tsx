// Dashboard.tsx — one person's day: the open cases assigned to them, what
// is overdue, escalations raised on serious cases, new findings at P1 and
// P2 still in triage and in no case yet, and findings of vulnerabilities in
// CISA's KEV.
import { get, query, type Case, type Escalation, type Finding, type List, type Principal } from '../api';
import { formatDate, t } from '../i18n';
import { loadTeams, loadUsers, loadWorkflows } from '../data';
import { Page, Section, SeverityLabel, TlpLabel, useLoad, Empty, Status } from '../components';
import { CaseTable } from './CaseTable';
import { byUrgency, FindingTable } from './Findings';
import { loadAssets } from './Assets';

interface Escalated {
  c: Case;
  e: Escalation;
}

async function load(me: Principal) {
  const open = { state: 'in_triage', active: true, limit: 20 };
  const [mine, overdue, serious, teams, users, workflows, p1, p2, kev, assets] = await Promise.all([
    get<List<Case>>('/cases' + query({ assignee: me.id, limit: 100 })),
    get<List<Case>>('/cases' + query({ overdue: true, limit: 100 })),
    get<List<Case>>('/cases' + query({ severity: 'critical', limit: 20 })),
    loadTeams(),
    loadUsers(),
    loadWorkflows(),
    get<List<Finding>>('/findings' + query({ ...open, priority: 'P1' })),
    get<List<Finding>>('/findings' + query({ ...open, priority: 'P2' })),
    get<List<Finding>>('/findings' + query({ active: true, kev: true, limit: 20 })),
    loadAssets(),
  ]);
  const openCase = (c: Case) => !c.sla.closed;
  const esc = await Promise.all(serious.items.filter(openCase).map((c) =>
    get<List<Escalation>>('/cases/' + c.id + '/escalations').then((l) => l.items.map((e) => ({ c, e })),
                                                                   () => [] as Escalated[])));
  return { mine: mine.items.filter(openCase), overdue: overdue.items.filter(openCase), escalated: esc.flat(),
           teams, users, workflows, urgent: [...p1.items, ...p2.items].filter((f) => f.case === null), kev: kev.items.sort(byUrgency), assets };
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
          <Section id="urgent-findings" title={t('dashboard.urgentFindings', { count: data.urgent.length })}>
            <p class="hint">{t('dashboard.urgentPurpose')}</p>
            <FindingTable findings={data.urgent} assets={data.assets} caption={t('dashboard.urgentCaption')}
                          empty={t('dashboard.urgentEmpty')} />
          </Section>
          <Section id="kev-findings" title={t('dashboard.kev', { count: data.kev.length })}>
            <p class="hint">{t('dashboard.kevPurpose')}</p>
            <FindingTable findings={data.kev} assets={data.assets} caption={t('dashboard.kevCaption')}
                          empty={t('dashboard.kevEmpty')} />
          </Section>
        </div>
      )}
    </Page>
  );
}
