#!/usr/bin/env node
// e2e.mjs — the web UI end to end: a real `xsirt serve` on loopback and
// Debian's chromium driven by playwright-core, in English and Japanese.
// A user logs in, opens a case, moves it through its whole workflow, adds
// a note (Markdown rendered, HTML shown as text), a task, a participant
// and a link; an administrator sees every administration screen and the
// audit trail. Also checked: CSRF protection, that a user of another team
// sees none of it, the CSP (no violation, no request leaving the server),
// IME-safe Enter, phone width, and axe-core on every screen (no serious or
// critical violation). Screenshots of every screen go to
// $XSIRT_BUILD_DIR/ui-screenshots/. Prints "N passed, N failed".
// The portfolio: feeds read a small local copy of the shared data
// (file://), a handler adds an asset, uploads its SBOM (and a broken one,
// whose error names its place), triages findings in bulk and promotes
// some to a case that lists them; another team sees none of it.
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { check, finish } from './result.mjs';
import { heading, launch, login as loginAt, msg, newPage as openPage, screen, shots, startServer } from './browser.mjs';

// ---- the server ----------------------------------------------------------
const srv = await startServer();
const { base, data, creds, api } = srv;

const csirt = await api('POST', '/teams', { name: 'CSIRT', kind: 'CSIRT', description: 'Incidents in our own IT' });
const psirt = await api('POST', '/teams', { name: 'PSIRT', kind: 'PSIRT' });
const password = 'correct horse battery staple';
const alice = await api('POST', '/users', { username: 'alice', display_name: 'Alice Handler', password });
const bob = await api('POST', '/users', { username: 'bob', display_name: 'Bob Product', password });
await api('PUT', `/teams/${csirt.id}/members/${alice.id}`, { role: 'lead' });
await api('PUT', `/teams/${psirt.id}/members/${bob.id}`, { role: 'member' });
// Intelligence: a small local copy of the shared OSV data and CISA's KEV,
// read by file:// feeds, so that an SBOM naming these packages has findings.
const SHARED = process.env.XSIRT_SHARED_DATA;
const intel = join(data, 'sample-intel');
for (const pkg of ['salt', 'jinja2', 'pillow']) cpSync(join(SHARED, 'osv/pypi', pkg), join(intel, pkg), { recursive: true });
const osvFeed = await api('POST', '/feeds', { name: 'OSV (PyPI subset)', kind: 'osv', url: 'file://' + intel });
const kevFeed = await api('POST', '/feeds', { name: 'CISA KEV', kind: 'kev',
                                              url: 'file://' + join(SHARED, 'kev/known_exploited_vulnerabilities.json') });
for (const f of [osvFeed, kevFeed]) {
  const r = await api('POST', `/feeds/${f.id}/sync`, {});
  check(r.status === 'ok', `feed ${f.name} syncs from a local copy (${r.status} ${r.error ?? ''})`);
}
// A shared system of the CSIRT and a service depending on it: the impact view.
const sharedSystem = await api('POST', '/assets', { name: 'Shared database', kind: 'system', team: csirt.id,
                                                    criticality: 'high' });
// Both languages' cameras are versions of one product line: a decision on
// one is carried over to the other.
const cameraLine = await api('POST', '/assets', { name: 'Camera line', kind: 'product', team: csirt.id });
const portal = await api('POST', '/assets', { name: 'Customer portal', kind: 'service', team: csirt.id,
                                              exposure: 'internet', depends_on: [sharedSystem.id] });
const BOM = JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.5', version: 1, components: [
  { type: 'library', name: 'salt', version: '3000', purl: 'pkg:pypi/salt@3000' },
  { type: 'library', name: 'jinja2', version: '2.10', purl: 'pkg:pypi/jinja2@2.10' },
  { type: 'library', name: 'pillow', version: '9.5.0', purl: 'pkg:pypi/pillow@9.5.0' }] });
const other = await api('POST', '/cases', { title: 'Earlier phishing report', kind: 'incident', team: csirt.id,
                                            severity: 'critical', tlp: 'AMBER', assignee: alice.id });

// ---- the browser -----------------------------------------------------------
const browser = await launch();
const newPage = (lang, viewport) => openPage(browser, base, lang, viewport);
const login = (page, lang, user, pass) => loginAt(page, base, lang, user, pass);

const INCIDENT_PATH = ['triage', 'analysis', 'containment', 'eradication', 'recovery', 'lessons-learned', 'closed'];

