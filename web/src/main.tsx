// main.tsx — the UI's entry: finds out who is logged in, picks the
// language, and shows the screen for the path inside the frame (skip
// link, navigation, language choice, logout).
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { call, get, setCsrf, type Principal, type Session } from './api';
import { applyLanguage, applyTimeZone, chooseLanguage, detectLanguage, languages, t, type Lang } from './i18n';
import { navigate, onLinkClick, useLocation } from './router';
import { Login } from './screens/Login';
import { Dashboard } from './screens/Dashboard';
import { CaseList } from './screens/CaseList';
import { CaseDetail } from './screens/CaseDetail';
import { CaseNew } from './screens/CaseNew';
import { Admin } from './screens/Admin';
import { Audit } from './screens/Audit';
import { AssetDetail, AssetForm, AssetList } from './screens/Assets';
import { FindingDetail, FindingList } from './screens/Findings';
import { Feeds } from './screens/Feeds';
import { Profile } from './screens/Profile';
import { Reports } from './screens/Reports';
import { loadProfile, saveProfile, type Profile as ProfileData } from './profile';
import { IntakeQueue } from './screens/Intake';
import { Coordination } from './screens/Coordination';
import { AdvisoryEditor, AdvisoryList } from './screens/AdvisoryEditor';
import { isPublicPath, PublicApp } from './screens/PublicReport';
import { portalRoute } from './screens/Portal';
import { Loading } from './components';
import './styles.css';

function route(path: string, me: Principal, onProfile: (p: ProfileData) => void) {
  let m: RegExpExecArray | null;
  if (path === '/' || path === '') return <Dashboard me={me} />;
  if (path === '/cases') return <CaseList me={me} />;
  if (path === '/cases/new') return <CaseNew />;
  if ((m = /^\/cases\/(\d+)$/.exec(path))) return <CaseDetail id={Number(m[1])} me={me} />;
  if (path === '/portfolio') return <AssetList />;
  if (path === '/portfolio/new') return <AssetForm />;
  if ((m = /^\/portfolio\/(\d+)$/.exec(path))) return <AssetDetail id={Number(m[1])} />;
  if ((m = /^\/portfolio\/(\d+)\/edit$/.exec(path))) return <AssetForm id={Number(m[1])} />;
  if (path === '/findings') return <FindingList />;
  if ((m = /^\/findings\/(\d+)$/.exec(path))) return <FindingDetail id={Number(m[1])} />;
  if (path === '/feeds') return <Feeds me={me} />;
  if (path === '/disclosure') return <IntakeQueue />;
  if ((m = /^\/cases\/(\d+)\/coordination$/.exec(path))) return <Coordination id={Number(m[1])} />;
  if (path === '/advisories') return <AdvisoryList />;
  if ((m = /^\/advisories\/(\d+)$/.exec(path))) return <AdvisoryEditor id={Number(m[1])} />;
  if (path.startsWith('/admin')) return <Admin path={path} me={me} />;
  if (path === '/audit') return <Audit />;
  if (path === '/profile') return <Profile onSaved={onProfile} />;
  if (path === '/reports' || path.startsWith('/reports/')) return <Reports path={path} />;
  return <p role="alert">{t('app.notFound')}</p>;
}

