// Reports.tsx — what management and team leads ask for: the team's figures
// over time as charts (cases by class, service levels met, findings by
// priority, remediation times), the quarterly report to download (PDF or
// HTML) and the figures as CSV; and, as tabs, the readiness
// self-assessment and the knowledge base of past cases.
import { useState } from 'preact/hooks';
import { get, query } from '../api';
import { language, t, tv } from '../i18n';
import { loadTeams, teamName } from '../data';
import { Field, Page, Section, Status, useLoad, ValueSelect } from '../components';
import { BarChart } from '../charts';
import { Readiness } from './Readiness';
import { Knowledge } from './Knowledge';

interface Times { count: number; mean: number | null; median: number | null; p90: number | null }
interface Sla { met: number; missed: number; percent: number | null }
interface Figures {
  period?: string;
  opened: { total: number; kind: Record<string, number>; severity: Record<string, number>;
            classification: Record<string, number>; tlp: Record<string, number> };
  closed: { total: number };
  open_at_end: number;
  time: Record<'acknowledge' | 'triage' | 'contain' | 'resolve' | 'remediate', Times>;
  sla: Record<'acknowledge' | 'triage' | 'remediate' | 'case' | 'finding', Sla>;
  escalations: number;
  findings: { opened: { total: number; priority: Record<string, number> }; closed: { total: number };
              kev: { opened: number; closed: number }; open_at_end: number };
}
export interface Statistics {
  team: number | null;
  from: string;
  to: string;
  interval: string;
  red_counted: boolean;
  series: Figures[];
  totals: Figures;
}

export function Reports({ path }: { path: string }) {
  const tabs = [
    { href: '/reports', text: t('reports.metrics') },
    { href: '/reports/readiness', text: t('reports.readiness') },
    { href: '/reports/knowledge', text: t('reports.knowledge') },
  ];
  let body;
  if (path === '/reports/readiness') body = <Readiness />;
  else if (path === '/reports/knowledge') body = <Knowledge />;
  else body = <Metrics />;
  return (
    <div class="reports">
      <nav aria-label={t('reports.sections')} class="tabs">
        <ul>{tabs.map((x) => <li><a href={x.href} aria-current={path === x.href ? 'page' : undefined}>{x.text}</a></li>)}</ul>
      </nav>
      {body}
    </div>
  );
}

const INTERVALS = ['month', 'quarter', 'week'];
const PRIORITIES = ['P1', 'P2', 'P3', 'P4'];

function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

// The last four quarters, newest first ("2026-Q4"), for the report.
export function recentQuarters(now = new Date()): string[] {
  const out: string[] = [];
  let y = now.getUTCFullYear();
  let q = Math.floor(now.getUTCMonth() / 3) + 1;
  for (let i = 0; i < 4; i++) {
    out.push(`${y}-Q${q}`);
    if (--q === 0) {
      q = 4;
      y--;
    }
  }
  return out;
}

// A duration in words, in the unit that suits it: minutes under an hour,
// hours under two days, days beyond (one decimal).
function days(seconds: number): string {
  const n = (v: number) => v.toLocaleString(language(), { maximumFractionDigits: 1 });
  if (seconds < 3600) return t('metrics.minutes', { minutes: n(seconds / 60) });
  if (seconds < 172800) return t('metrics.hours', { hours: n(seconds / 3600) });
  return t('metrics.days', { days: n(seconds / 86400) });
}

function Metrics() {
  const today = new Date();
  const [f, setF] = useState({ team: '', interval: 'month', from: isoDay(new Date(today.getTime() - 364 * 86400000)),
                               to: isoDay(today) });
  const [quarter, setQuarter] = useState(recentQuarters()[0]);
  const params = { team: f.team, interval: f.interval, from: f.from, to: f.to };
  const { data, error } = useLoad(async () => {
    const [stats, teams] = await Promise.all([get<Statistics>('/statistics' + query(params)), loadTeams()]);
    return { stats, teams };
  }, [f.team, f.interval, f.from, f.to]);
  const teamChoice = data && (
    <Field label={t('metrics.team')}>
      <ValueSelect name="team" value={f.team} values={data.teams.map((x) => String(x.id))}
                   word={(v) => teamName(data.teams, Number(v))} blank={t('metrics.allTeams')}
                   onChange={(v) => setF({ ...f, team: v })} />
    </Field>
  );
  return (
    <Page title={t('metrics.title')} purpose={t('metrics.purpose')}>
      <div class="filters">
        {teamChoice}
        <Field label={t('metrics.interval')}>
          <ValueSelect name="interval" value={f.interval} values={INTERVALS} word={(v) => tv('interval', v)}
                       onChange={(v) => setF({ ...f, interval: v })} />
        </Field>
        <Field label={t('metrics.from')}>
          <input name="from" type="date" value={f.from} required onChange={(e) => e.currentTarget.value && setF({ ...f, from: e.currentTarget.value })} />
        </Field>
        <Field label={t('metrics.to')}>
          <input name="to" type="date" value={f.to} required onChange={(e) => e.currentTarget.value && setF({ ...f, to: e.currentTarget.value })} />
        </Field>
      </div>
      <Status data={data} error={error} />
      {data && <Charts stats={data.stats} />}
      <Section id="h-downloads" title={t('metrics.downloads')}>
        <p class="hint">{t('metrics.downloadsPurpose')}</p>
        <ul class="plain downloads">
          <li><a href={'/api/v1/statistics.csv' + query(params)} download>{t('metrics.csv')}</a></li>
        </ul>
        {f.team ? (
          <div class="filters">
            <Field label={t('metrics.quarter')}>
              <ValueSelect name="quarter" value={quarter} values={recentQuarters()} word={(v) => v} onChange={setQuarter} />
            </Field>
            <ul class="plain downloads">
              <li><a href={'/api/v1/report' + query({ team: f.team, period: quarter, format: 'pdf', language: language() })}
                     download>{t('metrics.reportPdf', { period: quarter })}</a></li>
              <li><a href={'/api/v1/report' + query({ team: f.team, period: quarter, format: 'html', language: language() })}
                     target="_blank" rel="noopener">{t('metrics.reportHtml', { period: quarter })}</a></li>
            </ul>
          </div>
        ) : <p>{t('metrics.reportNeedsTeam')}</p>}
      </Section>
    </Page>
  );
}