async function handler(lang) {
  const page = await newPage(lang);
  await page.goto(base + '/');
  await screen(page, lang, 'login');
  // A wrong password is refused with the catalogue's message.
  await page.getByLabel(msg(lang, 'login.username'), { exact: true }).fill('alice');
  await page.getByLabel(msg(lang, 'login.password'), { exact: true }).fill('wrong password!!');
  await page.getByRole('button', { name: msg(lang, 'login.submit') }).click();
  await page.getByRole('alert').waitFor();
  check((await page.getByRole('alert').textContent()).includes(msg(lang, 'error.unauthenticated')),
        `${lang}: a wrong password is refused in ${lang}`);
  await login(page, lang, 'alice', password);
  check(await page.getAttribute('html', 'lang') === lang, `${lang}: <html lang> follows the language`);
  await page.getByText('Earlier phishing report').first().waitFor();
  check(await page.getByText(msg(lang, 'tlp.label', { tlp: 'AMBER' })).count() > 0, `${lang}: TLP shown on the dashboard`);
  await screen(page, lang, 'dashboard');

  // Open a case.
  await page.getByRole('link', { name: msg(lang, 'case.new') }).first().click();
  await heading(page, msg(lang, 'caseNew.title'), `${lang}: the new-case screen`);
  await screen(page, lang, 'case-new');
  const title = lang === 'ja' ? '経理部へのフィッシングメール' : 'Phishing mail to accounting';
  await page.getByLabel(msg(lang, 'case.title'), { exact: true }).fill(title);
  await page.getByLabel(msg(lang, 'case.kind'), { exact: true }).selectOption('incident');
  await page.getByLabel(msg(lang, 'case.team'), { exact: true }).selectOption(String(csirt.id));
  await page.getByLabel(msg(lang, 'case.severity'), { exact: true }).selectOption('high');
  await page.getByLabel(msg(lang, 'case.tlp'), { exact: true }).selectOption('AMBER');
  await page.getByLabel(msg(lang, 'case.description'), { exact: true }).fill('Mail with a **malicious** link.');
  await page.getByRole('button', { name: msg(lang, 'caseNew.submit') }).click();
  await heading(page, title, `${lang}: the case is opened and shown`);
  const caseId = Number(/\/cases\/(\d+)/.exec(page.url())?.[1]);
  check(caseId > 0, `${lang}: the case has an address`);
  check(await page.locator('.case-labels').getByText(msg(lang, 'tlp.label', { tlp: 'AMBER' })).count() === 1,
        `${lang}: the case shows its TLP in words`);
  check(await page.locator('.case-labels').getByText(msg(lang, 'severity.high')).count() === 1,
        `${lang}: the case shows its severity in words`);
  check(await page.locator('.markdown strong').filter({ hasText: 'malicious' }).count() === 1,
        `${lang}: the description's Markdown is rendered`);
  await screen(page, lang, 'case-detail');

  // Move it through the whole incident workflow.
  for (const to of INCIDENT_PATH) {
    const button = page.getByRole('button', { name: msg(lang, 'workflow.moveTo', { state: msg(lang, 'state.' + to) }) });
    await button.click();
    if (to === 'closed') {
      await page.getByLabel(msg(lang, 'case.resolution'), { exact: true }).fill(lang === 'ja' ? '対応完了。' : 'Mail removed; no clicks.');
      await page.getByRole('button', { name: msg(lang, 'workflow.confirm') }).click();
    }
    await page.locator('.states li.current').filter({ hasText: msg(lang, 'state.' + to) }).waitFor({ timeout: 10000 })
      .then(() => check(true, `${lang}: moved to ${to}`), () => check(false, `${lang}: moved to ${to}`));
  }
  check(await page.locator('.workflow button').count() === 1 &&
        await page.getByRole('button', { name: msg(lang, 'workflow.moveTo', { state: msg(lang, 'state.analysis') }) }).count() === 1,
        `${lang}: a closed case offers only to reopen it`);

  // A note: Markdown rendered, HTML shown as typed, never run.
  const note = page.getByLabel(msg(lang, 'timeline.noteLabel'), { exact: true });
  await note.fill('Checked **mail logs** <img src=x onerror=alert(1)> [site](javascript:alert(1))');
  await page.getByRole('button', { name: msg(lang, 'timeline.addNote') }).click();
  await page.locator('.event-note strong').filter({ hasText: 'mail logs' }).waitFor();
  check(await page.locator('.timeline img').count() === 0, `${lang}: HTML in a note is not markup`);
  check(await page.locator('.timeline a[href^="javascript"]').count() === 0, `${lang}: no javascript: link`);
  check((await page.locator('.event-note').last().textContent()).includes('<img src=x'), `${lang}: HTML shown as text`);

  // A task, with the Enter that confirms an IME conversion ignored.
  const task = page.getByLabel(msg(lang, 'tasks.taskTitle'), { exact: true });
  await task.fill('ヘッダーを確認');
  const prevented = await task.evaluate((el) => {
    const e = new KeyboardEvent('keydown', { key: 'Enter', isComposing: true, bubbles: true, cancelable: true });
    el.dispatchEvent(e);
    return e.defaultPrevented;
  });
  check(prevented, `${lang}: Enter during IME composition does not submit`);
  await task.press('Enter');
  await page.locator('.case-side').getByText('ヘッダーを確認').first().waitFor()
    .then(() => check(true, `${lang}: Enter submits the task`), () => check(false, `${lang}: Enter submits the task`));

  // A participant and a link.
  await page.getByLabel(msg(lang, 'participants.role'), { exact: true }).selectOption('coordinator');
  await page.getByLabel(msg(lang, 'participants.name'), { exact: true }).fill('JPCERT/CC');
  await page.getByRole('button', { name: msg(lang, 'participants.add') }).click();
  await page.getByText(msg(lang, 'participants.item', { who: 'JPCERT/CC', role: msg(lang, 'role.coordinator') })).waitFor()
    .then(() => check(true, `${lang}: participant added`), () => check(false, `${lang}: participant added`));
  await page.getByLabel(msg(lang, 'links.target'), { exact: true }).fill(String(other.id));
  await page.getByRole('button', { name: msg(lang, 'links.add') }).click();
  await page.getByRole('link', { name: msg(lang, 'links.item', { kind: msg(lang, 'link.related'), id: other.id }) }).waitFor()
    .then(() => check(true, `${lang}: link added`), () => check(false, `${lang}: link added`));
  await screen(page, lang, 'case-closed');

  // The case list with a filter in the address.
  await page.getByRole('link', { name: msg(lang, 'nav.cases'), exact: true }).click();
  await heading(page, msg(lang, 'cases.title'), `${lang}: the case list`);
  await page.getByLabel(msg(lang, 'case.severity'), { exact: true }).selectOption('critical');
  await page.waitForURL(/severity=critical/);
  await page.getByText(msg(lang, 'cases.shown', { count: 1 })).waitFor()
    .then(() => check(true, `${lang}: the severity filter works`), () => check(false, `${lang}: the severity filter works`));
  // Save the filtered list as a view, and come back to it.
  await page.getByLabel(msg(lang, 'views.name'), { exact: true }).fill('critical-' + lang);
  await page.getByRole('button', { name: msg(lang, 'views.save') }).click();
  await page.getByRole('link', { name: 'critical-' + lang }).waitFor();
  await page.goto(base + '/cases');
  await page.getByRole('link', { name: 'critical-' + lang }).click();
  await page.waitForURL(/severity=critical/)
    .then(() => check(true, `${lang}: a saved view brings its filters back`), () => check(false, `${lang}: a saved view brings its filters back`));
  await screen(page, lang, 'case-list');

  // CSRF: the session cookie alone changes nothing; with the token it does.
  const csrf = await page.evaluate(async (id) => {
    const body = JSON.stringify({ body: 'csrf probe' });
    const without = await fetch('/api/v1/cases/' + id + '/notes', { method: 'POST', body,
      headers: { 'Content-Type': 'application/json' } });
    const s = await (await fetch('/api/v1/session')).json();
    const withToken = await fetch('/api/v1/cases/' + id + '/notes', { method: 'POST', body,
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': s.csrf } });
    return [without.status, withToken.status];
  }, caseId);
  check(csrf[0] === 401, `${lang}: a change without X-CSRF-Token is refused (${csrf[0]})`);
  check(csrf[1] === 201, `${lang}: the same change with the token is accepted (${csrf[1]})`);

  // Phone width: the case and the dashboard fit without sideways scrolling.
  await page.setViewportSize({ width: 390, height: 844 });
  for (const [path, name] of [['/cases/' + caseId, 'phone-case'], ['/', 'phone-dashboard']]) {
    await page.goto(base + path);
    await page.locator('h1').first().waitFor();
    await page.waitForLoadState('networkidle');
    const fits = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);
    check(fits, `${lang}: ${name} fits a phone-width screen`);
    await screen(page, lang, name);
  }

  // Log out.
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.getByRole('button', { name: msg(lang, 'app.logout') }).click();
  await heading(page, msg(lang, 'login.title'), `${lang}: logged out`);
  check((await page.evaluate(async () => (await fetch('/api/v1/session')).status)) === 401,
        `${lang}: the session has ended`);
  await page.context().close();
  return caseId;
}

async function outsider(lang, caseIds) {
  const page = await newPage(lang);
  await login(page, lang, 'bob', password);
  await page.getByText(msg(lang, 'dashboard.mineEmpty')).waitFor();
  check(await page.getByText('Phishing').count() === 0 && await page.getByText('フィッシング').count() === 0,
        `${lang}: bob's dashboard shows none of CSIRT's cases`);
  await page.goto(base + '/cases');
  await page.getByText(msg(lang, 'cases.empty')).waitFor()
    .then(() => check(true, `${lang}: bob's case list is empty`), () => check(false, `${lang}: bob's case list is empty`));
  for (const id of caseIds) {
    await page.goto(base + '/cases/' + id);
    await heading(page, msg(lang, 'case.notFoundTitle'), `${lang}: bob cannot open case ${id}`);
  }
  await screen(page, lang, 'case-not-found');
  // The user's own choice of language wins over the browser's, and stays.
  const other = lang === 'en' ? 'ja' : 'en';
  await page.goto(base + '/');
  await page.getByLabel(msg(lang, 'app.language'), { exact: true }).selectOption(other);
  await heading(page, msg(other, 'dashboard.title'), `${lang}: bob switches to ${other}`);
  check(await page.getAttribute('html', 'lang') === other, `${lang}: <html lang> follows bob's choice`);
  await page.reload();
  await heading(page, msg(other, 'dashboard.title'), `${lang}: bob's choice of ${other} is kept`);
  // The choice is kept by the server, in bob's profile; cleared again
  // ("as the browser says") so that the next runs meet bob in their language.
  const me = await page.evaluate(async () => {
    const { csrf } = await (await fetch('/api/v1/session')).json();
    const before = await (await fetch('/api/v1/me')).json();
    await fetch('/api/v1/me', { method: 'PATCH', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
                                body: JSON.stringify({ language: null }) });
    return before;
  });
  check(me.language === other, `${lang}: bob's profile has ${other}`);
  await page.context().close();
}


// The portfolio in one language: add an asset, upload its SBOM (a broken
// one first), see the findings, triage several at once, promote some to a
// case and see the case list them. Returns the asset's and case's ids.
async function portfolio(lang) {
  const page = await newPage(lang);
  await login(page, lang, 'alice', password);
  await page.getByRole('link', { name: msg(lang, 'nav.portfolio'), exact: true }).click();
  await heading(page, msg(lang, 'portfolio.title'), `${lang}: the portfolio`);
  await page.getByRole('link', { name: 'Customer portal' }).waitFor();
  await screen(page, lang, 'portfolio');
  await page.getByRole('link', { name: msg(lang, 'asset.new') }).click();
  await heading(page, msg(lang, 'asset.new'), `${lang}: the asset form`);
  const name = lang === 'ja' ? 'ネットワークカメラ' : 'Network camera';
  await page.getByLabel(msg(lang, 'asset.name'), { exact: true }).fill(name);
  await page.getByLabel(msg(lang, 'asset.version'), { exact: true }).fill('2.1');
  await page.getByLabel(msg(lang, 'asset.kind'), { exact: true }).selectOption('product');
  await page.getByLabel(msg(lang, 'case.team'), { exact: true }).selectOption(String(csirt.id));
  await page.getByLabel(msg(lang, 'asset.criticality'), { exact: true }).selectOption('high');
  await page.getByLabel(msg(lang, 'asset.exposure'), { exact: true }).selectOption('internet');
  await page.getByLabel(msg(lang, 'asset.dependsOn'), { exact: true }).selectOption(String(sharedSystem.id));
  await page.getByLabel(msg(lang, 'asset.parent'), { exact: true }).selectOption(String(cameraLine.id));
  await screen(page, lang, 'asset-new');
  await page.getByRole('button', { name: msg(lang, 'asset.create') }).click();
  const title = msg(lang, 'asset.nameVersion', { name, version: '2.1' });
  await heading(page, title, `${lang}: the asset is added and shown`);
  const assetId = Number(/\/portfolio\/(\d+)/.exec(page.url())?.[1]);
  check(await page.getByText(msg(lang, 'asset.findingsNoSbom')).count() === 1, `${lang}: before an SBOM, the asset says to upload one`);

  // A broken SBOM: the reader's error, with its place, in the language.
  const file = page.getByLabel(msg(lang, 'sbom.file'), { exact: true });
  await file.setInputFiles({ name: 'broken.json', mimeType: 'application/json',
                             buffer: Buffer.from('{"bomFormat":"CycloneDX","specVersion":"1.5",\n"components":[{"name":') });
  await page.getByRole('button', { name: msg(lang, 'sbom.upload') }).click();
  const alert = page.locator('form[aria-label="' + msg(lang, 'sbom.upload') + '"] .error');
  await alert.waitFor().then(() => check(true, `${lang}: a broken SBOM is refused`), () => check(false, `${lang}: a broken SBOM is refused`));
  const said = (await alert.textContent().catch(() => '')) ?? '';
  check(said.includes(msg(lang, 'error.invalid')) && /line \d+|column \d+/.test(said),
        `${lang}: the refusal names the place (${said})`);
  // The real one: findings appear at once.
  await file.setInputFiles({ name: 'bom.json', mimeType: 'application/json', buffer: Buffer.from(BOM) });
  await page.getByRole('button', { name: msg(lang, 'sbom.upload') }).click();
  await page.locator('.notice.ok').waitFor();
  const up = (await page.locator('.notice.ok').textContent()) ?? '';
  const count = Number(/(\d+)\D*$/.exec(up.replace(/[。.]$/, ''))?.[1] ?? 0);
  check(count > 3, `${lang}: the uploaded SBOM has findings (${up})`);
  await page.locator('table.findings').getByText('PYSEC-2020-102').waitFor()
    .then(() => check(true, `${lang}: the asset lists its findings`), () => check(false, `${lang}: the asset lists its findings`));
  check(await page.locator('table.findings').getByText(msg(lang, 'finding.kev')).count() > 0, `${lang}: KEV is shown in words`);
  check(await page.locator('table.findings').getByText(msg(lang, 'priority.P1')).count() > 0, `${lang}: priority P1 is shown in words`);
  check(await page.locator('ul.components li').count() === 3, `${lang}: the asset lists the components of its SBOM`);
  await screen(page, lang, 'asset-detail');

  // A change is sent with If-Match: the form shows the asset as it is.
  const before = await api('GET', '/assets/' + assetId);
  await page.getByRole('link', { name: msg(lang, 'asset.edit'), exact: true }).click();
  await heading(page, msg(lang, 'asset.editOf', { name: title }), `${lang}: the asset's change form`);
  check(await page.getByLabel(msg(lang, 'asset.exposure'), { exact: true }).inputValue() === 'internet',
        `${lang}: the change form starts from the asset`);
  await page.getByLabel(msg(lang, 'asset.criticality'), { exact: true }).selectOption('critical');
  await page.getByRole('button', { name: msg(lang, 'asset.save') }).click();
  await heading(page, title, `${lang}: the changed asset is shown`);
  await page.getByText(msg(lang, 'asset.criticalityIs', { level: msg(lang, 'criticality.critical') })).first().waitFor()
    .then(() => check(true, `${lang}: the asset's criticality changed`), () => check(false, `${lang}: the asset's criticality changed`));
  const changed = await api('GET', '/assets/' + assetId);
  check(changed.criticality === 'critical' && changed.revision === before.revision + 1 && changed.depends_on.includes(sharedSystem.id),
        `${lang}: the server has the change, and nothing else changed`);

  // The shared system: who depends on it.
  await page.goto(base + '/portfolio/' + sharedSystem.id);
  await heading(page, 'Shared database', `${lang}: the shared system`);
  check(await page.locator('#h-impact ~ * a, section[aria-labelledby="h-impact"] a').filter({ hasText: 'Customer portal' }).count() > 0 &&
        await page.locator('section[aria-labelledby="h-impact"]').getByText(name).count() > 0,
        `${lang}: the impact view lists the service and the product that depend on it`);
  await screen(page, lang, 'asset-impact');

  // The findings of the asset: triage the jinja2 ones in bulk.
  await page.goto(base + '/findings?asset=' + assetId + '&component=jinja2');
  await heading(page, msg(lang, 'findings.title'), `${lang}: the findings list`);
  await page.locator('[data-ready]').waitFor();
  const jinja = await page.locator('table.findings tbody tr').count();
  check(jinja >= 2, `${lang}: the component filter finds the jinja2 findings (${jinja})`);
  await page.getByRole('checkbox', { name: msg(lang, 'findings.selectAll') }).check();
  await page.getByLabel(msg(lang, 'finding.state'), { exact: true }).last().selectOption('not_affected');
  await page.getByLabel(msg(lang, 'finding.justification'), { exact: true }).selectOption('code_not_reachable');
  await page.getByLabel(msg(lang, 'finding.detail'), { exact: true }).fill(lang === 'ja' ? 'テンプレートは固定。' : 'Templates are fixed.');
  await page.getByRole('button', { name: msg(lang, 'findings.apply') }).click();
  await page.getByText(msg(lang, 'findings.triaged', { count: jinja, state: msg(lang, 'fstate.not_affected') })).waitFor()
    .then(() => check(true, `${lang}: ${jinja} findings triaged at once`), () => check(false, `${lang}: findings triaged at once`));
  const after = await api('GET', `/findings?asset=${assetId}&component=jinja2`);
  check(after.items.length === jinja && after.items.every((f) => f.state === 'not_affected' && f.justification === 'code_not_reachable'),
        `${lang}: the server has the decision on every one`);
  await screen(page, lang, 'findings');

  // One finding with its history.
  await page.getByRole('link', { name: after.items[0].vulnerability.id }).first().click();
  await heading(page, msg(lang, 'finding.title', { vulnerability: after.items[0].vulnerability.id, component: 'jinja2' }),
                `${lang}: one finding`);
  check(await page.locator('.timeline').getByText(msg(lang, 'history.triage', { who: 'Alice Handler', state: msg(lang, 'fstate.not_affected') })).count() +
        await page.locator('.timeline').getByText(msg(lang, 'history.triage', { who: 'alice', state: msg(lang, 'fstate.not_affected') })).count() > 0,
        `${lang}: the finding's history has the decision and who took it`);
  check(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1),
        `${lang}: the finding fits 1280 px (long purls wrap)`);
  // The second camera's jinja2 findings started with the first one's decision,
  // and say where it came from.
  if (after.items[0].carried_over)
    check(await page.getByRole('link', { name: msg(lang, 'finding.openSource') }).count() === 1,
          `${lang}: a carried-over decision says where it came from`);
  else check(lang === 'en', lang === 'en' ? 'en: the first camera has no decision to carry over'
                                          : `${lang}: the sibling's decision was carried over`);
  await screen(page, lang, 'finding-detail');

  // Promote the KEV findings to a case; the case lists them.
  await page.goto(base + '/findings?asset=' + assetId + '&kev=true');
  await page.locator('[data-ready]').waitFor();
  const kev = await page.locator('table.findings tbody tr').count();
  check(kev > 0, `${lang}: the KEV filter finds findings (${kev})`);
  await page.getByRole('checkbox', { name: msg(lang, 'findings.selectAll') }).check();
  await page.getByLabel(msg(lang, 'case.tlp'), { exact: true }).selectOption('AMBER');
  await page.getByRole('button', { name: msg(lang, 'findings.promote') }).click();
  await page.waitForURL(/\/cases\/\d+$/);
  const caseId = Number(/\/cases\/(\d+)/.exec(page.url())?.[1]);
  await page.getByRole('heading', { level: 2, name: msg(lang, 'case.findings', { count: kev }) }).waitFor()
    .then(() => check(true, `${lang}: the case lists its ${kev} findings`), () => check(false, `${lang}: the case lists its findings`));
  const onCase = page.locator('section[aria-labelledby="h-case-findings"] table.findings tbody tr');
  await onCase.first().waitFor().catch(() => {});
  check(await onCase.count() === kev, `${lang}: every promoted finding is on the case`);
  await screen(page, lang, 'case-findings');
  const linked = await api('GET', `/findings?asset=${assetId}&kev=true`);
  check(linked.items.every((f) => f.case === caseId), `${lang}: each finding links back to the case`);

  // The dashboard shows new P1/P2 findings and KEV hits; feeds are listed.
  await page.goto(base + '/');
  await page.locator('[data-ready]').waitFor();
  check(await page.locator('section[aria-labelledby="urgent-findings"] table.findings tbody tr').count() > 0,
        `${lang}: the dashboard shows new P1/P2 findings`);
  check(await page.locator('section[aria-labelledby="kev-findings"] table.findings tbody tr').count() > 0,
        `${lang}: the dashboard shows KEV hits`);
  await screen(page, lang, 'dashboard-findings');
  await page.goto(base + '/feeds');
  await heading(page, msg(lang, 'feeds.title'), `${lang}: the feeds`);
  await page.locator('.feed-status').first().waitFor();
  check(await page.locator('.feed-status').filter({ hasText: msg(lang, 'feedStatus.ok') }).count() === 2,
        `${lang}: both feeds say they synced`);
  await screen(page, lang, 'feeds');

  // Phone width: the asset and the findings fit.
  await page.setViewportSize({ width: 390, height: 844 });
  for (const [path, shot] of [['/portfolio/' + assetId, 'phone-asset'], ['/findings?asset=' + assetId, 'phone-findings']]) {
    await page.goto(base + path);
    await page.locator('[data-ready]').first().waitFor();
    await page.waitForLoadState('networkidle');
    check(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1),
          `${lang}: ${shot} fits a phone-width screen`);
    await screen(page, lang, shot);
  }
  await page.context().close();
  return { assetId, caseId };
}

