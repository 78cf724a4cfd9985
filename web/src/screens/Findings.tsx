// Findings.tsx — what the SBOMs' components are exposed to: the list with
// its filters (kept in the address), the bulk triage of many findings at
// once (one CycloneDX decision: state, justification, response, detail),
// one finding with its history (a decision carried over from another
// finding says where from), and promoting findings to a case.
import { useState } from 'preact/hooks';
import { call, get, post, query, type Asset, type Case, type Finding, type List } from '../api';
import { formatDate, list, t, tv } from '../i18n';
import { loadTeams, teamName } from '../data';
import { navigate, setFilter } from '../router';
import { Empty, ErrorBox, Field, Form, OverdueLabel, Page, Section, SeverityField, Status, Submit, Table, TlpField,
         useLoad, value, ValueSelect, WordField } from '../components';
import { assetName, loadAssets } from './Assets';

export const FINDING_STATES = ['in_triage', 'exploitable', 'resolved', 'false_positive', 'not_affected'];
export const JUSTIFICATIONS = ['code_not_present', 'code_not_reachable', 'requires_configuration', 'requires_dependency',
                               'requires_environment', 'protected_by_compiler', 'protected_at_runtime',
                               'protected_at_perimeter', 'protected_by_mitigating_control'];
export const RESPONSES = ['can_not_fix', 'will_not_fix', 'update', 'rollback', 'workaround_available'];
export const PRIORITIES = ['P1', 'P2', 'P3', 'P4'];

export function PriorityLabel({ priority }: { priority: string }) {
  return <span class={'prio prio-' + priority.toLowerCase()}>{tv('priority', priority)}</span>;
}

export function KevLabel() {
  return <span class="kev" title={t('finding.kevHelp')}>{t('finding.kev')}</span>;
}

function epssText(epss: number | null): string {
  return epss === null ? t('common.none') : t('finding.epssValue', { percent: (epss * 100).toFixed(1) });
}

export function VulnCell({ f }: { f: Finding }) {
  return (
    <>
      <a href={'/findings/' + f.id} class="mono">{f.vulnerability.id}</a>{' '}
      {f.vulnerability.kev && <KevLabel />}
      {f.vulnerability.epss !== null && <span class="meta">{t('finding.epssShort', { epss: epssText(f.vulnerability.epss) })}</span>}
      {!f.active && <span class="tag">{t('finding.inactive')}</span>}
    </>
  );
}

// Findings as a table; with `selected`, each row has a checkbox.
// Most urgent first: by priority, then KEV, then CVSS.
export function byUrgency(a: Finding, b: Finding): number {
  return a.priority.localeCompare(b.priority) || Number(b.vulnerability.kev) - Number(a.vulnerability.kev) ||
         (b.vulnerability.cvss?.score ?? 0) - (a.vulnerability.cvss?.score ?? 0) || b.id - a.id;
}

// Findings as a table; with `selected`, each row has a checkbox; `hideAsset`
// leaves out the asset column on an asset's own screen.
export function FindingTable(props: { findings: Finding[]; assets: Asset[]; caption: string; empty: string;
                                      selected?: Set<number>; onSelect?: (ids: Set<number>) => void;
                                      hideAsset?: boolean }) {
  if (props.findings.length === 0) return <Empty text={props.empty} />;
  const sel = props.selected;
  const toggle = (id: number, on: boolean) => {
    const n = new Set(sel);
    if (on) n.add(id);
    else n.delete(id);
    props.onSelect?.(n);
  };
  const all = sel !== undefined && props.findings.every((f) => sel.has(f.id));
  const asset = (id: number) => props.assets.find((a) => a.id === id);
  return (
    <Table class="cases findings" caption={props.caption}
           headers={[...(sel ? [<input type="checkbox" aria-label={t('findings.selectAll')} checked={all}
                                       onChange={(e) => props.onSelect?.(e.currentTarget.checked
                                         ? new Set(props.findings.map((f) => f.id)) : new Set())} />] : []),
                     t('finding.vulnerability'), t('finding.priority'), t('finding.state'), t('finding.component'),
                     ...(props.hideAsset ? [] : [t('finding.asset')]), t('finding.due'), t('finding.case')]}>
      {props.findings.map((f) => {
        const a = asset(f.asset);
        return (
          <tr key={f.id}>
            {sel && <td><input type="checkbox" checked={sel.has(f.id)}
                               aria-label={t('findings.select', { vulnerability: f.vulnerability.id, component: f.component.name })}
                               onChange={(e) => toggle(f.id, e.currentTarget.checked)} /></td>}
            <td><VulnCell f={f} /></td>
            <td><PriorityLabel priority={f.priority} /></td>
            <td><span class="state">{tv('fstate', f.state)}</span></td>
            <td data-label={t('finding.component')} class="mono">
              {f.component.version ? t('finding.componentVersion', { name: f.component.name, version: f.component.version })
                                   : f.component.name}
            </td>
            {!props.hideAsset && <td data-label={t('finding.asset')}>{a ? <a href={'/portfolio/' + a.id}>{assetName(a)}</a> : t('asset.number', { id: f.asset })}</td>}
            <td data-label={t('finding.due')}>{f.overdue && <OverdueLabel />} {formatDate(f.due)}</td>
            <td data-label={t('finding.case')}>{f.case ? <a href={'/cases/' + f.case}>{t('case.number', { id: f.case })}</a> : t('common.none')}</td>
          </tr>
        );
      })}
    </Table>
  );
}

