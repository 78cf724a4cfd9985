#!/usr/bin/env node
// disclosure.mjs — the disclosure screens end to end, in English and in
// Japanese, on a real `xsirt serve` in Debian's chromium: a reporter
// without an account submits the public intake form (no session cookie,
// the strict CSP, language from Accept-Language and the switch), gets the
// receipt and the status link; the team finds the report in the intake
// queue, answers on the reporter's thread, invites a supplier (secret
// link), asks it about a vulnerability and sets an embargo (UTC and local
// time, the zone named); the supplier answers through its link and the
// reporter sees the team's answer and replies; the team sees both. An
// advisory is written from a case, the validator's failure is shown
// inline (test, JSON path, message) and publishing is refused until it is
// fixed, then it is published and its CSAF and CVE previews shown. A user
// of another team sees none of it. A coordinator given an account logs in
// and reaches its portal and nothing else. Screenshots of every screen in both
// languages go to $XSIRT_BUILD_DIR/ui-screenshots/. Prints "N passed, N failed".
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { check, finish } from './result.mjs';
import { heading, launch, login, msg, newPage, screen, seen, shots, startServer } from './browser.mjs';

const srv = await startServer();
const { base, api } = srv;
const password = 'correct horse battery staple';
const psirt = await api('POST', '/teams', { name: 'PSIRT', kind: 'PSIRT' });
const otherTeam = await api('POST', '/teams', { name: 'Facilities', kind: 'FSIRT' });
const hana = await api('POST', '/users', { username: 'hana', display_name: 'Hana Handler', password });
const omar = await api('POST', '/users', { username: 'omar', display_name: 'Omar Other', password });
await api('PUT', `/teams/${psirt.id}/members/${hana.id}`, { role: 'lead' });
await api('PUT', `/teams/${otherTeam.id}/members/${omar.id}`, { role: 'member' });
await api('PATCH', '/settings', { intake_team: psirt.id, public_url: 'https://psirt.example.com',
                                  cna_org_id: 'b3476cb9-2e3d-41a6-98d0-0f47421a65b6' });
// A product whose SBOM has jinja2 2.10: two OSV findings (a local copy of
// the shared data), so that an advisory has vulnerabilities and products.
const intel = mkdtempSync(join(tmpdir(), 'xsirt-intel-'));
cpSync(join(process.env.XSIRT_SHARED_DATA, 'osv/pypi/jinja2'), join(intel, 'jinja2'), { recursive: true });
const feed = await api('POST', '/feeds', { name: 'OSV jinja2', kind: 'osv', url: 'file://' + intel });
await api('POST', `/feeds/${feed.id}/sync`, {});
// One version of it per language: a finding belongs to one open case, and
// each language's flow opens its own case with the version's findings.
const findingsOf = {};
for (const [lang, version] of [['en', '1.0'], ['ja', '1.1']]) {
  const gateway = await api('POST', '/assets', { name: 'Gateway', version, kind: 'product', team: psirt.id,
                                                 vendor: 'ACME' });
  await api('POST', `/assets/${gateway.id}/sboms`, JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.5',
    version: 1, components: [{ type: 'library', name: 'jinja2', version: '2.10', purl: 'pkg:pypi/jinja2@2.10' }] }),
            { type: 'application/vnd.cyclonedx+json' });
  findingsOf[lang] = (await api('GET', `/findings?asset=${gateway.id}`)).items.map((f) => f.id);
  check(findingsOf[lang].length === 2, `the product ${version} has two findings (${findingsOf[lang].length})`);
}

const browser = await launch();
const T = {
  en: { title: 'Stack overflow in the HMI web server', reply: 'Thank you, we reproduced it.',
        answer: 'Our firmware 2.1 embeds the affected library.', back: 'When is the fix due?',
        advisory: 'Jinja2 flaws in Gateway' },
  ja: { title: 'HMI の Web サーバーのスタックオーバーフロー', reply: 'ご報告ありがとうございます。再現できました。',
        answer: 'ファームウェア 2.1 に該当ライブラリが含まれます。', back: '修正はいつ頃になりますか。',
        advisory: 'Gateway の Jinja2 の脆弱性' },
};
const cases = [];
const advisories = [];