// Another team's user sees none of the CSIRT's assets or findings.
async function portfolioOutsider(lang, assetIds) {
  const page = await newPage(lang);
  await login(page, lang, 'bob', password);
  await page.goto(base + '/portfolio');
  await page.getByText(msg(lang, 'portfolio.empty')).waitFor()
    .then(() => check(true, `${lang}: bob's portfolio is empty`), () => check(false, `${lang}: bob's portfolio is empty`));
  await page.goto(base + '/findings');
  await page.getByText(msg(lang, 'findings.empty')).waitFor()
    .then(() => check(true, `${lang}: bob sees no findings`), () => check(false, `${lang}: bob sees no findings`));
  for (const id of assetIds) {
    await page.goto(base + '/portfolio/' + id);
    await heading(page, msg(lang, 'asset.notFoundTitle'), `${lang}: bob cannot open asset ${id}`);
  }
  const some = (await api('GET', '/findings?limit=1')).items[0];
  await page.goto(base + '/findings/' + some.id);
  await heading(page, msg(lang, 'finding.notFoundTitle'), `${lang}: bob cannot open finding ${some.id}`);
  await page.goto(base + '/');
  await page.locator('[data-ready]').waitFor();
  check(await page.locator('table.findings').count() === 0, `${lang}: bob's dashboard shows no findings`);
  await page.context().close();
}

