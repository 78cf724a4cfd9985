#!/usr/bin/env node
// e2e_reports.mjs — the screens of per-user language, notification rules,
// reports and readiness end to end: a real `xsirt serve` and Debian's
// chromium (playwright-core), in English and in Japanese. A team lead
// changes the language and time zone in the profile (the UI switches,
// <html lang> follows, the server keeps it, dates name the zone); adds,
// changes and deletes a notification rule (the webhook secret is never
// shown back); opens the metrics (charts with text alternatives) and
// downloads the figures as CSV and the quarterly report as PDF; answers a
// readiness question and sees the score and its history; searches the
// knowledge base with a Japanese substring; downloads a case's summary
// report. axe-core on every screen; screenshots of each in both languages
// in $XSIRT_BUILD_DIR/ui-screenshots/. Prints "N passed, N failed".
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { check, finish } from './result.mjs';
import { appears, heading, launch, login, msg, newPage, screen, shots, startServer } from './browser.mjs';

const srv = await startServer();
const { base, api } = srv;
const password = 'correct horse battery staple';
let browser = null;
let csirt, ransomware;
const USERS = { en: 'kei', ja: 'aoi' };

// Figures to chart: cases of two RSIT classes, one closed with a review
// the knowledge base finds by a Japanese substring; findings from a small
// local copy of the shared OSV data.
async function setup() {
  csirt = await api('POST', '/teams', { name: 'CSIRT', kind: 'CSIRT' });
  // One lead per language: a profile's choice holds across runs.
  for (const name of Object.values(USERS)) {
    const lead = await api('POST', '/users', { username: name, password });
    await api('PUT', `/teams/${csirt.id}/members/${lead.id}`, { role: 'lead' });
  }

  const PATH = ['triage', 'analysis', 'containment', 'eradication', 'recovery', 'lessons-learned', 'closed'];
  ransomware = await api('POST', '/cases', { title: 'ランサムウェア感染（経理端末）', kind: 'incident', team: csirt.id,
                                                   severity: 'critical', tlp: 'AMBER',
                                                   classification: 'rsit:malicious-code="infected-system"' });
  for (const to of PATH)
    await api('POST', `/cases/${ransomware.id}/transitions`, to === 'closed' ? { to, resolution: '復旧済み' } : { to });
  await api('PUT', `/cases/${ransomware.id}/review`, { what_happened: 'ランサムウェアが共有フォルダーを暗号化した。',
                                                       went_well: 'バックアップから復旧できた。', to_change: 'EDR の導入',
                                                       follow_ups: [] });
  await api('POST', '/cases', { title: 'Port scan from outside', kind: 'incident', team: csirt.id, severity: 'low',
                                tlp: 'GREEN', classification: 'rsit:intrusion-attempts="brute-force"' });
  const intel = join(srv.data, 'sample-intel');
  for (const pkg of ['salt', 'jinja2']) cpSync(join(process.env.XSIRT_SHARED_DATA, 'osv/pypi', pkg), join(intel, pkg), { recursive: true });
  const feed = await api('POST', '/feeds', { name: 'OSV (PyPI subset)', kind: 'osv', url: 'file://' + intel });
  await api('POST', `/feeds/${feed.id}/sync`, {});
  const app = await api('POST', '/assets', { name: 'Accounting app', kind: 'system', team: csirt.id, criticality: 'high' });
  const sbom = await api('POST', `/assets/${app.id}/sboms`, JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.5', version: 1,
    components: [{ type: 'library', name: 'salt', version: '3000', purl: 'pkg:pypi/salt@3000' },
                 { type: 'library', name: 'jinja2', version: '2.10', purl: 'pkg:pypi/jinja2@2.10' }] }), 'application/json');
  check(sbom.findings > 0, `the sample SBOM has findings (${sbom.findings})`);
}


async function download(page, link, what) {
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 30000 }), link.click()]);
  const bytes = readFileSync(await dl.path());
  check(bytes.length > 0, `${what}: ${dl.suggestedFilename()} downloaded (${bytes.length} bytes)`);
  return bytes;
}

