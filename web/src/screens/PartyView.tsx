// PartyView.tsx — what a party to a case sees of it: the case's state and
// embargo, the questions the team asked it per vulnerability with its
// answers, and its thread with the team. Two doors lead here, with the same
// view behind them: the secret status link (/intake/{secret}: a reporter,
// or a party invited by link, no login) and an external account's portal
// (/portal/{party}: a party given a login). base is that API path.
import { useState } from 'preact/hooks';
import { post } from '../api';
import { formatDate, t, tv } from '../i18n';
import { Empty, Field, Form, Page, Section, Submit, value, ValueSelect } from '../components';
import { WriteForm } from './Coordination';
import { inZone, VENDOR_STATUSES, viewerZone, type PortalView } from '../disclosure';

export function PartyView({ data, base, link, reload }: { data: PortalView; base: string; link?: boolean;
                                                         reload: () => void }) {
  const zone = viewerZone();
  return (
    <Page title={t(data.party.role === 'reporter' ? 'portal.title' : 'portal.invitedTitle', { title: data.case.title })}
          purpose={t('portal.purpose')}>
      <div class="card" data-ready="true">
        <dl class="facts">
          <dt>{t('portal.state')}</dt><dd><span class="state">{tv('publicState', data.case.state)}</span></dd>
          {data.receipt && <><dt>{t('portal.receipt')}</dt><dd class="mono">{data.receipt}</dd></>}
          <dt>{t('portal.you')}</dt><dd>{t('portal.youAre', { name: data.party.name || t('intake.anonymous'),
                                                               role: tv('partyRole', data.party.role) })}</dd>
          <dt>{t('portal.received')}</dt><dd>{formatDate(data.case.created)}</dd>
          <dt>{t('portal.updated')}</dt><dd>{formatDate(data.case.updated)}</dd>
          <dt>{t('portal.embargo')}</dt>
          <dd>{data.embargo ? t('coord.embargoAt', { utc: inZone(data.embargo.utc, 'UTC'),
                                                     local: inZone(data.embargo.utc, zone), zone })
                            : t('coord.noEmbargo')}</dd>
          {link && <><dt>{t('portal.linkExpires')}</dt><dd>{formatDate(data.party.link_expires)}</dd></>}
        </dl>
      </div>
      {data.statements.length > 0 && <Questions data={data} base={base} reload={reload} />}
      <Section id="h-messages" title={t('portal.messages')}>
        {data.messages.length === 0 ? <Empty text={t('coord.noMessages')} /> : (
          <ol class="plain messages">
            {data.messages.map((m) => (
              <li class={'message message-' + (m.author === 'you' ? 'in' : 'out')}>
                <p class="message-head">
                  <strong>{m.author === 'you' ? t('portal.fromYou') : t('portal.fromTeam')}</strong>{' '}
                  <span class="hint">{formatDate(m.created)}</span>{' '}
                  {m.thread === 'shared' && <span class="tag">{t('portal.shared')}</span>}
                </p>
                <p class="message-body">{m.body}</p>
              </li>
            ))}
          </ol>
        )}
        <WriteForm label={t('portal.write')} field={t('portal.message')} button={t('portal.send')} rows={4}
                   send={async (body) => {
          await post(base + '/messages', { body });
          reload();
        }} />
      </Section>
    </Page>
  );
}

// What the team asked this party (per vulnerability), and its answers.
function Questions({ data, base, reload }: { data: PortalView; base: string; reload: () => void }) {
  const [answers, setAnswers] = useState<Record<string, { status: string; statement: string }>>({});
  return (
    <Section id="h-questions" title={t('portal.questions')}>
      <p class="hint">{t('portal.questionsHint')}</p>
      <ul class="plain">
        {data.statements.map((s) => {
          const a = answers[s.vulnerability] ?? { status: s.status ?? 'under_investigation', statement: s.statement };
          return (
            <li class="card">
              <p><strong class="mono">{s.vulnerability}</strong>{' '}
                {s.status ? t('portal.answered', { status: tv('vendorStatus', s.status) }) : t('portal.notAnswered')}</p>
              <Form label={t('portal.answerFor', { vulnerability: s.vulnerability })} onSubmit={async () => {
                await post(base + '/statements', { vulnerability: s.vulnerability, status: a.status,
                                                   statement: a.statement });
                reload();
              }}>
                <Field label={t('coord.status')}>
                  <ValueSelect name="status" value={a.status} values={VENDOR_STATUSES} word={(v) => tv('vendorStatus', v)}
                               onChange={(v) => setAnswers({ ...answers, [s.vulnerability]: { ...a, status: v } })} />
                </Field>
                <Field label={t('coord.statement')}>
                  <textarea name="statement" rows={2} value={a.statement}
                            onInput={(e) => setAnswers({ ...answers, [s.vulnerability]: { ...a, statement: value(e) } })} />
                </Field>
                <Submit text={t('portal.answer')} />
              </Form>
            </li>
          );
        })}
      </ul>
    </Section>
  );
}