async function administrator(lang) {
  const page = await newPage(lang);
  await login(page, lang, creds.user, creds.password);
  const screens = [
    ['/admin', 'admin.teams', 'admin-teams'],
    [`/admin/teams/${csirt.id}`, null, 'admin-team'],
    ['/admin/users', 'admin.users', 'admin-users'],
    ['/admin/organisations', 'admin.organisations', 'admin-organisations'],
    ['/admin/tokens', 'admin.tokens', 'admin-tokens'],
    ['/admin/workflows', 'admin.workflows', 'admin-workflows'],
    ['/admin/escalation-rules', 'admin.escalationRules', 'admin-rules'],
    ['/admin/settings', 'settings.title', 'settings'],
    ['/audit', 'audit.title', 'audit'],
  ];
  for (const [path, key, name] of screens) {
    await page.goto(base + path);
    await heading(page, key ? msg(lang, key) : msg(lang, 'teams.detailTitle', { name: 'CSIRT', kind: 'CSIRT' }),
                  `${lang}: the ${name} screen`);
    await screen(page, lang, name);
  }
  // An escalation rule is turned off and on again from its row (If-Match from the list).
  await page.goto(base + '/admin/escalation-rules');
  const rule = 'Critical cases reach the CISO';
  await page.getByRole('button', { name: msg(lang, 'rules.disableNamed', { name: rule }) }).click();
  await page.getByRole('button', { name: msg(lang, 'rules.enableNamed', { name: rule }) }).waitFor()
    .then(() => check(true, `${lang}: an escalation rule is disabled`), () => check(false, `${lang}: an escalation rule is disabled`));
  check((await api('GET', '/escalation-rules')).items.some((r) => r.name === rule && r.enabled === false),
        `${lang}: the server has it disabled`);
  await page.getByRole('button', { name: msg(lang, 'rules.enableNamed', { name: rule }) }).click();
  await page.getByRole('button', { name: msg(lang, 'rules.disableNamed', { name: rule }) }).waitFor()
    .then(() => check(true, `${lang}: and enabled again`), () => check(false, `${lang}: and enabled again`));
  await page.goto(base + '/audit');
  await page.getByRole('button', { name: msg(lang, 'audit.verify') }).click();
  await page.locator('p.notice.ok').waitFor()
    .then(() => check(true, `${lang}: the audit chain verifies`), () => check(false, `${lang}: the audit chain verifies`));
  // An organisation added is listed.
  await page.goto(base + '/admin/organisations');
  await page.getByLabel(msg(lang, 'organisations.name'), { exact: true }).fill('JPCERT/CC ' + lang);
  await page.getByRole('button', { name: msg(lang, 'organisations.create') }).click();
  await page.getByRole('cell', { name: 'JPCERT/CC ' + lang }).waitFor()
    .then(() => check(true, `${lang}: an organisation is added`), () => check(false, `${lang}: an organisation is added`));
  // Settings: the SMTP URL is written and never shown again.
  await page.goto(base + '/admin/settings');
  await page.getByLabel(msg(lang, 'settings.smtpUrl'), { exact: true }).fill('smtp://mailer:s3cret-' + lang + '@127.0.0.1:25');
  await page.getByRole('button', { name: msg(lang, 'settings.saveMail') }).click();
  await page.getByText(msg(lang, 'settings.smtpSet')).waitFor()
    .then(() => check(true, `${lang}: the SMTP URL is set`), () => check(false, `${lang}: the SMTP URL is set`));
  check(!(await page.content()).includes('s3cret-' + lang), `${lang}: the SMTP secret is not shown back`);
  // Feeds: an administrator syncs one now.
  await page.goto(base + '/feeds');
  await page.getByRole('button', { name: msg(lang, 'feeds.syncAria', { name: 'CISA KEV' }) }).click();
  await page.locator('p.notice[role="status"]').waitFor()
    .then(() => check(true, `${lang}: a feed is synced from the screen`), () => check(false, `${lang}: a feed is synced from the screen`));
  await screen(page, lang, 'feeds-admin');
  // Creating a token shows its secret once.
  await page.goto(base + '/admin/tokens');
  await page.getByLabel(msg(lang, 'tokens.name'), { exact: true }).fill('ci-' + lang);
  await page.getByRole('button', { name: msg(lang, 'tokens.create') }).click();
  await page.locator('code.secret').waitFor()
    .then(() => check(true, `${lang}: a new token is shown once`), () => check(false, `${lang}: a new token is shown once`));
  await page.context().close();
}