// The profile: the other language, then back; UTC, then Asia/Tokyo.
async function profile(page, lang) {
  const other = lang === 'en' ? 'ja' : 'en';
  await page.getByRole('link', { name: msg(lang, 'app.signedInAs', { user: USERS[lang] }) }).click();
  await heading(page, msg(lang, 'profile.title'), `${lang}: the profile screen`);
  await screen(page, lang, 'profile');
  const form = (l) => page.getByRole('form', { name: msg(l, 'profile.title') });
  await form(lang).getByLabel(msg(lang, 'profile.language'), { exact: true }).selectOption(other);
  await form(lang).getByLabel(msg(lang, 'profile.timezone'), { exact: true }).selectOption('UTC');
  await form(lang).getByRole('button', { name: msg(lang, 'profile.save') }).click();
  await heading(page, msg(other, 'profile.title'), `${lang}: saving switches the UI to ${other}`);
  check(await page.getAttribute('html', 'lang') === other, `${lang}: <html lang> follows the profile (${other})`);
  await appears(page.getByText(msg(other, 'profile.saved')), `${lang}: the profile says it was saved, in ${other}`);
  const me = await page.evaluate(async () => (await fetch('/api/v1/me')).json());
  check(me.language === other && me.timezone === 'UTC', `${lang}: the server keeps ${other} and UTC: ${JSON.stringify(me)}`);
  check(/UTC/.test(await page.locator('.page .hint').filter({ hasText: /\d{2}:\d{2}/ }).first().textContent()),
        `${lang}: the time is shown in UTC, named`);
  await page.reload();
  await heading(page, msg(other, 'profile.title'), `${lang}: after a reload the profile's language holds`);
  await form(other).getByLabel(msg(other, 'profile.language'), { exact: true }).selectOption(lang);
  await form(other).getByLabel(msg(other, 'profile.timezone'), { exact: true }).selectOption('Asia/Tokyo');
  await form(other).getByRole('button', { name: msg(other, 'profile.save') }).click();
  await heading(page, msg(lang, 'profile.title'), `${lang}: and back to ${lang}`);
  const zone = lang === 'ja' ? /JST/ : /GMT\+9/;
  check(zone.test(await page.locator('.page .hint').filter({ hasText: /\d{2}:\d{2}/ }).first().textContent()),
        `${lang}: the time is now shown in Asia/Tokyo, named`);
}

async function rules(page, lang) {
  await page.goto(base + '/admin/notification-rules');
  await heading(page, msg(lang, 'admin.notificationRules'), `${lang}: the notification rules`);
  const target = `https://hooks.example.com/${lang}`;
  const form = page.getByRole('form', { name: msg(lang, 'notify.create') });
  await form.getByLabel(msg(lang, 'notify.team'), { exact: true }).selectOption(String(csirt.id));
  await form.getByLabel(msg(lang, 'event.finding.kev'), { exact: true }).check();
  await form.getByLabel(msg(lang, 'notify.minPriority'), { exact: true }).selectOption('P1');
  await form.getByLabel(msg(lang, 'notify.channel'), { exact: true }).selectOption('webhook');
  await form.getByLabel(msg(lang, 'notify.target'), { exact: true }).fill(target);
  await form.getByLabel(msg(lang, 'notify.secret'), { exact: true }).fill('s3cret-' + lang);
  await form.getByRole('button', { name: msg(lang, 'notify.create') }).click();
  const row = page.getByRole('row').filter({ hasText: target });
  await appears(row, `${lang}: the new rule is listed`);
  check((await row.textContent()).includes(msg(lang, 'notify.secretSet')), `${lang}: the rule says a secret is set`);
  check(!(await page.content()).includes('s3cret-' + lang), `${lang}: the secret is not shown back`);
  const made = (await api('GET', '/notification-rules')).items.find((r) => r.target === target);
  check(made && made.language === lang && made.events.includes('finding.kev') && made.min_priority === 'P1',
        `${lang}: the server has the rule, in ${lang}: ${JSON.stringify(made)}`);
  await screen(page, lang, 'notification-rules');
  // Change it: a weekly digest.
  await page.getByRole('button', { name: msg(lang, 'notify.editAria', { target }) }).click();
  const edit = page.getByRole('form', { name: msg(lang, 'notify.editTitle', { target }) });
  await edit.getByLabel(msg(lang, 'notify.schedule'), { exact: true }).selectOption('weekly');
  await edit.getByRole('button', { name: msg(lang, 'notify.save') }).click();
  await appears(page.getByText(msg(lang, 'notify.saved', { target })), `${lang}: the rule is changed`);
  const changed = (await api('GET', '/notification-rules')).items.find((r) => r.target === target);
  check(changed?.schedule === 'weekly' && changed.secret.set, `${lang}: weekly now, the secret kept`);
  await appears(row.filter({ hasText: msg(lang, 'schedule.weekly') }), `${lang}: the list says weekly`);
  // Delete it (the confirmation accepted).
  page.once('dialog', (d) => d.accept());
  await page.getByRole('button', { name: msg(lang, 'notify.deleteAria', { target }) }).click();
  await appears(page.getByText(msg(lang, 'notify.deleted', { target })), `${lang}: the rule is deleted`);
  check(!(await api('GET', '/notification-rules')).items.some((r) => r.target === target), `${lang}: and gone from the server`);
  await page.goto(base + '/admin/roles');
  await heading(page, msg(lang, 'admin.roles'), `${lang}: the roles screen`);
  await screen(page, lang, 'roles');
}