function App() {
  const [me, setMe] = useState<Principal | null | undefined>(undefined);
  // The language is applied before the state changes, so that the render
  // the change causes is already in the new language.
  const [lang, setLangState] = useState<Lang>(() => {
    const l = detectLanguage();
    applyLanguage(l);
    return l;
  });
  const switchTo = (l: Lang) => {
    applyLanguage(l);
    setLangState(l);
  };
  const loc = useLocation();
  // The profile's language and zone; until the user chooses, the browser's.
  const fromProfile = (p: ProfileData | null) => {
    applyTimeZone(p?.timezone);
    switchTo(p?.language ?? detectLanguage());
  };
  const applyProfile = async () => fromProfile(await loadProfile());

  useEffect(() => {
    // Who am I and my profile in parallel: one round trip before the screen.
    Promise.all([get<Session>('/session'), loadProfile()]).then(([s, p]) => {
      setCsrf(s.csrf);
      fromProfile(p);
      setMe(s.user);
    }, () => setMe(null));
  }, []);
  // Move focus to the new screen's heading so screen readers announce it.
  useEffect(() => {
    document.getElementById('page-title')?.focus({ preventScroll: true });
  }, [loc.path]);

  const chooser = (
    <div class="lang">
      <label class="field-label" for="language">{t('app.language')}</label>
      <select id="language" value={lang} onChange={(e) => {
        const l = e.currentTarget.value as Lang;
        chooseLanguage(l);
        setLangState(l);
        // Signed in, the choice goes to the profile (and so to reports and mail).
        if (me) saveProfile({ language: l }).catch(() => undefined);
      }}>
        {languages.map((l) => <option value={l} lang={l}>{t(l === 'en' ? 'lang.en' : 'lang.ja')}</option>)}
      </select>
    </div>
  );

  if (me === undefined) return <Loading />;
  if (me === null)
    return (
      <div class="login-shell" onClick={onLinkClick}>
        <header class="login-top">{chooser}</header>
        <Login onLogin={async (s) => {
          setCsrf(s.csrf);
          await applyProfile();
          setMe(s.user);
          navigate(loc.path === '/login' ? '/' : loc.path + location.search, true);
        }} />
      </div>
    );

  const logout = async () => {
    try {
      await call('DELETE', '/session');
    } finally {
      setCsrf(null);
      setMe(null);
      navigate('/', true);
    }
  };
  // An external account (a party's login) has its portal and nothing else.
  const external = me.kind === 'external';
  const nav = external ? [{ href: '/', text: t('nav.portal'), show: true }] : [
    { href: '/', text: t('nav.dashboard'), show: true },
    { href: '/cases', text: t('nav.cases'), show: true },
    { href: '/portfolio', text: t('nav.portfolio'), show: true },
    { href: '/findings', text: t('nav.findings'), show: true },
    { href: '/feeds', text: t('nav.feeds'), show: true },
    { href: '/reports', text: t('nav.reports'), show: true },
    { href: '/disclosure', text: t('nav.disclosure'), show: true },
    { href: '/admin', text: t('nav.admin'), show: true },
    { href: '/audit', text: t('nav.audit'), show: me.admin || me.auditor },
  ];
  const active = (href: string) => (href === '/' ? loc.path === '/' || (external && loc.path.startsWith('/portal/')) :
    loc.path.startsWith(href) || (href === '/disclosure' && loc.path.startsWith('/advisories')));
  return (
    <div class="shell" onClick={onLinkClick}>
      <a class="skip" href="#main">{t('app.skip')}</a>
      <header class="top">
        <a class="brand" href="/">{t('app.name')}</a>
        <nav aria-label={t('nav.label')}>
          <ul>
            {nav.filter((n) => n.show).map((n) => (
              <li><a href={n.href} aria-current={active(n.href) ? 'page' : undefined}>{n.text}</a></li>
            ))}
          </ul>
        </nav>
        <div class="who">
          {chooser}
          {external ? <span class="user">{t('app.signedInAs', { user: me.username })}</span>
                    : <a class="user" href="/profile">{t('app.signedInAs', { user: me.username })}</a>}
          <button type="button" onClick={logout}>{t('app.logout')}</button>
        </div>
      </header>
      <main id="main" key={loc.path}>{external ? portalRoute(loc.path) : route(loc.path, me, fromProfile)}</main>
    </div>
  );
}

// The public pages (the report form and the reporter's status page) need
// no login and never ask for the session.
function Root() {
  const loc = useLocation();
  return isPublicPath(loc.path) ? <PublicApp /> : <App />;
}

render(<Root />, document.getElementById('app')!);
