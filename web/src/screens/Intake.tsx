// Intake.tsx — the intake queue: vulnerability reports that came by the
// public form or by mail (GET /intake-reports), each with its state,
// reporter and time of receipt. Each report is a case: it opens on its
// coordination with the reporter, or as a case to triage.
import { useState } from 'preact/hooks';
import { get, type List } from '../api';
import { formatDate, t, tv } from '../i18n';
import { Empty, Page, StateLabel, Status, Table, TlpLabel, useLoad } from '../components';
import type { IntakeItem } from '../disclosure';

export function IntakeQueue() {
  const [cursor, setCursor] = useState<number | null>(null);
  const { data, error } = useLoad(() => get<List<IntakeItem>>('/intake-reports?limit=50' +
                                                               (cursor ? '&cursor=' + cursor : '')), [cursor]);
  return (
    <Page title={t('intake.title')} purpose={t('intake.purpose')}
          actions={<a class="button" href="/advisories">{t('advisory.listTitle')}</a>}>
      <Status data={data} error={error} />
      {data && (data.items.length === 0 ? <Empty text={t('intake.empty')} /> : (
        <div data-ready="true">
          <Table caption={t('intake.title')} class="cases"
                 headers={[t('intake.received'), t('intake.report'), t('intake.reporter'), t('intake.channel'),
                           t('intake.state'), t('intake.tlp')]}>
            {data.items.map((r) => (
              <tr>
                <td data-label={t('intake.received')}>{formatDate(r.received)}</td>
                <td>
                  <a href={'/cases/' + r.case + '/coordination'}>{r.title}</a>
                  <span class="hint block">{t('intake.receiptIs', { receipt: r.receipt })}</span>
                  <a class="hint" href={'/cases/' + r.case}>{t('intake.triage', { id: r.case })}</a>
                </td>
                <td data-label={t('intake.reporter')}>
                  {r.reporter
                    ? (r.reporter.organisation
                        ? t('intake.reporterOrg', { name: r.reporter.name || t('intake.anonymous'),
                                                    organisation: r.reporter.organisation })
                        : r.reporter.name || t('intake.anonymous'))
                    : t('intake.anonymous')}
                  {r.reporter?.email && <span class="hint block">{r.reporter.email}</span>}
                </td>
                <td data-label={t('intake.channel')}>{tv('intakeChannel', r.channel)}</td>
                <td data-label={t('intake.state')}><StateLabel state={r.state} /></td>
                <td data-label={t('intake.tlp')}><TlpLabel tlp={r.tlp} /></td>
              </tr>
            ))}
          </Table>
          {data.next !== null && (
            <button type="button" onClick={() => setCursor(Number(data.next))}>{t('intake.older')}</button>
          )}
        </div>
      ))}
    </Page>
  );
}
