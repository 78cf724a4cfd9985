// Assets.tsx — the portfolio: each team's assets as a tree (a product and
// its versions, a plant and its devices), one asset with its SBOMs and
// findings, the SBOM upload (the raw document, matched at once), the
// impact view (who depends on this asset) and the asset form (changes
// sent with If-Match, so a colleague's change is not overwritten unseen).
import { useState } from 'preact/hooks';
import { call, get, post, query, upload, type Asset, type Component, type Finding, type Impact, type List, type Sbom,
         type SbomUpload, type Team } from '../api';
import { formatDate, list, t, tv } from '../i18n';
import { loadTeams, teamName } from '../data';
import { navigate, setFilter } from '../router';
import { Empty, ErrorBox, Field, Form, Page, Section, Status, Submit, Table, TextField, useLoad, value,
         ValueSelect, WordField } from '../components';
import { byUrgency, FindingTable } from './Findings';

export const ASSET_KINDS = ['product', 'service', 'system', 'device', 'component'];
export const CRITICALITIES = ['low', 'medium', 'high', 'critical'];
export const EXPOSURES = ['internet', 'internal', 'isolated'];

export async function loadAssets(params: Record<string, string | number | undefined> = {}): Promise<Asset[]> {
  const all: Asset[] = [];
  let cursor: string | number | null | undefined;
  do {
    const l: List<Asset> = await get<List<Asset>>('/assets' + query({ ...params, limit: 200, cursor: cursor ?? undefined }));
    all.push(...l.items);
    cursor = l.next;
  } while (cursor !== null && all.length < 2000);
  return all;
}

export function assetName(a: { name: string; version: string | null }): string {
  return a.version ? t('asset.nameVersion', { name: a.name, version: a.version }) : a.name;
}

export function AssetLabels({ a }: { a: Asset }) {
  return (
    <span class="asset-labels">
      <span class="tag">{tv('assetKind', a.kind)}</span>{' '}
      <span class={'crit crit-' + a.criticality}>{t('asset.criticalityIs', { level: tv('criticality', a.criticality) })}</span>{' '}
      <span class="tag">{t('asset.exposureIs', { exposure: tv('exposure', a.exposure) })}</span>
    </span>
  );
}

// One level of the tree: the assets whose parent is `parent`, each with
// its children below it.
function Tree({ all, parent }: { all: Asset[]; parent: number | null }) {
  const here = all.filter((a) => a.parent === parent ||
                                 (parent === null && a.parent !== null && !all.some((p) => p.id === a.parent)));
  if (here.length === 0) return null;
  return (
    <ul class="tree">
      {here.map((a) => (
        <li>
          <a href={'/portfolio/' + a.id}>{assetName(a)}</a> <AssetLabels a={a} />
          {a.sbom === null && <span class="meta">{t('asset.noSbom')}</span>}
          <Tree all={all} parent={a.id} />
        </li>
      ))}
    </ul>
  );
}

export function AssetList() {
  const params = new URLSearchParams(location.search);
  const team = params.get('team') ?? '';
  const q = params.get('q') ?? '';
  const { data, error } = useLoad(async () => {
    const [assets, teams] = await Promise.all([loadAssets({ team: team || undefined, q: q || undefined }), loadTeams()]);
    return { assets, teams };
  }, [team, q]);
  const set = setFilter;
  // One tree per team that owns assets, in the order of the team list.
  const owners = data ? data.teams.filter((x) => data.assets.some((a) => a.team === x.id)) : [];
  return (
    <Page title={t('portfolio.title')} purpose={t('portfolio.purpose')}
          actions={<a class="button primary" href="/portfolio/new">{t('asset.new')}</a>}>
      <form class="filters" role="search" aria-label={t('portfolio.filters')} onSubmit={(e) => e.preventDefault()}>
        <Field label={t('portfolio.search')}>
          <input type="search" value={q} onChange={(e) => set('q', value(e))} />
        </Field>
        <Field label={t('case.team')}>
          <ValueSelect name="team" value={team} values={data?.teams.map((x) => String(x.id)) ?? []}
                       word={(v) => teamName(data?.teams ?? [], Number(v))} blank={t('common.any')}
                       onChange={(v) => set('team', v)} />
        </Field>
      </form>
      <Status data={data} error={error} />
      {data && (data.assets.length === 0 ? <Empty text={t('portfolio.empty')} /> : (
        <div class="portfolio" data-ready="true">
          {owners.map((x) => (
            <Section id={'team-' + x.id} title={t('team.nameKind', { name: x.name, kind: x.kind })} class="card">
              <Tree all={data.assets.filter((a) => a.team === x.id)} parent={null} />
            </Section>
          ))}
        </div>
      ))}
    </Page>
  );
}

