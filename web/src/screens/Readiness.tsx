// Readiness.tsx — the team's self-assessment against the JPCERT/CC survey
// of 66 CSIRTs: each question with how the surveyed teams answered, the
// team's answer (and what xsirt suggests from its own records), the next
// step for a missing or weak answer, and the score over time. Questions
// take one choice, several, a number, a month or words; one asked only
// after another answer shows when that answer is given. Saving records a
// dated assessment (POST /api/v1/readiness). Below, the team's contact
// groups (the contact network of questions 4.6 and 6.3).
import { useState } from 'preact/hooks';
import { call, get, List, post, query } from '../api';
import { formatDate, language, list, t, tv } from '../i18n';
import { loadTeams, teamName } from '../data';
import { AddForm, Empty, ErrorBox, Field, Form, Page, Section, Status, Submit, Table, useLoad, value, ValueSelect } from '../components';
import { BarChart, ShareBar } from '../charts';

type Value = string | string[] | number | null;
interface Option { id: string; text: string; count: number; percent: number | null; answerable?: boolean; exclusive?: boolean }
interface Question {
  id: string;
  section: number;
  section_title: string;
  kind: 'single' | 'multi' | 'number' | 'month' | 'text';
  text: string;
  source: { seed: string; heading: string; quote: string; page?: number };
  respondents: number | null;
  unanswered: number;
  options: Option[];
  answer: Value;
  suggested: { answer: Value; evidence: string } | null;
  peers_below: number | null;
  bin?: string;
  depends_on?: { question: string; choices: string[] };
  seed_answers?: { text: string; count: number }[];
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
          <ContactGroups key={'c' + chosen} team={Number(chosen)} />
        </>
      ))}
    </Page>
  );
}

const given = (v: Value) => v !== null && v !== '' && !(Array.isArray(v) && v.length === 0);
const chosenIds = (v: Value) => (Array.isArray(v) ? v : typeof v === 'string' ? [v] : []);

// An answer in words: the texts of the choices, or the number or month.
function words(q: Question, v: Value): string {
  if (q.kind === 'single' || q.kind === 'multi')
    return list(chosenIds(v).map((id) => q.options.find((o) => o.id === id)?.text ?? id));
  return String(v);
}

function Assessment({ team }: { team: number }) {
  const { data, error, reload } = useLoad(() => get<Assessment>('/readiness' + query({ team, language: language() })), [team]);
  const [answers, setAnswers] = useState<Record<string, Value>>({});
  const [saved, setSaved] = useState(false);
  if (error) return <ErrorBox error={error} />;
  if (!data) return <Status data={data} error={error} />;
  const current = (q: Question): Value => (q.id in answers ? answers[q.id] : q.answer);
  const byId = new Map(data.questions.map((q) => [q.id, q]));
  const asked = (q: Question) => !q.depends_on ||
    chosenIds(current(byId.get(q.depends_on.question)!)).some((c) => q.depends_on!.choices.includes(c));
  const set = (q: Question, v: Value) => setAnswers({ ...answers, [q.id]: v });
  const save = async () => {
    setSaved(false);
    const all: Record<string, Value> = {};
    for (const q of data.questions) if (asked(q) && given(current(q))) all[q.id] = current(q);
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
          const qs = data.questions.filter((q) => q.section === sec && asked(q));
          if (qs.length === 0) return null;
          return (
            <Section id={'h-section-' + sec} title={qs[0].section_title}>
              {qs.map((q) => <QuestionBox q={q} v={current(q)} set={(v) => set(q, v)} />)}
            </Section>
          );
        })}
        <Submit text={t('readiness.save')} />
        {saved && <p class="notice ok" role="status">{t('readiness.saved')}</p>}
      </Form>
    </div>
  );
}