function Charts({ stats }: { stats: Statistics }) {
  const periods = stats.series.map((s) => s.period ?? '');
  const classes = [...new Set(stats.series.flatMap((s) => Object.keys(s.opened.classification)))].sort();
  const tot = stats.totals;
  const percent = (x: Sla) => x.percent === null ? t('common.none') : t('metrics.percent', { percent: x.percent });
  return (
    <div class="charts" data-ready="true">
      <p class="meta">{t('metrics.period', { from: stats.from, to: stats.to })}{' '}
        {stats.red_counted ? t('metrics.redCounted') : t('metrics.redLeftOut')}</p>
      <dl class="facts totals">
        <dt>{t('metrics.opened')}</dt><dd>{tot.opened.total}</dd>
        <dt>{t('metrics.closed')}</dt><dd>{tot.closed.total}</dd>
        <dt>{t('metrics.openAtEnd')}</dt><dd>{tot.open_at_end}</dd>
        <dt>{t('metrics.slaCase')}</dt><dd>{percent(tot.sla.case)}</dd>
        <dt>{t('metrics.findingsOpened')}</dt><dd>{tot.findings.opened.total}</dd>
        <dt>{t('metrics.escalations')}</dt><dd>{tot.escalations}</dd>
      </dl>
      <BarChart id="chart-classes" title={t('metrics.byClass')} empty={t('metrics.noCases')}
                summary={t('metrics.byClassSummary', { count: tot.opened.total, classes: classes.length })}
                periods={periods} series={classes.map((c) => ({ key: c, label: tv('rsit', c) }))}
                values={classes.map((c) => stats.series.map((s) => s.opened.classification[c] ?? 0))} />
      <BarChart id="chart-sla" title={t('metrics.sla')} empty={t('metrics.noSla')}
                summary={t('metrics.slaSummary', { met: tot.sla.case.met, missed: tot.sla.case.missed, percent: percent(tot.sla.case) })}
                periods={periods} series={[{ key: 'met', label: t('metrics.slaMet') }, { key: 'missed', label: t('metrics.slaMissed') }]}
                values={[stats.series.map((s) => s.sla.case.met), stats.series.map((s) => s.sla.case.missed)]} />
      <BarChart id="chart-findings" title={t('metrics.findings')} empty={t('metrics.noFindings')}
                summary={t('metrics.findingsSummary', { count: tot.findings.opened.total,
                                                        p1: tot.findings.opened.priority.P1 ?? 0, kev: tot.findings.kev.opened })}
                periods={periods} series={PRIORITIES.map((p) => ({ key: p, label: tv('priority', p) }))}
                values={PRIORITIES.map((p) => stats.series.map((s) => s.findings.opened.priority[p] ?? 0))} />
      <BarChart id="chart-times" title={t('metrics.times')} empty={t('metrics.noTimes')} mode="group" format={days}
                summary={t('metrics.timesSummary', {
                  remediate: tot.time.remediate.median === null ? t('common.none') : days(tot.time.remediate.median),
                  resolve: tot.time.resolve.median === null ? t('common.none') : days(tot.time.resolve.median) })}
                periods={periods}
                series={[{ key: 'remediate', label: t('metrics.remediateMedian') }, { key: 'remediate90', label: t('metrics.remediateNinety') },
                         { key: 'resolve', label: t('metrics.resolveMedian') }]}
                values={[stats.series.map((s) => s.time.remediate.median), stats.series.map((s) => s.time.remediate.p90),
                         stats.series.map((s) => s.time.resolve.median)]} />
    </div>
  );
}
