// AdvisoryEditor.tsx — advisories made from cases: the list, and the
// editor of one (title, summary, remediation, references, CWEs, the
// revision's summary), with the C validator's results inline (test,
// JSON path, message) for the document publishing would write, publishing
// (refused while a mandatory test fails), and previews of the CSAF
// document and the CVE records.
import { useState } from 'preact/hooks';
import { call, get, HttpError, type List } from '../api';
import { formatDate, t, tv } from '../i18n';
import { navigate } from '../router';
import { AddForm, Empty, ErrorBox, Field, Form, Loading, Page, Section, Status, Submit, Table, TextField, TlpLabel,
         useLoad, value } from '../components';
import { createAdvisory, type Advisory, type Failure, type Validation } from '../disclosure';

export function AdvisoryList() {
  const { data, error } = useLoad(() => get<List<Advisory>>('/advisories?limit=200'), []);
  const [caseId, setCaseId] = useState('');
  return (
    <Page title={t('advisory.listTitle')} purpose={t('advisory.listPurpose')}
          actions={<a class="button" href="/disclosure">{t('intake.title')}</a>}>
      <Status data={data} error={error} />
      {data && (data.items.length === 0 ? <Empty text={t('advisory.none')} /> : (
        <Table caption={t('advisory.listTitle')} class="cases"
               headers={[t('advisory.trackingId'), t('advisory.titleField'), t('advisory.status'), t('advisory.version'),
                         t('advisory.tlp'), t('advisory.updated')]}>
          {data.items.map((a) => (
            <tr>
              <td class="mono">{a.tracking_id}</td>
              <td><a href={'/advisories/' + a.id}>{a.title}</a></td>
              <td data-label={t('advisory.status')}>{tv('advisoryStatus', a.status)}</td>
              <td data-label={t('advisory.version')}>{a.version}</td>
              <td data-label={t('advisory.tlp')}><TlpLabel tlp={a.tlp} /></td>
              <td data-label={t('advisory.updated')}>{formatDate(a.updated)}</td>
            </tr>
          ))}
        </Table>
      ))}
      <Section id="h-advisory-new" title={t('advisory.create')}>
        <AddForm title={t('advisory.create')} onSubmit={async () => {
          const a = await createAdvisory(Number(caseId));
          navigate('/advisories/' + a.id);
        }}>
          <TextField label={t('advisory.caseNumber')} hint={t('advisory.caseNumberHint')} name="case" required
                     value={caseId} onChange={setCaseId} />
        </AddForm>
      </Section>
    </Page>
  );
}

async function load(id: number) {
  const a = await call<Advisory>('GET', '/advisories/' + id);
  const v = await get<Validation>('/advisories/' + id + '/validation');
  return { a: a.body, etag: a.etag, v };
}

// References as lines "URL summary"; CWEs as lines "CVE-… CWE-n name".
const refsText = (a: Advisory) => (a.references ?? []).map((r) => r.url + ' ' + r.summary).join('\n');
const cwesText = (a: Advisory) => Object.entries(a.cwes ?? {}).map(([k, c]) => k + ' ' + c.id + ' ' + c.name).join('\n');

function parseLines(text: string): string[][] {
  return text.split('\n').map((l) => l.trim()).filter((l) => l).map((l) => l.split(/\s+/));
}

