// browser.mjs — what the UI test scripts share: a real `xsirt serve` on
// loopback with a fresh data directory, the API as its administrator,
// Debian's chromium driven by playwright-core, axe-core on a screen, and
// screenshots under $XSIRT_BUILD_DIR/ui-screenshots/. Every page checks
// that it stays on the server, breaks no CSP rule and throws no error.
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

const require = createRequire(join(SOURCE, 'web/package.json'));
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const cat = {
  en: JSON.parse(readFileSync(join(SOURCE, 'web/src/messages/en.json'), 'utf8')),
  ja: JSON.parse(readFileSync(join(SOURCE, 'web/src/messages/ja.json'), 'utf8')),
};
export const shots = join(BUILD, 'ui-screenshots');

// A catalogue message with its placeholders filled, as the UI shows it.
export function msg(lang, key, params = {}) {
  return cat[lang][key].replace(/\{(\w+)\}/g, (m, n) => (n in params ? String(params[n]) : m));
}

// Starts the server; resolves to { base, data, creds, api, stop }.
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
  // The API as the administrator; a raw body goes with its own type.
  async function api(method, path, body, type) {
    const raw = type !== undefined;
    const r = await fetch(base + '/api/v1' + path, {
      method, headers: { Authorization: 'Bearer ' + creds.token, 'Content-Type': raw ? type : 'application/json' },
      body: body === undefined ? undefined : raw ? body : JSON.stringify(body),
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

// Launches chromium, or fails the run when Debian's is not installed.
export async function launch() {
  if (!existsSync(CHROMIUM)) {
    check(false, `no chromium at ${CHROMIUM}: scripts/setup installs it (Debian package chromium)`);
    finish();
  }
  mkdirSync(shots, { recursive: true });
  const { chromium } = require('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

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

// axe-core on the screen, then its screenshot as LANG-NAME.png.
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

// Waits for a locator; one check either way.
export async function appears(locator, what, timeout = 10000) {
  return locator.first().waitFor({ timeout }).then(() => check(true, what), () => check(false, what));
}

export async function login(page, base, lang, user, pass) {
  await page.goto(base + '/');
  await heading(page, msg(lang, 'login.title'), `${lang}: the login screen`);
  await page.getByLabel(msg(lang, 'login.username'), { exact: true }).fill(user);
  await page.getByLabel(msg(lang, 'login.password'), { exact: true }).fill(pass);
  await page.getByRole('button', { name: msg(lang, 'login.submit') }).click();
  await heading(page, msg(lang, 'dashboard.title'), `${lang}: ${user} reaches the dashboard`);
}
