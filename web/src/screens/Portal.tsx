// Portal.tsx — the screens of an external account: the login a team gives
// a vendor, coordinator or reporter it works with ("account": true when
// the party is invited). The server lets such an account reach only its
// portal (GET /portal, /portal/{party} and the party's messages and
// answers); the UI shows it only that: the cases it is a party to, newest
// first, and each case's party view, the same as its secret link shows.
import { get } from '../api';
import { formatDate, t, tv } from '../i18n';
import { Empty, ErrorBox, Loading, Page, useLoad } from '../components';
import { PartyView } from './PartyView';
import type { PortalView } from '../disclosure';

export function portalRoute(path: string) {
  const m = /^\/portal\/(\d+)$/.exec(path);
  if (path === '/' || path === '' || path === '/portal') return <PortalList />;
  if (m) return <PortalParty id={Number(m[1])} />;
  return <p role="alert">{t('app.notFound')}</p>;
}

function PortalList() {
  const { data, error } = useLoad(() => get<{ items: PortalView[] }>('/portal'), []);
  if (error) return <ErrorBox error={error} />;
  if (!data) return <Loading />;
  return (
    <Page title={t('portal.listTitle')} purpose={t('portal.listPurpose')}>
      {data.items.length === 0 ? <Empty text={t('portal.listEmpty')} /> : (
        <ul class="plain" data-ready="true">
          {data.items.map((v) => (
            <li>
              <a href={'/portal/' + v.party.id}><strong>{v.case.title}</strong></a>
              <span class="hint block">{t('portal.youAre', { name: v.party.name, role: tv('partyRole', v.party.role) })}</span>
              <span class="block">{tv('publicState', v.case.state)}{' '}
                <span class="hint">{t('portal.updated')}: {formatDate(v.case.updated)}</span></span>
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}

function PortalParty({ id }: { id: number }) {
  const { data, error, reload } = useLoad(() => get<PortalView>('/portal/' + id), [id]);
  if (error) return <ErrorBox error={error} />;
  if (!data) return <Loading />;
  return (
    <>
      <p><a href="/">{t('portal.back')}</a></p>
      <PartyView data={data} base={'/portal/' + id} reload={reload} />
    </>
  );
}