try {
  const head = await fetch(base + '/');
  const csp = head.headers.get('content-security-policy') ?? '';
  check(/default-src 'self'/.test(csp) && !/unsafe-inline/.test(csp), 'the UI is served with a strict CSP');
  check(/text\/html/.test(head.headers.get('content-type') ?? ''), 'index.html is HTML');
  const html = await head.text();
  check(!/<script(?![^>]*\bsrc=)[^>]*>/.test(html), 'index.html has no inline script');
  const asset = /\/assets\/[^"]+\.js/.exec(html)?.[0];
  const a = await fetch(base + asset);
  check(/immutable/.test(a.headers.get('cache-control') ?? ''), 'hashed assets are cached long');
  check(a.headers.get('content-encoding') === 'gzip', 'assets go gzip-compressed to a client that accepts it');
  const plain = await fetch(base + asset, { headers: { 'Accept-Encoding': 'identity' } });
  check(!plain.headers.get('content-encoding') && (await plain.text()).length > 1000, 'and plain to one that does not');
  check((await fetch(base + '/cases/12')).status === 200, 'a UI path answers index.html');
  check((await fetch(base + '/api/v1/nothing')).status === 401, 'API paths stay with the API');

  const ids = [];
  for (const lang of ['en', 'ja']) ids.push(await handler(lang));
  for (const lang of ['en', 'ja']) await outsider(lang, [...ids, other.id]);
  const assets = [];
  for (const lang of ['en', 'ja']) assets.push((await portfolio(lang)).assetId);
  for (const lang of ['en', 'ja']) await portfolioOutsider(lang, [...assets, sharedSystem.id, portal.id, cameraLine.id]);
  for (const lang of ['en', 'ja']) await administrator(lang);
} catch (e) {
  check(false, 'the run finished: ' + (e.stack ?? e));
} finally {
  await browser.close();
  await srv.stop();
}
console.log(`screenshots: ${shots}`);
finish();