// The decision a triage applies: state, justification (not affected only),
// responses and a detail.
function DecisionFields(props: { d: Decision; onChange: (d: Decision) => void }) {
  const { d } = props;
  return (
    <>
      <div class="row">
        <WordField label={t('finding.state')} name="state" value={d.state} values={FINDING_STATES} prefix="fstate"
                   onChange={(v) => props.onChange({ ...d, state: v })} />
        {d.state === 'not_affected' && (
          <WordField label={t('finding.justification')} name="justification" value={d.justification}
                     values={JUSTIFICATIONS} prefix="justification" blank={t('common.none')}
                     onChange={(v) => props.onChange({ ...d, justification: v })} />
        )}
      </div>
      <fieldset class="checks">
        <legend>{t('finding.response')}</legend>
        {RESPONSES.map((r) => (
          <label class="check">
            <input type="checkbox" name="response" value={r} checked={d.response.includes(r)}
                   onChange={(e) => props.onChange({ ...d, response: e.currentTarget.checked
                     ? [...d.response, r] : d.response.filter((x) => x !== r) })} />
            {tv('response', r)}
          </label>
        ))}
      </fieldset>
      <Field label={t('finding.detail')} hint={t('finding.detailHint')}>
        <textarea name="detail" rows={3} value={d.detail} onInput={(e) => props.onChange({ ...d, detail: value(e) })} />
      </Field>
    </>
  );
}

interface Decision {
  state: string;
  justification: string;
  response: string[];
  detail: string;
}

function decisionBody(d: Decision) {
  return { state: d.state, justification: d.state === 'not_affected' && d.justification ? d.justification : null,
           response: d.response, detail: d.detail || null };
}

const FILTERS = ['asset', 'team', 'state', 'priority', 'kev', 'vulnerability', 'component', 'active'] as const;