function QuestionBox({ q, v, set }: { q: Question; v: Value; set: (v: Value) => void }) {
  const ids = chosenIds(v);
  // An exclusive choice ("never contacted") stands alone: choosing it
  // clears the others, choosing another clears it.
  const exclusive = (id: string) => q.options.find((x) => x.id === id)?.exclusive === true;
  const toggle = (o: Option, on: boolean) =>
    set(!on ? ids.filter((id) => id !== o.id) : o.exclusive ? [o.id] : [...ids.filter((id) => !exclusive(id)), o.id]);
  const share = (o: Option) => o.percent !== null && q.respondents !== null &&
    <ShareBar percent={o.percent} label={t('readiness.peers', { count: o.count, total: q.respondents, percent: o.percent })} />;
  return (
    <fieldset class="question" id={'q-' + q.id}>
      <legend>{t('readiness.question', { id: q.id, text: q.text })}</legend>
      {q.kind === 'multi' && <p class="hint">{t('readiness.several')}</p>}
      {q.kind === 'number' && (
        <Field label={t('readiness.number')}>
          <input type="number" name={'q-' + q.id} min="0" max="100000" inputMode="numeric" value={v === null ? '' : String(v)}
                 onInput={(e) => set(value(e) === '' ? null : Number(value(e)))} />
        </Field>
      )}
      {q.kind === 'month' && (
        <Field label={t('readiness.month')}>
          <input type="month" name={'q-' + q.id} value={typeof v === 'string' ? v : ''} onInput={(e) => set(value(e) || null)} />
        </Field>
      )}
      {q.kind === 'text' && (
        <Field label={t('readiness.text')}>
          <textarea name={'q-' + q.id} maxLength={4000} value={typeof v === 'string' ? v : ''}
                    onInput={(e) => set(value(e) || null)} />
        </Field>
      )}
      {q.options.map((o) => (
        <label class={'option' + (q.bin === o.id ? ' bin' : '')}>
          {q.kind === 'single' && o.answerable !== false &&
            <input type="radio" name={'q-' + q.id} value={o.id} checked={ids.includes(o.id)} onChange={() => set(o.id)} />}
          {q.kind === 'multi' && o.answerable !== false &&
            <input type="checkbox" name={'q-' + q.id} value={o.id} checked={ids.includes(o.id)}
                   onChange={(e) => toggle(o, (e.currentTarget as HTMLInputElement).checked)} />}
          {(o.answerable === false || q.kind === 'number' || q.kind === 'month') && <span aria-hidden="true" />}
          <span class="option-text">{o.answerable === false ? t('readiness.notAChoice', { text: o.text }) : o.text}</span>
          {share(o)}
        </label>
      ))}
      {(q.seed_answers ?? []).map((a) => <p class="hint">{t('readiness.seedAnswer', { text: a.text, count: a.count })}</p>)}
      {q.bin && <p class="hint">{t('readiness.bin', { bin: q.options.find((o) => o.id === q.bin)?.text ?? q.bin })}</p>}
      {q.peers_below !== null && <p class="hint">{t('readiness.peersBelow', { percent: q.peers_below })}</p>}
      {q.suggested && (
        <p class="hint">{t('readiness.suggested', { answer: words(q, q.suggested.answer), evidence: q.suggested.evidence })}{' '}
          {JSON.stringify(q.suggested.answer) !== JSON.stringify(v) &&
            <button type="button" onClick={() => set(q.suggested!.answer)}>{t('readiness.useSuggested')}</button>}
        </p>
      )}
      {q.next_step && (
        <p class="next-step">{t('readiness.nextStep', { text: q.next_step.text, service: q.next_step.first_service })}</p>
      )}
      <p class="meta">{q.source.page !== undefined ? t('readiness.citePage', { heading: q.source.heading, quote: q.source.quote, page: q.source.page })
                                                    : t('readiness.cite', { heading: q.source.heading, quote: q.source.quote })}</p>
    </fieldset>
  );
}

// ---- contact groups ---------------------------------------------------------

interface Person { id: number; name: string; role: string | null; email: string | null; phone: string | null; organisation: string }
interface Group { id: number; team: number | null; name: string; description: string; reviewed_at: string | null; members: Person[] }
const ORGANISATIONS = ['management', 'pr', 'legal', 'it', 'external', 'other'];
const orgWord = (v: string) => tv('contacts.org', v);

