// CaseTable.tsx — cases as a table (dashboard, case list): each row with
// its TLP, severity and state in words, and its SLA clock.
import type { Case, Team, User, Workflow } from '../api';
import { formatDate, t } from '../i18n';
import { teamName, userName, workflowOf } from '../data';
import { Empty, OverdueLabel, SeverityLabel, StateLabel, Table, TlpLabel } from '../components';

export function nextDeadline(c: Case): string | null {
  if (c.sla.closed) return null;
  if (!c.sla.acknowledged) return c.sla.acknowledge;
  if (!c.sla.triaged) return c.sla.triage;
  return c.sla.remediate;
}

export function CaseTable(props: { cases: Case[]; teams: Team[]; users: User[]; workflows: Workflow[];
                                   caption: string; empty: string }) {
  if (props.cases.length === 0) return <Empty text={props.empty} />;
  return (
    <Table class="cases" caption={props.caption}
           headers={[t('case.id'), t('case.title'), t('case.tlp'), t('case.severity'), t('case.state'), t('case.team'),
                     t('case.assignee'), t('case.nextDeadline')]}>
      {props.cases.map((c) => {
        const wf = workflowOf(props.workflows, c.kind);
        const label = wf?.states.find((s) => s.name === c.state)?.label;
        return (
          <tr key={c.id}>
            <td>{t('case.number', { id: c.id })}</td>
            <td><a href={'/cases/' + c.id}>{c.title}</a></td>
            <td><TlpLabel tlp={c.tlp} /></td>
            <td><SeverityLabel severity={c.severity} /></td>
            <td><StateLabel state={c.state} label={label} /></td>
            <td data-label={t('case.team')}>{teamName(props.teams, c.team)}</td>
            <td data-label={t('case.assignee')}>{c.assignee ? userName(props.users, c.assignee) : t('case.unassigned')}</td>
            <td data-label={t('case.nextDeadline')}>
              {c.sla.overdue && <OverdueLabel />} {nextDeadline(c) ? formatDate(nextDeadline(c)) : t('common.none')}
            </td>
          </tr>
        );
      })}
    </Table>
  );
}