export function FindingList() {
  const params = new URLSearchParams(location.search);
  const filters: Record<string, string> = {};
  for (const f of FILTERS) filters[f] = params.get(f) ?? '';
  const key = JSON.stringify(filters);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [d, setD] = useState<Decision>({ state: 'not_affected', justification: 'code_not_reachable', response: [], detail: '' });
  const [done, setDone] = useState<string | null>(null);
  const [promote, setPromote] = useState({ title: '', severity: '', tlp: 'AMBER', team: '' });
  const { data, error, reload } = useLoad(async () => {
    const [l, assets, teams] = await Promise.all([
      get<List<Finding>>('/findings' + query({ ...filters, limit: 200 })), loadAssets(), loadTeams()]);
    return { findings: l.items, next: l.next, assets, teams };
  }, [key]);
  const set = (name: string, v: string) => {
    setSelected(new Set());
    setFilter(name, v);
  };
  const triage = async () => {
    const ids = [...selected];
    await post('/findings/triage', { findings: ids, ...decisionBody(d) });
    setDone(t('findings.triaged', { count: ids.length, state: tv('fstate', d.state) }));
    setSelected(new Set());
    reload();
  };
  const toCase = async () => {
    const ids = [...selected];
    const chosen = data!.findings.filter((f) => selected.has(f.id));
    const team = promote.team || String(data!.assets.find((a) => a.id === chosen[0]?.asset)?.team ?? data!.teams[0]?.id);
    const body: Record<string, unknown> = {
      title: promote.title || t('findings.caseTitle', { vulnerabilities: list([...new Set(chosen.map((f) => f.vulnerability.id))]) }),
      kind: 'vulnerability', team: Number(team), tlp: promote.tlp, findings: ids,
    };
    // Without a severity chosen, the most urgent finding's priority gives it.
    const top = [...chosen].sort(byUrgency)[0]?.priority ?? 'P4';
    body.severity = promote.severity || ({ P1: 'critical', P2: 'high', P3: 'medium' } as Record<string, string>)[top] || 'low';
    const c = await post<Case>('/cases', body);
    navigate('/cases/' + c.id);
  };
  const assetOptions = data?.assets.map((a) => String(a.id)) ?? [];
  return (
    <Page title={t('findings.title')} purpose={t('findings.purpose')}>
      <form class="filters" role="search" aria-label={t('findings.filters')} onSubmit={(e) => e.preventDefault()}>
        <Field label={t('finding.asset')}>
          <ValueSelect name="asset" value={filters.asset} values={assetOptions} blank={t('common.any')}
                       word={(v) => { const a = data?.assets.find((x) => x.id === Number(v)); return a ? assetName(a) : v; }}
                       onChange={(v) => set('asset', v)} />
        </Field>
        <Field label={t('case.team')}>
          <ValueSelect name="team" value={filters.team} values={data?.teams.map((x) => String(x.id)) ?? []}
                       word={(v) => teamName(data?.teams ?? [], Number(v))} blank={t('common.any')}
                       onChange={(v) => set('team', v)} />
        </Field>
        <WordField label={t('finding.state')} name="state" value={filters.state} values={FINDING_STATES} prefix="fstate"
                   blank={t('common.any')} onChange={(v) => set('state', v)} />
        <WordField label={t('finding.priority')} name="priority" value={filters.priority} values={PRIORITIES}
                   prefix="priority" blank={t('common.any')} onChange={(v) => set('priority', v)} />
        <Field label={t('findings.activeFilter')}>
          <ValueSelect name="active" value={filters.active} values={['true', 'false']} blank={t('common.any')}
                       word={(v) => (v === 'true' ? t('findings.activeYes') : t('findings.activeNo'))}
                       onChange={(v) => set('active', v)} />
        </Field>
        <Field label={t('finding.vulnerability')}>
          <input type="search" name="vulnerability" value={filters.vulnerability} onChange={(e) => set('vulnerability', value(e))} />
        </Field>
        <Field label={t('finding.component')} hint={t('findings.componentHint')}>
          <input type="search" name="component" value={filters.component} onChange={(e) => set('component', value(e))} />
        </Field>
        <label class="check">
          <input type="checkbox" checked={filters.kev === 'true'} onChange={(e) => set('kev', e.currentTarget.checked ? 'true' : '')} />
          {t('findings.onlyKev')}
        </label>
      </form>
      <Status data={data} error={error} />
      {done && <p class="notice ok" role="status">{done}</p>}
      {data && (
        <div data-ready="true">
          <p class="count" role="status">{t('findings.shown', { count: data.findings.length })}</p>
          <FindingTable findings={data.findings} assets={data.assets} caption={t('findings.title')}
                        empty={t('findings.empty')} selected={selected} onSelect={setSelected} />
          {data.next !== null && <p class="hint">{t('findings.narrow')}</p>}
          <div class="case-grid bulk">
            <Section id="h-triage" title={t('findings.bulkTitle', { count: selected.size })} class="card">
              <p class="hint">{t('findings.bulkPurpose')}</p>
              <Form label={t('findings.bulkTitle', { count: selected.size })} onSubmit={triage}>
                <DecisionFields d={d} onChange={setD} />
                <button type="submit" class="primary" disabled={selected.size === 0}>{t('findings.apply')}</button>
              </Form>
            </Section>
            <Section id="h-promote" title={t('findings.promoteTitle')} class="card">
              <p class="hint">{t('findings.promotePurpose')}</p>
              <Form label={t('findings.promoteTitle')} onSubmit={toCase}>
                <Field label={t('case.title')} hint={t('findings.promoteTitleHint')}>
                  <input name="title" value={promote.title} onInput={(e) => setPromote({ ...promote, title: value(e) })} />
                </Field>
                <Field label={t('case.team')}>
                  <ValueSelect name="team" value={promote.team} values={data.teams.map((x) => String(x.id))}
                               word={(v) => teamName(data.teams, Number(v))} blank={t('findings.promoteTeamOfAsset')}
                               onChange={(v) => setPromote({ ...promote, team: v })} />
                </Field>
                <div class="row">
                  <SeverityField value={promote.severity} blank={t('findings.severityFromPriority')}
                                 onChange={(v) => setPromote({ ...promote, severity: v })} />
                  <TlpField value={promote.tlp} onChange={(v) => setPromote({ ...promote, tlp: v })} />
                </div>
                <button type="submit" class="primary" disabled={selected.size === 0}>{t('findings.promote')}</button>
              </Form>
            </Section>
          </div>
        </div>
      )}
    </Page>
  );
}

function historyText(e: NonNullable<Finding['history']>[number]): string {
  const who = e.actor_name ?? t('finding.system');
  const data = e.data as Record<string, any>;
  switch (e.kind) {
    case 'triage':
      return t('history.triage', { who, state: tv('fstate', String(data.state ?? data.after?.state ?? '')) });
    case 'carried_over':
      return t('history.carriedOver', { finding: String(data.finding ?? ''), asset: String(data.asset ?? '') });
    case 'case':
      return t('history.case', { who, id: String(data.case ?? '') });
    default:
      return tv('history', e.kind);
  }
}