function ContactGroups({ team }: { team: number }) {
  const { data, error, reload } = useLoad(() => get<List<Group>>(`/teams/${team}/contact-groups`), [team]);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const create = async () => {
    await post(`/teams/${team}/contact-groups`, { name, description });
    setName('');
    setDescription('');
    reload();
  };
  return (
    <Section id="h-contacts" title={t('contacts.title')} class="contacts">
      <p class="meta">{t('contacts.purpose')}</p>
      <Status data={data} error={error} />
      {data && (data.items.length === 0 ? <Empty text={t('contacts.none')} /> :
        data.items.map((g) => <ContactGroupBox g={g} reload={reload} />))}
      <AddForm title={t('contacts.create')} onSubmit={create}>
        <Field label={t('contacts.name')}>
          <input name="group-name" required maxLength={100} value={name} onInput={(e) => setName(value(e))} />
        </Field>
        <Field label={t('contacts.description')}>
          <input name="group-description" maxLength={2000} value={description} onInput={(e) => setDescription(value(e))} />
        </Field>
      </AddForm>
    </Section>
  );
}

function ContactGroupBox({ g, reload }: { g: Group; reload: () => void }) {
  const empty = { name: '', role: '', organisation: 'management', email: '', phone: '' };
  const [p, setP] = useState(empty);
  const field = (k: keyof typeof empty) => (e: Event) => setP({ ...p, [k]: value(e) });
  const add = async () => {
    await post(`/contact-groups/${g.id}/members`, { name: p.name, role: p.role || null, organisation: p.organisation,
                                                   email: p.email || null, phone: p.phone || null });
    setP(empty);
    reload();
  };
  const act = async (method: string, path: string, body?: unknown) => {
    await call(method, path, body);
    reload();
  };
  return (
    <section class="contact-group" aria-labelledby={'g-' + g.id}>
      <h3 id={'g-' + g.id}>{g.name}</h3>
      {g.description && <p>{g.description}</p>}
      <p class="meta">{g.reviewed_at ? t('contacts.reviewed', { date: formatDate(g.reviewed_at) }) : t('contacts.neverReviewed')}</p>
      <Form onSubmit={() => act('PATCH', `/contact-groups/${g.id}`, { reviewed: true })} label={t('contacts.markReviewed')}>
        <Submit text={t('contacts.markReviewed')} />
      </Form>
      {g.members.length === 0 ? <Empty text={t('contacts.noPeople')} /> : (
        <Table caption={t('contacts.people', { name: g.name })}
               headers={[t('contacts.personName'), t('contacts.role'), t('contacts.organisation'), t('contacts.email'),
                         t('contacts.phone'), t('contacts.actions')]}>
          {g.members.map((m) => (
            <tr>
              <td>{m.name}</td><td>{m.role}</td><td>{orgWord(m.organisation)}</td>
              <td>{m.email && <a href={'mailto:' + m.email}>{m.email}</a>}</td>
              <td>{m.phone && <a href={'tel:' + m.phone.replace(/[^0-9+]/g, '')}>{m.phone}</a>}</td>
              <td><button type="button" onClick={() => act('DELETE', `/contact-groups/${g.id}/members/${m.id}`)}>
                {t('contacts.remove', { name: m.name })}</button></td>
            </tr>
          ))}
        </Table>
      )}
      <AddForm title={t('contacts.addPerson', { name: g.name })} onSubmit={add}>
        <Field label={t('contacts.personName')}><input name="person-name" required maxLength={200} value={p.name} onInput={field('name')} /></Field>
        <Field label={t('contacts.role')}><input name="person-role" maxLength={200} value={p.role} onInput={field('role')} /></Field>
        <Field label={t('contacts.organisation')}>
          <ValueSelect name="person-organisation" value={p.organisation} values={ORGANISATIONS} word={orgWord}
                       onChange={(v) => setP({ ...p, organisation: v })} />
        </Field>
        <Field label={t('contacts.email')}><input type="email" name="person-email" maxLength={254} value={p.email} onInput={field('email')} /></Field>
        <Field label={t('contacts.phone')}><input type="tel" name="person-phone" maxLength={40} value={p.phone} onInput={field('phone')} /></Field>
      </AddForm>
      <button type="button" class="danger" onClick={() => act('DELETE', `/contact-groups/${g.id}`)}>
        {t('contacts.deleteGroup', { name: g.name })}</button>
    </section>
  );
}
