// CaseReport.tsx — the case summary report for management, linked from the
// case screen: PDF to file or forward, HTML to read at once, in the
// language the user works in (GET /api/v1/cases/{id}/report).
import { query } from '../api';
import { language, t } from '../i18n';
import { Section } from '../components';

export function CaseReport({ id }: { id: number }) {
  const href = (format: string) => '/api/v1/cases/' + id + '/report' + query({ format, language: language() });
  return (
    <Section id="h-case-report" title={t('caseReport.title')}>
      <p class="hint">{t('caseReport.purpose')}</p>
      <ul class="plain downloads">
        <li><a href={href('pdf')} download>{t('caseReport.pdf')}</a></li>
        <li><a href={href('html')} target="_blank" rel="noopener">{t('caseReport.html')}</a></li>
      </ul>
    </Section>
  );
}