export function FindingDetail({ id }: { id: number }) {
  const { data, error, reload } = useLoad(async () => {
    const [answer, assets] = await Promise.all([call<Finding>('GET', '/findings/' + id), loadAssets()]);
    return { f: answer.body, etag: answer.etag, assets };
  }, [id]);
  const [d, setD] = useState<Decision | null>(null);
  if (error) return <Page title={t('finding.notFoundTitle')} purpose={t('finding.purpose')}><ErrorBox error={error} /></Page>;
  if (!data) return <Status data={data} error={error} />;
  const { f } = data;
  const a = data.assets.find((x) => x.id === f.asset);
  const decision = d ?? { state: f.state, justification: f.justification ?? '', response: f.response, detail: f.detail ?? '' };
  const from = f.carried_over ? data.assets.find((x) => x.id === f.carried_over!.asset) : undefined;
  return (
    <Page title={t('finding.title', { vulnerability: f.vulnerability.id, component: f.component.name })}
          purpose={t('finding.purpose')}>
      <div class="case-labels" data-ready="true">
        <PriorityLabel priority={f.priority} /> <span class="state">{tv('fstate', f.state)}</span>
        {f.vulnerability.kev && <KevLabel />} {f.overdue && <OverdueLabel />}
        {!f.active && <span class="tag">{t('finding.inactive')}</span>}
      </div>
      {f.carried_over && (
        <p class="notice">
          {t('finding.carriedFrom', { finding: f.carried_over.finding, asset: from ? assetName(from) : String(f.carried_over.asset) })}{' '}
          <a href={'/findings/' + f.carried_over.finding}>{t('finding.openSource')}</a>
        </p>
      )}
      <div class="case-grid">
        <div class="case-main">
          {f.vulnerability.summary && <p>{f.vulnerability.summary}</p>}
          <Section id="h-decide" title={t('finding.decide')}>
            <Form label={t('finding.decide')} onSubmit={async () => {
              await call('PATCH', '/findings/' + f.id, decisionBody(decision), data.etag ? { 'If-Match': data.etag } : {});
              setD(null);
              reload();
            }}>
              <DecisionFields d={decision} onChange={setD} />
              <Submit text={t('finding.save')} />
            </Form>
          </Section>
          <Section id="h-history" title={t('finding.history')}>
            <ol class="timeline">
              {(f.history ?? []).map((e) => (
                <li class={'event event-' + e.kind}>
                  <div class="event-head"><span>{historyText(e)}</span><time>{formatDate(e.at)}</time></div>
                </li>
              ))}
            </ol>
          </Section>
        </div>
        <aside class="case-side">
          <Section id="h-ffacts" title={t('finding.facts')}>
            <dl class="facts">
              <dt>{t('finding.asset')}</dt><dd>{a ? <a href={'/portfolio/' + a.id}>{assetName(a)}</a> : t('asset.number', { id: f.asset })}</dd>
              <dt>{t('finding.component')}</dt><dd class="mono">{f.component.purl ?? f.component.name}</dd>
              {f.vulnerability.aliases.length > 0 && <><dt>{t('finding.aliases')}</dt><dd class="mono">{list(f.vulnerability.aliases)}</dd></>}
              <dt>{t('finding.cvss')}</dt>
              <dd>{f.vulnerability.cvss ? t('finding.cvssValue', { score: f.vulnerability.cvss.score.toFixed(1) }) : t('common.none')}
                {f.vulnerability.cvss?.vector && <span class="mono meta">{f.vulnerability.cvss.vector}</span>}</dd>
              <dt>{t('finding.kevTitle')}</dt><dd>{f.vulnerability.kev ? t('finding.kevYes') : t('finding.kevNo')}</dd>
              <dt>{t('finding.epss')}</dt><dd>{epssText(f.vulnerability.epss)}</dd>
              {f.justification && <><dt>{t('finding.justification')}</dt><dd>{tv('justification', f.justification)}</dd></>}
              {f.response.length > 0 && <><dt>{t('finding.response')}</dt><dd>{list(f.response.map((r) => tv('response', r)))}</dd></>}
              <dt>{t('finding.due')}</dt><dd>{f.overdue && <OverdueLabel />} {formatDate(f.due)}</dd>
              <dt>{t('finding.firstSeen')}</dt><dd>{formatDate(f.first_seen)}</dd>
              <dt>{t('finding.lastSeen')}</dt><dd>{formatDate(f.last_seen)}</dd>
              <dt>{t('finding.case')}</dt>
              <dd>{f.case ? <a href={'/cases/' + f.case}>{t('case.number', { id: f.case })}</a> : t('common.none')}</dd>
            </dl>
          </Section>
        </aside>
      </div>
    </Page>
  );
}