export function AdvisoryEditor({ id }: { id: number }) {
  const { data, error, reload } = useLoad(() => load(id), [id]);
  const [edit, setEdit] = useState<Record<string, string> | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [refused, setRefused] = useState<Failure[] | null>(null);
  if (error) return <Page title={t('advisory.notFoundTitle')} purpose={t('advisory.notFound')}><ErrorBox error={error} /></Page>;
  if (!data) return <Loading />;
  const a = data.a;
  const f = edit ?? { title: a.title, summary: a.summary ?? '', remediation: a.remediation ?? '',
                      references: refsText(a), cwes: cwesText(a), revision_summary: a.revision_summary ?? '' };
  const set = (k: string) => (v: string) => setEdit({ ...f, [k]: v });
  const mandatory = data.v.failures.filter((x) => x.kind !== 'optional');
  const publish = async () => {
    setSaved(null);
    setRefused(null);
    try {
      const r = await call<Advisory>('POST', '/advisories/' + id + '/publish', undefined, { 'If-Match': data.etag ?? '' });
      setSaved(t('advisory.publishedAs', { version: r.body.version }));
    } catch (e) {
      if (e instanceof HttpError && e.error.code === 'invalid_csaf') {
        // The refusal's failures are the validator's: shown as below.
        const v = await get<Validation>('/advisories/' + id + '/validation');
        setRefused(v.failures);
      }
      throw e;
    } finally {
      reload();
    }
  };
  return (
    <Page title={a.title} purpose={t('advisory.purpose')}>
      <div class="case-labels" aria-label={t('advisory.labelsAria')}>
        <span class="mono">{a.tracking_id}</span>
        <TlpLabel tlp={a.tlp} />
        <span class="state">{tv('advisoryStatus', a.status)}</span>
        <span>{t('advisory.versionIs', { version: a.version })}</span>
        <a href={'/cases/' + a.case}>{t('case.number', { id: a.case })}</a>
        <a href={'/cases/' + a.case + '/coordination'}>{t('coord.open')}</a>
      </div>
      {saved && <p class="notice ok" role="status">{saved}</p>}
      <div class="case-grid" data-ready="true">
        <div class="case-main">
          <Section id="h-validation" title={t('advisory.validation')}>
            <p class={data.v.valid ? 'notice ok' : 'notice error-notice'} role="status" data-testid="validation-verdict">
              {data.v.valid ? t('advisory.valid', { version: data.v.version })
                            : t('advisory.invalid', { count: mandatory.length })}
            </p>
            <Failures failures={refused ?? data.v.failures} />
          </Section>
          <Section id="h-advisory-fields" title={t('advisory.fields')}>
            <Form label={t('advisory.fields')} onSubmit={async () => {
              setSaved(null);
              const cwes: Record<string, { id: string; name: string }> = {};
              for (const [vuln, cwe, ...name] of parseLines(f.cwes)) cwes[vuln] = { id: cwe ?? '', name: name.join(' ') };
              const body = {
                title: f.title, summary: f.summary || null, remediation: f.remediation || null,
                revision_summary: f.revision_summary || null,
                references: parseLines(f.references).map(([url, ...s]) => ({ url, summary: s.join(' ') || url })),
                cwes,
              };
              await call('PATCH', '/advisories/' + id, body, { 'If-Match': data.etag ?? '' });
              setEdit(null);
              setSaved(t('advisory.saved'));
              reload();
            }}>
              <TextField label={t('advisory.titleField')} name="title" required value={f.title} onChange={set('title')} />
              <Field label={t('advisory.summary')} hint={t('advisory.summaryHint')}>
                <textarea name="summary" rows={4} value={f.summary} onInput={(e) => set('summary')(value(e))} />
              </Field>
              <Field label={t('advisory.remediation')} hint={t('advisory.remediationHint')}>
                <textarea name="remediation" rows={3} value={f.remediation} onInput={(e) => set('remediation')(value(e))} />
              </Field>
              <Field label={t('advisory.references')} hint={t('advisory.referencesHint')}>
                <textarea name="references" rows={3} class="mono" value={f.references}
                          onInput={(e) => set('references')(value(e))} />
              </Field>
              <Field label={t('advisory.cwes')} hint={t('advisory.cwesHint')}>
                <textarea name="cwes" rows={3} class="mono" value={f.cwes} onInput={(e) => set('cwes')(value(e))} />
              </Field>
              <TextField label={t('advisory.revisionSummary')} hint={t('advisory.revisionSummaryHint')}
                         name="revision_summary" value={f.revision_summary} onChange={set('revision_summary')} />
              <Submit text={t('advisory.save')} />
            </Form>
          </Section>
          <Previews id={id} />
        </div>
        <aside class="case-side">
          <Section id="h-publish" title={t('advisory.publish')}>
            <p class="hint">{a.status === 'final' ? t('advisory.publishedHint', { version: a.version })
                                                  : t('advisory.publishHint', { version: data.v.version })}</p>
            <Form label={t('advisory.publish')} onSubmit={publish}>
              <button type="submit" class="primary" disabled={!data.v.valid || a.status === 'final'}
                      aria-describedby="publish-why">{t('advisory.publishNow', { version: data.v.version })}</button>
              {!data.v.valid && <p class="hint" id="publish-why">{t('advisory.publishBlocked')}</p>}
            </Form>
          </Section>
          <Section id="h-history" title={t('advisory.history')}>
            {(a.history ?? []).length === 0 ? <Empty text={t('advisory.noHistory')} /> : (
              <ul class="plain">
                {(a.history ?? []).map((h) => <li>{t('advisory.revision', { number: h.number, date: formatDate(h.date),
                                                                     summary: h.summary })}</li>)}
              </ul>
            )}
          </Section>
        </aside>
      </div>
    </Page>
  );
}

function Failures({ failures }: { failures: Failure[] }) {
  if (failures.length === 0) return <Empty text={t('advisory.noFailures')} />;
  return (
    <Table caption={t('advisory.validation')} class="cases failures"
           headers={[t('advisory.test'), t('advisory.path'), t('advisory.message')]}>
      {failures.map((x) => (
        <tr class={'failure failure-' + x.kind}>
          <td>{t('advisory.testIs', { test: x.test, kind: tv('failureKind', x.kind) })}</td>
          <td class="mono wrap" data-label={t('advisory.path')}>{x.path}</td>
          <td data-label={t('advisory.message')}>{x.message}</td>
        </tr>
      ))}
    </Table>
  );
}

// One preview: a JSON answer of the API, loaded when its button is pressed.
function Preview({ path, button, title }: { path: string; button: string; title: string }) {
  const [text, setText] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  return (
    <div>
      <button type="button" onClick={async () => {
        setError(null);
        try {
          setText(JSON.stringify(await get(path), null, 2));
        } catch (e) {
          setError(e);
        }
      }}>{button}</button>
      <ErrorBox error={error} />
      {text && <><h3>{title}</h3><pre class="json" tabIndex={0} aria-label={title}>{text}</pre></>}
    </div>
  );
}

// The CSAF document and the CVE records.
function Previews({ id }: { id: number }) {
  return (
    <Section id="h-preview" title={t('advisory.preview')}>
      <div class="previews">
        <Preview path={'/advisories/' + id + '/csaf'} button={t('advisory.showCsaf')} title={t('advisory.csaf')} />
        <Preview path={'/advisories/' + id + '/cve'} button={t('advisory.showCve')} title={t('advisory.cve')} />
      </div>
    </Section>
  );
}
