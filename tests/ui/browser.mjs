// browser.mjs — what a browser test of the UI needs, shared: the message
// catalogues (msg), a real `xsirt serve` on loopback with a fresh data
// directory and the administrator's token (startServer, api), Debian's
// chromium through playwright-core with the checks every page gets (no
// CSP violation, no script error, no request leaving the server), axe-core
// (no serious or critical violation), screenshots under
// $XSIRT_BUILD_DIR/ui-screenshots/, and waiting for a screen's heading.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { check, finish } from './result.mjs';

export const XSIRT = process.env.XSIRT;
export const SOURCE = process.env.XSIRT_SOURCE_DIR;
export const BUILD = process.env.XSIRT_BUILD_DIR;
const CHROMIUM = process.env.XSIRT_CHROMIUM && !process.env.XSIRT_CHROMIUM.endsWith('-NOTFOUND')
  ? process.env.XSIRT_CHROMIUM : '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) {
  check(false, `no chromium at ${CHROMIUM}: scripts/setup installs it (Debian package chromium)`);
  finish();
}
const require = createRequire(join(SOURCE, 'web/package.json'));
const { chromium } = require('playwright-core');
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const cat = {
  en: JSON.parse(readFileSync(join(SOURCE, 'web/src/messages/en.json'), 'utf8')),
  ja: JSON.parse(readFileSync(join(SOURCE, 'web/src/messages/ja.json'), 'utf8')),
};
export const shots = join(BUILD, 'ui-screenshots');
mkdirSync(shots, { recursive: true });

export function msg(lang, key, params = {}) {
  if (!(key in cat[lang])) throw new Error('no message ' + key);
  return cat[lang][key].replace(/\{(\w+)\}/g, (m, n) => (n in params ? String(params[n]) : m));
}

// A server on a fresh data directory: { base, api, stop }.
export async function startServer() {
  const data = mkdtempSync(join(tmpdir(), 'xsirt-ui-'));
  execFileSync(XSIRT, ['init', '--data', data], { stdio: 'ignore' });
  const creds = Object.fromEntries(readFileSync(join(data, 'initial-credentials'), 'utf8').trim().split('\n')
    .map((l) => l.split(': ')));
  const server = spawn(XSIRT, ['serve', '--data', data, '--listen', '127.0.0.1:0', '--quiet'],
                       { stdio: ['ignore', 'pipe', 'inherit'] });
  const base = await new Promise((resolve, reject) => {
    const rl = createInterface({ input: server.stdout });
    rl.once('line', (line) => {
      const m = /http:\/\/[0-9.]+:\d+/.exec(line);
      rl.on('line', () => {});   /* keep draining, so the server never writes to a closed pipe */
      m ? resolve(m[0]) : reject(new Error('server did not start: ' + line));
    });
    server.once('exit', () => reject(new Error('server exited')));
  });
  // A call with a token (the administrator's unless given); raw bodies go
  // with their own content type.
  // (A string in place of the options is the content type.)
  async function api(method, path, body, options = {}) {
    const { token = creds.token, type = 'application/json' } =
      typeof options === 'string' ? { type: options } : options;
    const r = await fetch(base + '/api/v1' + path, {
      method, headers: { Authorization: 'Bearer ' + token, 'Content-Type': type },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const j = await r.json();
    if (!r.ok) throw new Error(method + ' ' + path + ': ' + JSON.stringify(j));
    return j;
  }
  async function stop() {
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGTERM');
    await exited;
    rmSync(data, { recursive: true, force: true });
  }
  return { base, data, creds, api, stop };
}

export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// A page in a new context (no cookies) in lang, in Tokyo's time zone.
export async function newPage(browser, base, lang, viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ locale: lang === 'ja' ? 'ja-JP' : 'en-GB', viewport,
                                             timezoneId: 'Asia/Tokyo', acceptDownloads: true });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/.test(m.text())) check(false, `CSP violation: ${m.text()}`);
  });
  page.on('pageerror', (e) => check(false, `script error on ${page.url()}: ${e.message}`));
  page.on('request', (r) => {
    const u = r.url();
    check(u.startsWith(base + '/') || u.startsWith('data:'), `request stays on the server: ${u}`);
  });
  return page;
}

export async function axe(page, name) {
  await page.evaluate(axeSource + ';0');
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of bad)
    check(false, `axe on ${name}: ${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')})`);
  check(bad.length === 0, `axe: no serious or critical violation on ${name}`);
}

// axe-core, then a full-page screenshot named lang-name.png.
export async function screen(page, lang, name) {
  await page.waitForLoadState('networkidle');
  await axe(page, `${lang}/${name}`);
  await page.screenshot({ path: join(shots, `${lang}-${name}.png`), fullPage: true });
}

export async function heading(page, text, what) {
  try {
    await page.getByRole('heading', { level: 1, name: text, exact: true }).waitFor({ timeout: 10000 });
    check(true, what);
  } catch {
    check(false, `${what}: no heading "${text}" (found "${await page.locator('h1').first().textContent().catch(() => '')}")`);
  }
}

// Waits for a locator; a check either way.
export async function seen(locator, what, timeout = 10000) {
  return locator.first().waitFor({ timeout }).then(() => check(true, what), () => check(false, what));
}
export const appears = seen;

export async function login(page, base, lang, user, pass) {
  await page.goto(base + '/');
  await heading(page, msg(lang, 'login.title'), `${lang}: the login screen`);
  check(await page.getAttribute('html', 'lang') === lang, `${lang}: <html lang> is ${lang} before login`);
  await page.getByLabel(msg(lang, 'login.username'), { exact: true }).fill(user);
  await page.getByLabel(msg(lang, 'login.password'), { exact: true }).fill(pass);
  await page.getByRole('button', { name: msg(lang, 'login.submit') }).click();
  await heading(page, msg(lang, 'dashboard.title'), `${lang}: ${user} reaches the dashboard`);
}
