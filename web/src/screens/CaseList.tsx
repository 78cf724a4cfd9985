// CaseList.tsx — every case the user may see, filtered by state, team,
// severity, TLP, kind, text and lateness. The filters live in the URL, so
// a filtered list can be bookmarked or sent to a colleague; a user can
// also save a filtered list under a name (kept in this browser).
import { useState } from 'preact/hooks';
import { get, query, type Case, type List, type Principal } from '../api';
import { t, tv } from '../i18n';
import { loadTeams, loadUsers, loadWorkflows, teamName } from '../data';
import { setFilter } from '../router';
import { Field, Form, Page, Section, SEVERITIES, severityWord, Submit, TLPS, tlpWord, useLoad, value, ValueSelect, Status } from '../components';
import { CaseTable } from './CaseTable';

const FILTERS = ['q', 'state', 'team', 'severity', 'tlp', 'kind', 'overdue', 'assignee'] as const;

interface SavedView {
  name: string;
  search: string;
}

function loadViews(user: string): SavedView[] {
  try {
    return JSON.parse(localStorage.getItem('xsirt.views.' + user) ?? '[]');
  } catch {
    return [];
  }
}

function SavedViews({ me }: { me: Principal }) {
  const [views, setViews] = useState<SavedView[]>(() => loadViews(me.username));
  const [name, setName] = useState('');
  const store = (v: SavedView[]) => {
    localStorage.setItem('xsirt.views.' + me.username, JSON.stringify(v));
    setViews(v);
  };
  return (
    <Section id="h-views" title={t('views.title')} class="views">
      {views.length === 0 ? <p class="hint">{t('views.empty')}</p> : (
        <ul class="inline">
          {views.map((v) => (
            <li>
              <a href={'/cases' + v.search}>{v.name}</a>{' '}
              <button type="button" class="small" aria-label={t('views.deleteAria', { name: v.name })}
                      onClick={() => store(views.filter((x) => x !== v))}>{t('views.delete')}</button>
            </li>
          ))}
        </ul>
      )}
      <Form label={t('views.save')} class="form inline-form" onSubmit={() => {
        store([...views.filter((x) => x.name !== name), { name, search: location.search }]);
        setName('');
      }}>
        <Field label={t('views.name')}>
          <input name="view" required value={name} onInput={(e) => setName(value(e))} />
        </Field>
        <Submit text={t('views.save')} />
      </Form>
    </Section>
  );
}

export function CaseList({ me }: { me: Principal }) {
  const params = new URLSearchParams(location.search);
  const filters: Record<string, string> = {};
  for (const f of FILTERS) filters[f] = params.get(f) ?? '';
  const [more, setMore] = useState<Case[]>([]);
  const [next, setNext] = useState<string | number | null>(null);
  const key = JSON.stringify(filters);
  const { data, error } = useLoad(async () => {
    const [list, teams, users, workflows] = await Promise.all([
      get<List<Case>>('/cases' + query({ ...filters, limit: 50 })), loadTeams(), loadUsers(), loadWorkflows()]);
    setMore([]);
    setNext(list.next);
    return { list, teams, users, workflows };
  }, [key]);

  const set = setFilter;
  const loadMore = async () => {
    const l = await get<List<Case>>('/cases' + query({ ...filters, limit: 50, cursor: next ?? undefined }));
    setMore((m) => [...m, ...l.items]);
    setNext(l.next);
  };
  const states = data ? [...new Set(data.workflows.flatMap((w) => w.states.map((s) => s.name)))] : [];
  const kinds = data ? [...new Set(data.workflows.flatMap((w) => w.kinds))] : [];

  return (
    <Page title={t('cases.title')} purpose={t('cases.purpose')}
          actions={<a class="button primary" href="/cases/new">{t('case.new')}</a>}>
      <form class="filters" role="search" aria-label={t('cases.filters')} onSubmit={(e) => e.preventDefault()}>
        <Field label={t('cases.search')}>
          <input type="search" value={filters.q} onChange={(e) => set('q', value(e))} />
        </Field>
        {([['state', t('case.state'), states, (v: string) => tv('state', v)],
           ['team', t('case.team'), data?.teams.map((x) => String(x.id)) ?? [],
            (v: string) => teamName(data?.teams ?? [], Number(v))],
           ['severity', t('case.severity'), SEVERITIES, severityWord],
           ['tlp', t('case.tlp'), TLPS, tlpWord],
           ['kind', t('case.kind'), kinds, (v: string) => tv('kind', v)]] as const).map(([name, label, values, word]) => (
          <Field label={label}>
            <ValueSelect name={name} value={filters[name]} values={[...values]} word={word} blank={t('common.any')}
                         onChange={(v) => set(name, v)} />
          </Field>
        ))}
        <label class="check">
          <input type="checkbox" checked={filters.overdue === 'true'}
                 onChange={(e) => set('overdue', e.currentTarget.checked ? 'true' : '')} />
          {t('cases.onlyOverdue')}
        </label>
        <label class="check">
          <input type="checkbox" checked={filters.assignee === String(me.id)}
                 onChange={(e) => set('assignee', e.currentTarget.checked ? String(me.id) : '')} />
          {t('cases.onlyMine')}
        </label>
      </form>
      <SavedViews me={me} />
      <Status data={data} error={error} />
      {data && (
        <>
          <p class="count" role="status">{t('cases.shown', { count: data.list.items.length + more.length })}</p>
          <CaseTable cases={[...data.list.items, ...more]} teams={data.teams} users={data.users}
                     workflows={data.workflows} caption={t('cases.title')} empty={t('cases.empty')} />
          {next !== null && <button type="button" onClick={loadMore}>{t('cases.more')}</button>}
        </>
      )}
    </Page>
  );
}
