// CaseNew.tsx — opens a case: what happened, which team owns it, how bad
// it is (a severity, or a CVSS vector xsirt scores) and who may see it
// (the TLP label). The team's service level sets the SLA clocks.
import { useState } from 'preact/hooks';
import { post, type Case } from '../api';
import { t, tv } from '../i18n';
import { loadTeams, loadWorkflows } from '../data';
import { navigate } from '../router';
import { Field, Form, Page, SeverityField, Submit, TlpField, useLoad, value, ValueSelect, Status } from '../components';

export function CaseNew() {
  const { data, error } = useLoad(() => Promise.all([loadTeams(), loadWorkflows()]), []);
  const [f, setF] = useState({ title: '', kind: '', team: '', severity: '', cvss: '', tlp: 'AMBER',
                               description: '', labels: '' });
  const put = (k: keyof typeof f) => (v: string) => setF({ ...f, [k]: v });
  const set = (k: keyof typeof f) => (e: Event) => put(k)(value(e));
  const submit = async () => {
    const body: Record<string, unknown> = {
      title: f.title, kind: f.kind || data![1][0]?.kinds[0], team: Number(f.team || data![0][0]?.id),
      tlp: f.tlp, description: f.description,
      labels: f.labels.split(/[,、]/).map((s) => s.trim()).filter(Boolean),
    };
    if (f.cvss) body.cvss = f.cvss;
    else if (f.severity) body.severity = f.severity;
    const c = await post<Case>('/cases', body);
    navigate('/cases/' + c.id);
  };
  const kinds = data ? [...new Set(data[1].flatMap((w) => w.kinds))] : [];
  return (
    <Page title={t('caseNew.title')} purpose={t('caseNew.purpose')}>
      <Status data={data} error={error} />
      {data && (
        <Form label={t('caseNew.title')} onSubmit={submit} class="form wide">
          <Field label={t('case.title')}>
            <input name="title" required maxLength={500} value={f.title} onInput={set('title')} />
          </Field>
          <div class="row">
            <Field label={t('case.kind')}>
              <ValueSelect name="kind" value={f.kind || kinds[0]} values={kinds} word={(k) => tv('kind', k)}
                           onChange={put('kind')} />
            </Field>
            <Field label={t('case.team')}>
              <select name="team" value={f.team || String(data[0][0]?.id ?? '')} onChange={set('team')}>
                {data[0].map((x) => <option value={String(x.id)}>{t('team.nameKind', { name: x.name, kind: x.kind })}</option>)}
              </select>
            </Field>
          </div>
          <div class="row">
            <SeverityField value={f.severity} blank={t('severity.unset')} onChange={put('severity')} />
            <Field label={t('case.cvss')} hint={t('caseNew.cvssHint')}>
              <input name="cvss" value={f.cvss} onInput={set('cvss')} spellcheck={false} />
            </Field>
            <TlpField value={f.tlp} hint={tv('tlp.help', f.tlp)} onChange={put('tlp')} />
          </div>
          <Field label={t('case.description')} hint={t('markdown.hint')}>
            <textarea name="description" rows={6} value={f.description} onInput={set('description')} />
          </Field>
          <Field label={t('case.labels')} hint={t('caseNew.labelsHint')}>
            <input name="labels" value={f.labels} onInput={set('labels')} />
          </Field>
          <Submit text={t('caseNew.submit')} />
        </Form>
      )}
    </Page>
  );
}