async function flow(lang) {
  const x = T[lang];
  // -- the reporter, without an account ------------------------------------
  const pub = await newPage(browser, base, lang);
  const asked = [];
  pub.on('request', (r) => asked.push(new URL(r.url()).pathname));
  await pub.goto(base + '/report');
  await heading(pub, msg(lang, 'intakeForm.title'), `${lang}: the public report form`);
  check(await pub.getAttribute('html', 'lang') === lang, `${lang}: the public form follows Accept-Language`);
  if (lang === 'en') {
    // The switch changes the language of the page, and back.
    await pub.getByLabel(msg(lang, 'app.language'), { exact: true }).selectOption('ja');
    await heading(pub, msg('ja', 'intakeForm.title'), 'en: the public form switches to Japanese');
    check(await pub.getAttribute('html', 'lang') === 'ja', 'en: <html lang> follows the switch');
    await pub.getByLabel(msg('ja', 'app.language'), { exact: true }).selectOption('en');
    await heading(pub, msg(lang, 'intakeForm.title'), 'en: and back to English');
  }
  await screen(pub, lang, 'report-form');
  await pub.getByLabel(msg(lang, 'intakeForm.titleField'), { exact: true }).fill(x.title);
  await pub.getByLabel(msg(lang, 'intakeForm.description'), { exact: true }).fill('Send 5000 bytes of A to /login.\n<script>alert(1)</script>');
  await pub.getByLabel(msg(lang, 'intakeForm.product'), { exact: true }).fill('HMI-3000');
  await pub.getByLabel(msg(lang, 'intakeForm.name'), { exact: true }).fill('Aiko Tanaka');
  await pub.getByLabel(msg(lang, 'intakeForm.organisation'), { exact: true }).fill('Lab ' + lang);
  await pub.getByLabel(msg(lang, 'intakeForm.email'), { exact: true }).fill('aiko@example.jp');
  await pub.getByRole('button', { name: msg(lang, 'intakeForm.send') }).click();
  await heading(pub, msg(lang, 'intakeForm.thanksTitle'), `${lang}: the report is received`);
  const receipt = (await pub.getByTestId('receipt').textContent()).trim();
  check(/^XR-/.test(receipt), `${lang}: the receipt is shown (${receipt})`);
  const statusHref = await pub.getByTestId('status-link').getAttribute('href');
  check(/^\/report\/status#[A-Za-z0-9_-]{20,}$/.test(statusHref ?? ''), `${lang}: the status link carries its secret in the fragment`);
  check((await pub.context().cookies()).length === 0, `${lang}: the public pages set no cookie`);
  check(!asked.some((p) => p.startsWith('/api/v1/session')), `${lang}: the public pages never ask for a session`);
  await screen(pub, lang, 'report-receipt');
  await pub.getByTestId('status-link').click();
  await heading(pub, msg(lang, 'portal.title', { title: x.title }), `${lang}: the status page`);
  await seen(pub.getByText('Send 5000 bytes of A to /login.'), `${lang}: the report is the first message`);
  check(await pub.locator('.message-body script').count() === 0, `${lang}: a message's HTML stays text`);
  await screen(pub, lang, 'report-status');

  // -- the team ------------------------------------------------------------
  const team = await newPage(browser, base, lang);
  await login(team, base, lang, 'hana', password);
  await team.getByRole('link', { name: msg(lang, 'nav.disclosure'), exact: true }).click();
  await heading(team, msg(lang, 'intake.title'), `${lang}: the intake queue`);
  await seen(team.getByRole('row').filter({ hasText: x.title }).filter({ hasText: 'Aiko Tanaka' })
             .filter({ hasText: msg(lang, 'intake.receiptIs', { receipt }) }),
             `${lang}: the report is in the queue with its reporter and receipt`);
  check(await team.getByRole('row').filter({ hasText: x.title }).getByText(msg(lang, 'intakeChannel.web')).count() === 1,
        `${lang}: the queue says it came by the web form`);
  await screen(team, lang, 'intake-queue');
  await team.getByRole('link', { name: x.title, exact: true }).click();
  await heading(team, msg(lang, 'coord.title', { title: x.title }), `${lang}: the coordination screen`);
  const caseId = Number(/\/cases\/(\d+)\/coordination/.exec(team.url())?.[1]);
  cases.push(caseId);
  const reporterName = msg(lang, 'coord.partyOrg', { name: 'Aiko Tanaka', organisation: 'Lab ' + lang });
  const reporterThread = team.locator('section.thread').filter({
    has: team.getByRole('heading', { name: msg(lang, 'coord.threadWith', { name: reporterName, role: msg(lang, 'partyRole.reporter') }) }) });
  await reporterThread.getByLabel(msg(lang, 'coord.message'), { exact: true }).fill(x.reply);
  await reporterThread.getByRole('button', { name: msg(lang, 'coord.send') }).click();
  await seen(reporterThread.locator('.message-body').filter({ hasText: x.reply }), `${lang}: the team answers on the reporter's thread`);

  // Invite a supplier: its secret link is shown once.
  await team.getByLabel(msg(lang, 'coord.role'), { exact: true }).selectOption('supplier');
  await team.getByLabel(msg(lang, 'coord.name'), { exact: true }).fill('Chip Co');
  await team.getByLabel(msg(lang, 'coord.email'), { exact: true }).fill('psirt@chip.example');
  await team.getByLabel(msg(lang, 'coord.timeZone'), { exact: true }).fill('Europe/Berlin');
  await team.getByRole('button', { name: msg(lang, 'coord.invite') }).click();
  await seen(team.getByTestId('portal-url'), `${lang}: the supplier's link is shown`);
  const portalUrl = (await team.getByTestId('portal-url').textContent()).trim();
  check(portalUrl.startsWith('https://psirt.example.com/api/v1/intake/'), `${lang}: a portal link under public_url (${portalUrl.slice(0, 45)}…)`);
  await team.getByLabel(msg(lang, 'coord.party'), { exact: true }).selectOption({ label: 'Chip Co' });
  await team.getByLabel(msg(lang, 'coord.vulnerabilities'), { exact: true }).fill('CVE-2020-28493');
  await team.getByRole('button', { name: msg(lang, 'coord.ask') }).click();
  await seen(team.getByText(msg(lang, 'coord.unanswered', { count: 1 })), `${lang}: one question waits for an answer`);
  await seen(team.locator('td .overdue'),
             `${lang}: the silent supplier is shown as waiting since the question`);
  // The embargo, typed in the viewer's zone (Tokyo), shown in UTC and Tokyo.
  await team.getByLabel(msg(lang, 'coord.embargoLocal', { zone: 'Asia/Tokyo' }), { exact: true }).fill('2027-03-01T09:00');
  await team.getByRole('button', { name: msg(lang, 'coord.setEmbargo') }).click();
  await seen(team.locator('.embargo').filter({ hasText: 'Asia/Tokyo' }), `${lang}: the embargo names the viewer's zone`);
  const embargo = await team.locator('.embargo').first().textContent();
  check(/UTC/.test(embargo) && /(00:00|12:00\sAM)/.test(embargo) && /09:00/.test(embargo),
        `${lang}: the embargo in UTC (00:00) and Tokyo (09:00) side by side: ${embargo}`);
  const c = await api('GET', `/cases/${caseId}`);
  check(c.embargo && new Date(c.embargo).toISOString() === '2027-03-01T00:00:00.000Z', `${lang}: the server has the instant (${c.embargo})`);
  await screen(team, lang, 'coordination');

  // -- the supplier answers through its link ------------------------------
  const sup = await newPage(browser, base, lang);
  await sup.goto(base + '/report/status#' + portalUrl.slice(portalUrl.lastIndexOf('/') + 1));
  await heading(sup, msg(lang, 'portal.invitedTitle', { title: x.title }), `${lang}: the supplier's status page`);
  await sup.getByLabel(msg(lang, 'coord.status'), { exact: true }).selectOption('affected');
  await sup.getByLabel(msg(lang, 'coord.statement'), { exact: true }).fill(x.answer);
  await sup.getByRole('button', { name: msg(lang, 'portal.answer') }).click();
  await seen(sup.getByText(msg(lang, 'portal.answered', { status: msg(lang, 'vendorStatus.affected') })),
             `${lang}: the supplier's answer is recorded`);
  check(!(await sup.content()).includes('Send 5000 bytes'), `${lang}: the supplier does not see the reporter's thread`);
  await screen(sup, lang, 'portal-supplier');
  await sup.context().close();

  // -- the reporter sees the answer and replies --------------------------------
  await pub.reload();
  await seen(pub.locator('.message-body').filter({ hasText: x.reply }), `${lang}: the reporter sees the team's answer`);
  await pub.getByLabel(msg(lang, 'portal.message'), { exact: true }).fill(x.back);
  await pub.getByRole('button', { name: msg(lang, 'portal.send') }).click();
  await seen(pub.locator('.message-body').filter({ hasText: x.back }), `${lang}: the reporter's reply is on the thread`);
  await pub.context().close();

  // -- the team sees the supplier's status and the reporter's reply ----------
  await team.reload();
  await seen(team.locator('.vstatus').filter({ hasText: msg(lang, 'vendorStatus.affected') }), `${lang}: the vendor status is shown in words`);
  await seen(team.getByText(msg(lang, 'coord.allAnswered')), `${lang}: nobody is waited for any more`);
  await seen(reporterThread.locator('.message-body').filter({ hasText: x.back }), `${lang}: the team sees the reporter's reply`);

  // -- a coordinator given an account: a login that shows only its portal -----
  await team.getByLabel(msg(lang, 'coord.role'), { exact: true }).selectOption('coordinator');
  await team.getByLabel(msg(lang, 'coord.name'), { exact: true }).fill('Relay CERT');
  await team.getByLabel(msg(lang, 'coord.email'), { exact: true }).fill(`cert@relay-${lang}.example`);
  await team.getByLabel(msg(lang, 'coord.account'), { exact: true }).check();
  await team.getByRole('button', { name: msg(lang, 'coord.invite') }).click();
  await seen(team.getByTestId('account-password'), `${lang}: the account's password is shown once`);
  const made = (await team.getByTestId('account').textContent()).trim();
  const shape = msg(lang, 'coord.accountMade', { username: '\u0000' }).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const account = new RegExp(shape.replace('\u0000', '(\\S+?)')).exec(made)?.[1];
  const secret = (await team.getByTestId('account-password').textContent()).trim();
  check(account && secret.length >= 12, `${lang}: an account name and password (${account})`);
  const ext = await newPage(browser, base, lang);
  await ext.goto(base + '/');
  await ext.getByLabel(msg(lang, 'login.username'), { exact: true }).fill(account ?? '');
  await ext.getByLabel(msg(lang, 'login.password'), { exact: true }).fill(secret);
  await ext.getByRole('button', { name: msg(lang, 'login.submit') }).click();
  await heading(ext, msg(lang, 'portal.listTitle'), `${lang}: the account lands on its portal`);
  const links = await ext.getByRole('navigation').getByRole('link').allTextContents();
  check(links.length === 1 && links[0] === msg(lang, 'nav.portal'),
        `${lang}: its navigation has its cases and nothing else (${links})`);
  await screen(ext, lang, 'portal-account-list');
  await ext.getByRole('link', { name: x.title }).click();
  await heading(ext, msg(lang, 'portal.invitedTitle', { title: x.title }), `${lang}: the account opens the case's party view`);
  check(!(await ext.content()).includes('Send 5000 bytes'), `${lang}: the account does not see the reporter's thread`);
  await ext.getByLabel(msg(lang, 'portal.message'), { exact: true }).fill('CERT here: we can coordinate.');
  await ext.getByRole('button', { name: msg(lang, 'portal.send') }).click();
  await seen(ext.locator('.message-body').filter({ hasText: 'CERT here' }), `${lang}: the account's message is on its thread`);
  await screen(ext, lang, 'portal-account');
  await ext.goto(base + '/cases');
  await seen(ext.getByText(msg(lang, 'app.notFound')), `${lang}: the case list is not there for the account`);
  await ext.context().close();
  await team.reload();
  await seen(team.locator('.message-body').filter({ hasText: 'CERT here' }), `${lang}: the team sees the coordinator's message`);

  // -- an advisory from a case with findings ---------------------------------
  const kase = await api('POST', '/cases', { title: x.advisory, kind: 'vulnerability', team: psirt.id, tlp: 'AMBER',
                                             findings: findingsOf[lang] });
  cases.push(kase.id);
  await team.goto(base + '/cases/' + kase.id);
  await heading(team, x.advisory, `${lang}: the case`);
  await team.getByRole('button', { name: msg(lang, 'advisory.create') }).click();
  await team.waitForURL(/\/advisories\/\d+$/);
  await heading(team, x.advisory, `${lang}: the advisory editor`);
  const advId = Number(/\/advisories\/(\d+)/.exec(team.url())?.[1]);
  advisories.push(advId);
  await seen(team.getByTestId('validation-verdict').filter({ hasText: msg(lang, 'advisory.valid', { version: '1.0.0' }) }),
             `${lang}: a fresh draft passes the validator`);
  await team.getByLabel(msg(lang, 'advisory.summary'), { exact: true }).fill('Gateway 1.0 embeds Jinja2 2.10.');
  await team.getByLabel(msg(lang, 'advisory.cwes'), { exact: true }).fill('CVE-2020-28493 CWE-400 Wrong name');
  await team.getByRole('button', { name: msg(lang, 'advisory.save') }).click();
  await seen(team.getByTestId('validation-verdict').filter({ hasText: msg(lang, 'advisory.invalid', { count: 1 }) }),
             `${lang}: the validator's verdict is shown before publishing`);
  const row = team.locator('tr.failure-mandatory').filter({ hasText: '6.1.11' });
  await seen(row, `${lang}: the failing test is named`);
  check(/\/vulnerabilities\/\d+\/cwe/.test(await row.first().textContent()), `${lang}: with its JSON path`);
  const publish = team.getByRole('button', { name: msg(lang, 'advisory.publishNow', { version: '1.0.0' }) });
  check(await publish.isDisabled(), `${lang}: publishing is refused while a mandatory test fails`);
  await screen(team, lang, 'advisory-invalid');
  await team.getByLabel(msg(lang, 'advisory.cwes'), { exact: true }).fill('CVE-2020-28493 CWE-400 Uncontrolled Resource Consumption');
  await team.getByRole('button', { name: msg(lang, 'advisory.save') }).click();
  await seen(team.getByTestId('validation-verdict').filter({ hasText: msg(lang, 'advisory.valid', { version: '1.0.0' }) }),
             `${lang}: fixed, the validator passes`);
  await publish.click();
  await seen(team.getByText(msg(lang, 'advisory.publishedAs', { version: '1.0.0' })), `${lang}: the advisory is published`);
  const adv = await api('GET', `/advisories/${advId}`);
  check(adv.status === 'final' && adv.version === '1.0.0', `${lang}: the server has it final 1.0.0`);
  await team.getByRole('button', { name: msg(lang, 'advisory.showCsaf') }).click();
  await seen(team.locator('pre.json').filter({ hasText: '"csaf_version": "2.0"' }), `${lang}: the CSAF preview`);
  await team.getByRole('button', { name: msg(lang, 'advisory.showCve') }).click();
  await seen(team.locator('pre.json').filter({ hasText: '"cveId": "CVE-2020-28493"' }), `${lang}: the CVE record preview`);
  await screen(team, lang, 'advisory-published');
  await team.goto(base + '/advisories');
  await heading(team, msg(lang, 'advisory.listTitle'), `${lang}: the advisory list`);
  await seen(team.getByRole('link', { name: x.advisory }), `${lang}: it lists the advisory`);
  await screen(team, lang, 'advisories');
  // The phone width: no sideways scrolling on the coordination screen.
  await team.setViewportSize({ width: 390, height: 844 });
  await team.goto(base + `/cases/${caseId}/coordination`);
  await heading(team, msg(lang, 'coord.title', { title: x.title }), `${lang}: coordination on a phone`);
  check(await team.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1),
        `${lang}: coordination fits a phone`);
  await screen(team, lang, 'coordination-phone');
  await team.context().close();
}