async function metrics(page, lang) {
  await page.getByRole('link', { name: msg(lang, 'nav.reports'), exact: true }).click();
  await heading(page, msg(lang, 'metrics.title'), `${lang}: the metrics screen`);
  await page.getByLabel(msg(lang, 'metrics.team'), { exact: true }).selectOption(String(csirt.id));
  const byClass = page.getByRole('img', { name: msg(lang, 'metrics.byClass') });
  await appears(byClass, `${lang}: the chart of cases by class, named for assistive technology`);
  check(await page.locator('.legend').first().getByText(msg(lang, 'rsit.malicious-code')).count() === 1,
        `${lang}: the legend names the classes in words`);
  // (An empty chart says so in words instead of drawing nothing.)
  check(await page.locator('figure.chart').filter({ hasText: msg(lang, 'metrics.findings') }).count() === 1,
        `${lang}: the chart of findings by priority`);
  const desc = await byClass.getAttribute('aria-describedby');
  check((await page.locator('#' + desc).textContent()).includes(msg(lang, 'metrics.byClassSummary', { count: 2, classes: 2 })),
        `${lang}: the chart has a summary in words`);
  await page.locator('.chart-table summary').first().click();
  check(await page.locator('.chart-table').first().getByRole('rowheader').count() > 0, `${lang}: the figures as a table`);
  await screen(page, lang, 'metrics');
  const csv = await download(page, page.getByRole('link', { name: msg(lang, 'metrics.csv') }), `${lang}: CSV`);
  check(csv[0] === 0xef && csv[1] === 0xbb && csv[2] === 0xbf, `${lang}: the CSV starts with a BOM`);
  const quarter = await page.getByLabel(msg(lang, 'metrics.quarter'), { exact: true }).inputValue();
  const pdf = await download(page, page.getByRole('link', { name: msg(lang, 'metrics.reportPdf', { period: quarter }) }),
                             `${lang}: the quarterly report`);
  check(pdf.subarray(0, 5).toString() === '%PDF-', `${lang}: the quarterly report is a PDF`);
  const html = await page.getByRole('link', { name: msg(lang, 'metrics.reportHtml', { period: quarter }) }).getAttribute('href');
  const r = await page.evaluate(async (u) => (await fetch(u)).text(), html);
  check(r.includes(`<html lang="${lang}">`), `${lang}: the HTML report is in ${lang}`);
}

async function readiness(page, lang) {
  await page.getByRole('link', { name: msg(lang, 'reports.readiness'), exact: true }).click();
  await heading(page, msg(lang, 'readiness.title'), `${lang}: the readiness screen`);
  await appears(page.locator('.share').filter({ hasText: '66' }), `${lang}: the 66 surveyed teams' answers are shown`);
  const q = page.locator('#q-2\\.10');
  const options = q.getByRole('radio');
  check(await options.count() >= 2, `${lang}: question 2.10 offers its answers`);
  const pick = lang === 'en' ? 0 : 1;
  await options.nth(pick).check();
  await page.getByRole('button', { name: msg(lang, 'readiness.save') }).click();
  await appears(page.getByText(msg(lang, 'readiness.saved')), `${lang}: the assessment is saved`);
  await appears(page.locator('.score').filter({ hasText: '%' }), `${lang}: the score is shown`);
  await appears(page.getByRole('img', { name: msg(lang, 'readiness.progressChart') }), `${lang}: progress over time`);
  check(await q.getByRole('radio', { checked: true }).count() === 1, `${lang}: the answer is kept`);
  // The other kinds of answer: a number (members now) and several choices
  // (the departments that led the set-up).
  const members = page.locator('#q-3\\.3');
  await members.getByLabel(msg(lang, 'readiness.number'), { exact: true }).fill('7');
  const led = page.locator('#q-1\\.1').getByRole('checkbox');
  await led.nth(0).check();
  await led.nth(7).check();
  // xsirt's suggestion taken with one press: the CSIRT tracks its cases in xsirt (5.2).
  const tracking = page.locator('#q-5\\.2');
  if (lang === 'en') {
    await tracking.getByRole('button', { name: msg(lang, 'readiness.useSuggested') }).click();
    check(await tracking.getByRole('radio', { checked: true }).count() === 1, `${lang}: the suggestion is taken`);
  }
  await page.getByRole('button', { name: msg(lang, 'readiness.save') }).click();
  await appears(members.locator('.option.bin'), `${lang}: 7 members fall in the survey's range 5-9`);
  check(await page.locator('#q-1\\.1').getByRole('checkbox', { checked: true }).count() === 2,
        `${lang}: both departments are kept`);
  check(await tracking.getByRole('radio', { checked: true }).count() === 1 &&
        await tracking.getByRole('button', { name: msg(lang, 'readiness.useSuggested') }).count() === 0,
        `${lang}: the suggested answer is saved`);
  await members.screenshot({ path: join(shots, `${lang}-readiness-number.png`) });
  // The contact network: a group, a person from PR, a review recorded.
  const group = `${lang} 緊急連絡網`;
  await page.getByLabel(msg(lang, 'contacts.name'), { exact: true }).fill(group);
  await page.getByRole('button', { name: msg(lang, 'contacts.create') }).click();
  await appears(page.getByRole('heading', { name: group }), `${lang}: the contact group is created`);
  const box = page.getByRole('region', { name: group, exact: true });
  const add = box.getByRole('form', { name: msg(lang, 'contacts.addPerson', { name: group }) });
  await add.getByLabel(msg(lang, 'contacts.personName'), { exact: true }).fill('広報 佐藤');
  await add.getByLabel(msg(lang, 'contacts.organisation'), { exact: true }).selectOption('pr');
  await add.getByLabel(msg(lang, 'contacts.email'), { exact: true }).fill('pr@example.jp');
  await add.getByRole('button', { name: msg(lang, 'contacts.addPerson', { name: group }) }).click();
  await appears(box.getByRole('cell', { name: msg(lang, 'contacts.org.pr'), exact: true }), `${lang}: the person is listed`);
  await box.getByRole('button', { name: msg(lang, 'contacts.markReviewed') }).click();
  await appears(box.locator('.meta').filter({ hasNotText: msg(lang, 'contacts.neverReviewed') }),
                `${lang}: the review is recorded`);
  await page.locator('.contacts').screenshot({ path: join(shots, `${lang}-readiness-contacts.png`) });
  await screen(page, lang, 'readiness');
}

