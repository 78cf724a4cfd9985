// Readiness.tsx — the team's self-assessment against the JPCERT/CC survey
// of 66 CSIRTs: each question with how the surveyed teams answered, the
// team's answer (and what xsirt suggests from its own records), the next
// step for a missing or weak answer, and the score over time. Saving
// records a dated assessment (POST /api/v1/readiness).
import { useState } from 'preact/hooks';
import { get, post, query } from '../api';
import { formatDate, language, t } from '../i18n';
import { loadTeams, teamName } from '../data';
import { Empty, ErrorBox, Field, Form, Page, Section, Status, Submit, useLoad, ValueSelect } from '../components';
import { BarChart, ShareBar } from '../charts';

interface Question {
  id: string;
  section: number;
  section_title: string;
  text: string;
  source: { seed: string; heading: string; quote: string };
  respondents: number;
  unanswered: number;
  options: { id: string; text: string; count: number; percent: number }[];
  answer: string | null;
  suggested: { answer: string; evidence: string } | null;
  peers_below: number | null;
  next_step?: { text: string; first_service: string };
}
interface Assessment {
  team: number;
  title: string;
  source: string;
  score: number | null;
  questions: Question[];
  history: { id: number; at: string; by: string | null; score: number | null }[];
}

export function Readiness() {
  const teams = useLoad(loadTeams, []);
  const [team, setTeam] = useState('');
  const chosen = team || (teams.data && teams.data.length > 0 ? String(teams.data[0].id) : '');
  return (
    <Page title={t('readiness.title')} purpose={t('readiness.purpose')}>
      <Status data={teams.data} error={teams.error} />
      {teams.data && (teams.data.length === 0 ? <Empty text={t('readiness.noTeam')} /> : (
        <>
          <div class="filters">
            <Field label={t('readiness.team')}>
              <ValueSelect name="team" value={chosen} values={teams.data.map((x) => String(x.id))}
                           word={(v) => teamName(teams.data!, Number(v))} onChange={setTeam} />
            </Field>
          </div>
          <Assessment key={chosen + language()} team={Number(chosen)} />
        </>
      ))}
    </Page>
  );
}

function Assessment({ team }: { team: number }) {
  const { data, error, reload } = useLoad(() => get<Assessment>('/readiness' + query({ team, language: language() })), [team]);
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);
  if (error) return <ErrorBox error={error} />;
  if (!data) return <Status data={data} error={error} />;
  const current = (q: Question) => answers[q.id] ?? q.answer ?? '';
  const save = async () => {
    setSaved(false);
    const all: Record<string, string> = {};
    for (const q of data.questions) if (current(q)) all[q.id] = current(q);
    await post('/readiness', { team, answers: all });
    setAnswers({});
    setSaved(true);
    reload();
  };
  const sections = [...new Set(data.questions.map((q) => q.section))];
  const history = data.history.filter((h) => h.score !== null);
  return (
    <div class="readiness" data-ready="true">
      <p class="meta">{t('readiness.source', { source: data.source })}</p>
      <p class="score" role="status">{data.score === null ? t('readiness.noScore') : t('readiness.score', { score: data.score })}</p>
      <Section id="h-progress" title={t('readiness.progress')}>
        {history.length === 0 ? <Empty text={t('readiness.noHistory')} /> : (
          <BarChart id="chart-readiness" title={t('readiness.progressChart')} empty={t('readiness.noHistory')}
                    summary={t('readiness.progressSummary', { count: history.length, first: history[0].score!,
                                                              last: history[history.length - 1].score! })}
                    periods={history.map((h) => formatDate(h.at))} series={[{ key: 'score', label: t('readiness.scoreLabel') }]}
                    values={[history.map((h) => h.score)]} format={(v) => t('metrics.percent', { percent: v })} />
        )}
      </Section>
      <Form onSubmit={save} label={t('readiness.title')} class="form readiness-form">
        {sections.map((sec) => {
          const qs = data.questions.filter((q) => q.section === sec);
          return (
            <Section id={'h-section-' + sec} title={qs[0].section_title}>
              {qs.map((q) => (
                <fieldset class="question" id={'q-' + q.id}>
                  <legend>{t('readiness.question', { id: q.id, text: q.text })}</legend>
                  {q.options.map((o) => (
                    <label class="option">
                      <input type="radio" name={'q-' + q.id} value={o.id} checked={current(q) === o.id}
                             onChange={() => setAnswers({ ...answers, [q.id]: o.id })} />
                      <span class="option-text">{o.text}</span>
                      <ShareBar percent={o.percent} label={t('readiness.peers', { count: o.count, total: q.respondents, percent: o.percent })} />
                    </label>
                  ))}
                  {q.peers_below !== null && <p class="hint">{t('readiness.peersBelow', { percent: q.peers_below })}</p>}
                  {q.suggested && (
                    <p class="hint">{t('readiness.suggested', {
                      answer: q.options.find((o) => o.id === q.suggested!.answer)?.text ?? q.suggested.answer,
                      evidence: q.suggested.evidence })}</p>
                  )}
                  {q.next_step && (
                    <p class="next-step">{t('readiness.nextStep', { text: q.next_step.text, service: q.next_step.first_service })}</p>
                  )}
                  <p class="meta">{t('readiness.cite', { heading: q.source.heading, quote: q.source.quote })}</p>
                </fieldset>
              ))}
            </Section>
          );
        })}
        <Submit text={t('readiness.save')} />
        {saved && <p class="notice ok" role="status">{t('readiness.saved')}</p>}
      </Form>
    </div>
  );
}