// A user of another team sees none of it: queue, coordination, advisories.
async function outsider(lang) {
  const page = await newPage(browser, base, lang);
  await login(page, base, lang, 'omar', password);
  await page.goto(base + '/disclosure');
  await seen(page.getByText(msg(lang, 'intake.empty')), `${lang}: the outsider's intake queue is empty`);
  for (const id of cases) {
    await page.goto(base + `/cases/${id}/coordination`);
    await heading(page, msg(lang, 'coord.notFoundTitle'), `${lang}: the outsider cannot open coordination of case ${id}`);
  }
  await page.goto(base + '/advisories');
  await seen(page.getByText(msg(lang, 'advisory.none')), `${lang}: the outsider sees no advisory`);
  for (const id of advisories) {
    await page.goto(base + `/advisories/${id}`);
    await heading(page, msg(lang, 'advisory.notFoundTitle'), `${lang}: the outsider cannot open advisory ${id}`);
  }
  check(!(await page.content()).includes('Aiko'), `${lang}: no reporter's name anywhere`);
  await page.context().close();
}

try {
  for (const lang of ['en', 'ja']) await flow(lang);
  for (const lang of ['en', 'ja']) await outsider(lang);
} catch (e) {
  check(false, 'the run finished: ' + (e.stack ?? e));
} finally {
  await browser.close();
  await srv.stop();
  rmSync(intel, { recursive: true, force: true });
}
console.log(`screenshots: ${shots}`);
finish();
