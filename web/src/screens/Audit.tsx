// Audit.tsx — the append-only audit trail (administrators and auditors):
// who changed what and when, with a check that the hash chain is whole,
// so an edited or deleted record would show.
import { useState } from 'preact/hooks';
import { get, query, type AuditRecord, type List } from '../api';
import { formatDate, t } from '../i18n';
import { ErrorBox, Page, Table, useLoad, Status } from '../components';

interface Verify {
  intact: boolean;
  records: number;
  first_bad: number | null;
  problem: string;
}

export function Audit() {
  const [cursor, setCursor] = useState<number | string | null>(null);
  const { data, error } = useLoad(() => get<List<AuditRecord>>('/audit' + query({ limit: 100, after: cursor })), [cursor]);
  const [verify, setVerify] = useState<Verify | null>(null);
  const [verifyError, setVerifyError] = useState<unknown>(null);
  const check = async () => {
    setVerifyError(null);
    try {
      setVerify(await get<Verify>('/audit/verify'));
    } catch (e) {
      setVerifyError(e);
    }
  };
  return (
    <Page title={t('audit.title')} purpose={t('audit.purpose')}
          actions={<button type="button" onClick={check}>{t('audit.verify')}</button>}>
      {verify && (
        <p class={verify.intact ? 'notice ok' : 'error'} role="status">
          {verify.intact ? t('audit.chainOk', { records: verify.records })
                         : t('audit.chainBroken', { seq: verify.first_bad ?? '', problem: verify.problem })}
        </p>
      )}
      <ErrorBox error={verifyError} />
      <Status data={data} error={error} />
      {data && (
        <>
          <Table headers={[t('audit.seq'), t('audit.at'), t('audit.actor'), t('audit.action'), t('audit.object'), t('audit.change')]} class="audit" caption={t('audit.title')}>
            {data.items.map((r) => r.corrupt ? (
              <tr class="corrupt">
                <td>{r.seq}</td>
                <td colSpan={5} class="error">{t('audit.corrupt', { problem: r.problem ?? '' })}</td>
              </tr>
            ) : (
              <tr>
                <td>{r.seq}</td><td>{formatDate(r.at)}</td><td>{r.actor}</td>
                <td class="mono">{r.action}</td><td class="mono">{t('audit.objectRef', { type: r.object_type, id: r.object_id })}</td>
                <td>
                  {(r.before !== null || r.after !== null) && (
                    <details>
                      <summary>{t('audit.showChange')}</summary>
                      <pre class="json">{JSON.stringify({ before: r.before, after: r.after }, null, 2)}</pre>
                    </details>
                  )}
                </td>
              </tr>
            ))}
          </Table>
          {data.next !== null && <button type="button" onClick={() => setCursor(data.next)}>{t('audit.older')}</button>}
        </>
      )}
    </Page>
  );
}
