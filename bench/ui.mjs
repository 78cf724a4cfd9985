#!/usr/bin/env node
// ui.mjs — the web UI's budget on a running server (e.g. `make demo`):
// the JavaScript and CSS the browser loads, raw and compressed, and the
// time from navigation to a usable dashboard in Debian's chromium, next to
// the time of the API calls the dashboard makes (the floor: the UI cannot
// be faster than the API behind it).
//
//   node bench/ui.mjs BASE USER PASSWORD [RUNS]
//   node bench/ui.mjs http://127.0.0.1:8080 hanako sample-password-2026 20
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const [base, user, password, runsText] = process.argv.slice(2);
if (!password) {
  console.error('usage: node bench/ui.mjs BASE USER PASSWORD [RUNS]');
  process.exit(2);
}
const runs = Number(runsText ?? 20);
const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '../web/package.json'));
const { chromium } = require('playwright-core');

// ---- size ----
const html = await (await fetch(base + '/')).text();
let raw = 0, gz = 0, br = 0;
for (const path of html.match(/\/assets\/[^"]+\.(js|css)/g) ?? []) {
  const bytes = Buffer.from(await (await fetch(base + path)).arrayBuffer());
  raw += bytes.length;
  gz += gzipSync(bytes, { level: 9 }).length;
  br += brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
}
const kb = (n) => (n / 1024).toFixed(1) + ' KiB';
console.log(`JS+CSS: ${kb(raw)} raw, ${kb(gz)} gzip -9, ${kb(br)} brotli`);

// ---- time to a usable dashboard ----
const browser = await chromium.launch({
  executablePath: process.env.XSIRT_CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const usable = [], apiSpan = [], apiCalls = [], cold = [];
let apiUrls = [];
// One login for all runs: logins are throttled per address (docs/security.md),
// and the hash a login costs is not what this measures.
const login = await browser.newContext();
const answer = await login.request.post(base + '/api/v1/session', { data: { username: user, password } });
if (!answer.ok()) throw new Error('login failed: ' + answer.status());
const storageState = await login.storageState();
await login.close();
for (let i = 0; i < runs; i++) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, storageState });
  const page = await context.newPage();
  // Every other run starts with an empty cache (first visit); the others
  // have the hashed assets cached, as on every later visit.
  if (i % 2 === 0) {
    await page.goto(base + '/');
    await page.locator('[data-ready]').waitFor();
  }
  const t0 = Date.now();
  await page.goto(base + '/');
  await page.locator('[data-ready]').waitFor();
  const ms = Date.now() - t0;
  (i % 2 === 0 ? usable : cold).push(ms);
  const entries = await page.evaluate(() => performance.getEntriesByType('resource')
    .filter((e) => e.name.includes('/api/v1/')).map((e) => ({ n: e.name, s: e.startTime, e: e.responseEnd, d: e.duration })));
  apiUrls = entries.map((e) => e.n);
  apiSpan.push(Math.max(...entries.map((e) => e.e)) - Math.min(...entries.map((e) => e.s)));
  apiCalls.push(entries.length);
  await context.close();
}
await browser.close();
// The same calls one at a time from here with the session cookie, three
// times each: what the API alone costs, without a browser.
const cookie = storageState.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
const each = [];
for (const url of apiUrls) {
  const times = [];
  for (let k = 0; k < 3; k++) {
    const t = performance.now();
    await (await fetch(url, { headers: { Cookie: cookie } })).arrayBuffer();
    times.push(performance.now() - t);
  }
  each.push({ path: new URL(url).pathname + new URL(url).search, fastest: Math.min(...times), slowest: Math.max(...times) });
}
for (const e of each) console.log(`  ${e.fastest.toFixed(1)} ms fastest, ${e.slowest.toFixed(1)} ms slowest  ${e.path}`);
console.log(`the dashboard's calls one by one: ${each.reduce((a, e) => a + e.fastest, 0).toFixed(1)} ms (sum of the fastest)`);
console.log(`navigation -> usable dashboard: median ${median(usable)} ms (assets cached), ` +
            `${median(cold)} ms (first visit), ${runs} runs`);
console.log(`the dashboard's API calls: ${median(apiCalls)} requests, median span ${median(apiSpan).toFixed(1)} ms ` +
            `from the first request to the last answer`);