async function knowledge(page, lang) {
  await page.getByRole('link', { name: msg(lang, 'reports.knowledge'), exact: true }).click();
  await heading(page, msg(lang, 'knowledge.title'), `${lang}: the knowledge base`);
  await page.getByLabel(msg(lang, 'knowledge.query'), { exact: true }).fill('ランサム');
  await page.getByRole('button', { name: msg(lang, 'knowledge.search') }).click();
  await appears(page.getByRole('link', { name: ransomware.title }), `${lang}: ランサム finds the ransomware case`);
  check(await page.getByRole('heading', { name: msg(lang, 'knowledge.results', { count: 1, q: 'ランサム' }) }).count() === 1,
        `${lang}: one case found, said in words`);
  await screen(page, lang, 'knowledge');
  await page.getByRole('link', { name: ransomware.title }).click();
  await heading(page, ransomware.title, `${lang}: the case opens from the knowledge base`);
  const pdf = await download(page, page.getByRole('link', { name: msg(lang, 'caseReport.pdf') }), `${lang}: the case summary`);
  check(pdf.subarray(0, 5).toString() === '%PDF-', `${lang}: the case summary is a PDF`);
}

// A phone: nothing scrolls sideways on the reports screens.
async function phone(lang) {
  const page = await newPage(browser, base, lang, { width: 390, height: 844 });
  await login(page, base, lang, USERS[lang], password);
  for (const [path, name] of [['/reports', 'metrics'], ['/reports/readiness', 'readiness'],
                               ['/admin/notification-rules', 'notification-rules']]) {
    await page.goto(base + path);
    await page.locator('h1').first().waitFor();
    await page.waitForLoadState('networkidle');
    const wide = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    const culprits = wide <= 1 ? [] : await page.evaluate(() => [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
      .slice(0, 8).map((e) => `${e.tagName.toLowerCase()}.${e.className} (${Math.round(e.getBoundingClientRect().right)}px)`));
    check(wide <= 1, `${lang}: ${path} fits a phone (${wide}px too wide: ${culprits.join(', ')})`);
    await page.screenshot({ path: join(shots, `${lang}-${name}-phone.png`), fullPage: true });
  }
  await page.context().close();
}

try {
  await setup();
  browser = await launch();
  for (const lang of ['en', 'ja']) {
    const page = await newPage(browser, base, lang);
    await login(page, base, lang, USERS[lang], password);
    check(await page.getAttribute('html', 'lang') === lang, `${lang}: without a choice the browser's language (${lang})`);
    await profile(page, lang);
    await rules(page, lang);
    await metrics(page, lang);
    await readiness(page, lang);
    await knowledge(page, lang);
    await page.context().close();
    await phone(lang);
  }
  const history = await api('GET', `/readiness?team=${csirt.id}&language=en`);
  check(history.history.length === 4, `four assessments in the history (${history.history.length})`);
} catch (e) {
  check(false, 'the run finished: ' + (e.stack ?? e));
} finally {
  await browser?.close();
  await srv.stop();
}
finish();