async function loadAsset(id: number) {
  const answer = await call<Asset>('GET', '/assets/' + id);
  const [sboms, findings, impact, assets, teams, components] = await Promise.all([
    get<List<Sbom>>('/assets/' + id + '/sboms?limit=50'),
    get<List<Finding>>('/findings' + query({ asset: id, limit: 200 })),
    get<Impact>('/assets/' + id + '/impact'),
    loadAssets(),
    loadTeams(),
    answer.body.sbom === null ? Promise.resolve({ items: [], next: null } as List<Component>)
                              : get<List<Component>>('/components' + query({ asset: id, limit: 200 })),
  ]);
  return { a: answer.body, etag: answer.etag, sboms: sboms.items, findings: findings.items, impact, assets, teams,
           components };
}

function SbomUploadForm({ asset, onDone }: { asset: number; onDone: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [result, setResult] = useState<SbomUpload | null>(null);
  return (
    <Form label={t('sbom.upload')} onSubmit={async () => {
      if (!file) return;
      setResult(null);
      setResult(await upload<SbomUpload>('/assets/' + asset + '/sboms', file));
      onDone();
    }}>
      <Field label={t('sbom.file')} hint={t('sbom.fileHint')}>
        <input type="file" name="sbom" required accept=".json,.xml,.spdx,.txt,application/json,text/xml"
               onChange={(e) => setFile((e.currentTarget as HTMLInputElement).files?.[0] ?? null)} />
      </Field>
      <Submit text={t('sbom.upload')} />
      {result && (
        <p class="notice ok" role="status">
          {t('sbom.uploaded', { format: tv('sbomFormat', result.format), components: result.components,
                                findings: result.findings })}
        </p>
      )}
    </Form>
  );
}

export function AssetDetail({ id }: { id: number }) {
  const { data, error, reload } = useLoad(() => loadAsset(id), [id]);
  const [failed, setFailed] = useState<unknown>(null);
  if (error) return <Page title={t('asset.notFoundTitle')} purpose={t('asset.notFoundPurpose')}><ErrorBox error={error} /></Page>;
  if (!data) return <Status data={data} error={error} />;
  const { a } = data;
  const byId = (x: number) => data.assets.find((y) => y.id === x);
  const parent = a.parent !== null ? byId(a.parent) : undefined;
  const children = data.assets.filter((x) => x.parent === a.id);
  const open = data.findings.filter((f) => f.active && (f.state === 'in_triage' || f.state === 'exploitable'));
  const remove = async () => {
    if (!confirm(t('asset.deleteConfirm', { name: assetName(a) }))) return;
    await call('DELETE', '/assets/' + a.id);
    navigate('/portfolio');
  };
  return (
    <Page title={assetName(a)} purpose={t('asset.purpose')}
          actions={<><a class="button" href={'/portfolio/' + a.id + '/edit'}>{t('asset.edit')}</a>
                     <a class="button" href={'/findings?asset=' + a.id}>{t('asset.allFindings')}</a></>}>
      <div class="case-labels" data-ready="true"><AssetLabels a={a} /></div>
      <div class="case-grid">
        <div class="case-main">
          <Section id="h-findings" title={t('asset.findings', { count: open.length })}>
            <p class="hint">{t('asset.findingsPurpose')}</p>
            <FindingTable findings={[...data.findings].sort(byUrgency)} assets={data.assets} hideAsset
                          caption={t('asset.findingsCaption')}
                          empty={a.sbom === null ? t('asset.findingsNoSbom') : t('asset.findingsEmpty')} />
          </Section>
          <Section id="h-impact" title={t('impact.title')}>
            <p class="hint">{t('impact.purpose')}</p>
            {data.impact.dependents.length === 0 ? <Empty text={t('impact.none')} /> : (
              <Table caption={t('impact.title')} class="cases"
                     headers={[t('asset.name'), t('asset.kind'), t('case.team'), t('impact.depth'), t('impact.openFindings')]}>
                {data.impact.dependents.map((d) => (
                  <tr>
                    <td><a href={'/portfolio/' + d.id}>{assetName(d)}</a></td>
                    <td>{tv('assetKind', d.kind)}</td>
                    <td>{teamName(data.teams, d.team)}</td>
                    <td>{d.depth === 1 ? t('impact.direct') : t('impact.indirect', { depth: d.depth })}</td>
                    <td>{t('impact.openCount', { count: d.open_findings })}</td>
                  </tr>
                ))}
              </Table>
            )}
          </Section>
          <Section id="h-sboms" title={t('sbom.title')}>
            <p class="hint">{t('sbom.purpose')}</p>
            <SbomUploadForm asset={a.id} onDone={reload} />
            {data.sboms.length === 0 ? <Empty text={t('sbom.none')} /> : (
              <Table caption={t('sbom.title')} class="cases"
                     headers={[t('sbom.uploadedAt'), t('sbom.format'), t('sbom.components'), t('sbom.checksum')]}>
                {data.sboms.map((s) => (
                  <tr>
                    <td>{formatDate(s.created)} {s.current && <span class="tag">{t('sbom.current')}</span>}</td>
                    <td>{tv('sbomFormat', s.format)}</td>
                    <td>{s.components}</td>
                    <td class="mono">{s.sha256.slice(0, 16)}</td>
                  </tr>
                ))}
              </Table>
            )}
          </Section>
        </div>
        <aside class="case-side">
          <Section id="h-facts" title={t('asset.facts')}>
            <dl class="facts">
              <dt>{t('case.team')}</dt><dd>{teamName(data.teams, a.team)}</dd>
              <dt>{t('asset.criticality')}</dt><dd>{tv('criticality', a.criticality)}</dd>
              <dt>{t('asset.exposure')}</dt><dd>{tv('exposure', a.exposure)}</dd>
              {a.vendor && <><dt>{t('asset.vendor')}</dt><dd>{a.vendor}</dd></>}
              {a.identifiers.cpe && <><dt>{t('asset.cpe')}</dt><dd class="mono">{a.identifiers.cpe}</dd></>}
              {a.identifiers.purl && <><dt>{t('asset.purl')}</dt><dd class="mono">{a.identifiers.purl}</dd></>}
              {parent && <><dt>{t('asset.parent')}</dt><dd><a href={'/portfolio/' + parent.id}>{assetName(parent)}</a></dd></>}
              {a.labels.length > 0 && <><dt>{t('case.labels')}</dt><dd>{a.labels.map((l) => <span class="tag">{l}</span>)}</dd></>}
              <dt>{t('asset.updated')}</dt><dd>{formatDate(a.updated)}</dd>
            </dl>
            {a.description && <p>{a.description}</p>}
          </Section>
          <Section id="h-depends" title={t('asset.dependsOn')}>
            {a.depends_on.length === 0 ? <Empty text={t('asset.dependsNone')} /> : (
              <ul class="plain">
                {a.depends_on.map((x) => {
                  const d = byId(x);
                  return <li>{d ? <a href={'/portfolio/' + x}>{assetName(d)}</a> : t('asset.number', { id: x })}</li>;
                })}
              </ul>
            )}
          </Section>
          {children.length > 0 && (
            <Section id="h-children" title={t('asset.children')}>
              <ul class="plain">{children.map((x) => <li><a href={'/portfolio/' + x.id}>{assetName(x)}</a></li>)}</ul>
            </Section>
          )}
          <Section id="h-components" title={t('asset.components', { count: data.components.items.length })}>
            <p class="hint">{t('asset.componentsPurpose')}</p>
            {data.components.items.length === 0 ? <Empty text={t('asset.componentsNone')} /> : (
              <ul class="plain components">
                {data.components.items.map((c) => {
                  const n = data.findings.filter((f) => f.active && f.component.name === c.name &&
                                                        f.component.version === c.version).length;
                  return (
                    <li>
                      <span class="mono">{c.version ? t('finding.componentVersion', { name: c.name, version: c.version }) : c.name}</span>
                      {n > 0 && <a class="meta" href={'/findings' + query({ asset: a.id, component: c.name })}>
                        {t('asset.componentFindings', { count: n })}</a>}
                    </li>
                  );
                })}
              </ul>
            )}
            {data.components.next !== null && <p class="hint">{t('asset.componentsMore')}</p>}
          </Section>
          <button type="button" class="danger" onClick={() => remove().catch(setFailed)}>{t('asset.delete')}</button>
          <ErrorBox error={failed} />
        </aside>
      </div>
    </Page>
  );
}

// Creates an asset, or changes one (id given) with If-Match.
export function AssetForm({ id }: { id?: number }) {
  const { data, error } = useLoad(async () => {
    const [assets, teams] = await Promise.all([loadAssets(), loadTeams()]);
    const current = id !== undefined ? await call<Asset>('GET', '/assets/' + id) : null;
    return { assets, teams, current };
  }, [id]);
  const [f, setF] = useState<Record<string, string> | null>(null);
  const [deps, setDeps] = useState<string[] | null>(null);
  if (!data) return <Page title={id ? t('asset.editTitle') : t('asset.new')} purpose={t('asset.formPurpose')}>
    <Status data={data} error={error} /></Page>;
  const a = data.current?.body;
  const form = f ?? {
    name: a?.name ?? '', kind: a?.kind ?? 'product', version: a?.version ?? '', parent: a?.parent ? String(a.parent) : '',
    team: String(a?.team ?? data.teams[0]?.id ?? ''), criticality: a?.criticality ?? 'medium',
    exposure: a?.exposure ?? 'internal', vendor: a?.vendor ?? '', cpe: a?.identifiers.cpe ?? '',
    purl: a?.identifiers.purl ?? '', description: a?.description ?? '', labels: a?.labels.join(', ') ?? '',
  };
  const dependsOn = deps ?? (a?.depends_on.map(String) ?? []);
  const put = (k: string) => (v: string) => setF({ ...form, [k]: v });
  const others = data.assets.filter((x) => x.id !== id);
  const submit = async () => {
    const body = {
      name: form.name, kind: form.kind, version: form.version || null, parent: form.parent ? Number(form.parent) : null,
      team: Number(form.team), criticality: form.criticality, exposure: form.exposure, vendor: form.vendor || null,
      identifiers: { cpe: form.cpe || null, purl: form.purl || null }, description: form.description,
      labels: form.labels.split(/[,、]/).map((s) => s.trim()).filter(Boolean), depends_on: dependsOn.map(Number),
    };
    if (id !== undefined) {
      const etag = data.current?.etag;
      await call('PATCH', '/assets/' + id, body, etag ? { 'If-Match': etag } : {});
      navigate('/portfolio/' + id);
    } else {
      const made = await post<Asset>('/assets', body);
      navigate('/portfolio/' + made.id);
    }
  };
  const title = id !== undefined && a ? t('asset.editOf', { name: assetName(a) }) : t('asset.new');
  return (
    <Page title={title} purpose={t('asset.formPurpose')}>
      <Form label={title} onSubmit={submit} class="form wide">
        <div class="row">
          <TextField label={t('asset.name')} name="name" required value={form.name} onChange={put('name')} />
          <TextField label={t('asset.version')} hint={t('asset.versionHint')} name="version" value={form.version}
                     onChange={put('version')} />
        </div>
        <div class="row">
          <WordField label={t('asset.kind')} name="kind" value={form.kind} values={ASSET_KINDS} prefix="assetKind"
                     onChange={put('kind')} />
          <Field label={t('case.team')}>
            <select name="team" value={form.team} onChange={(e) => put('team')(value(e))}>
              {data.teams.map((x: Team) => <option value={String(x.id)}>{t('team.nameKind', { name: x.name, kind: x.kind })}</option>)}
            </select>
          </Field>
          <Field label={t('asset.parent')} hint={t('asset.parentHint')}>
            <ValueSelect name="parent" value={form.parent} values={others.map((x) => String(x.id))}
                         word={(v) => assetName(others.find((x) => x.id === Number(v))!)} blank={t('asset.noParent')}
                         onChange={put('parent')} />
          </Field>
        </div>
        <div class="row">
          <WordField label={t('asset.criticality')} name="criticality" value={form.criticality} values={CRITICALITIES}
                     prefix="criticality" onChange={put('criticality')} />
          <WordField label={t('asset.exposure')} name="exposure" value={form.exposure} values={EXPOSURES}
                     prefix="exposure" onChange={put('exposure')} />
          <TextField label={t('asset.vendor')} name="vendor" value={form.vendor} onChange={put('vendor')} />
        </div>
        <div class="row">
          <TextField label={t('asset.cpe')} name="cpe" value={form.cpe} onChange={put('cpe')} />
          <TextField label={t('asset.purl')} name="purl" value={form.purl} onChange={put('purl')} />
        </div>
        <Field label={t('asset.dependsOn')} hint={t('asset.dependsHint')}>
          <select name="depends_on" multiple size={Math.min(8, Math.max(3, others.length))}
                  onChange={(e) => setDeps([...(e.currentTarget as HTMLSelectElement).selectedOptions].map((o) => o.value))}>
            {others.map((x) => <option value={String(x.id)} selected={dependsOn.includes(String(x.id))}>{assetName(x)}</option>)}
          </select>
        </Field>
        <Field label={t('case.description')}>
          <textarea name="description" rows={3} value={form.description} onInput={(e) => put('description')(value(e))} />
        </Field>
        <TextField label={t('case.labels')} hint={t('caseNew.labelsHint')} name="labels" value={form.labels}
                   onChange={put('labels')} />
        <Submit text={id !== undefined ? t('asset.save') : t('asset.create')} />
      </Form>
      {dependsOn.length > 0 && (
        <p class="hint">{t('asset.dependsSummary', { assets: list(dependsOn.map((x) => {
          const d = data.assets.find((y) => y.id === Number(x));
          return d ? assetName(d) : x;
        })) })}</p>
      )}
    </Page>
  );
}
