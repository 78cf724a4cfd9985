#!/usr/bin/env node
// i18n.mjs SRC_DIR — the message catalogues are complete and the sources
// show no literal text. Fails when:
//   - a key is in one catalogue (messages/en.json, messages/ja.json) and
//     not the other, or a message is empty;
//   - a message's {placeholders} differ between the languages;
//   - a source asks for a key (t('key'), tv('prefix', …)) no catalogue has,
//     or a catalogue key is never asked for;
//   - a .tsx file has JSX text or a user-visible attribute (aria-label,
//     placeholder, title, alt, label) written as a literal instead of t().
// Prints "N passed, N failed" like the other test scripts.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { check, finish } from './result.mjs';

const src = process.argv[2];

const en = JSON.parse(readFileSync(join(src, 'messages/en.json'), 'utf8'));
const ja = JSON.parse(readFileSync(join(src, 'messages/ja.json'), 'utf8'));
const placeholders = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join(',');

for (const k of Object.keys(en)) check(k in ja, `key ${k} is in en.json but missing from ja.json`);
for (const k of Object.keys(ja)) check(k in en, `key ${k} is in ja.json but missing from en.json`);
for (const [k, v] of Object.entries(en)) {
  check(typeof v === 'string' && v.trim() !== '', `en.json: ${k} is empty`);
  if (k in ja) {
    check(typeof ja[k] === 'string' && ja[k].trim() !== '', `ja.json: ${k} is empty`);
    check(placeholders(v) === placeholders(ja[k]),
          `${k}: placeholders differ: en {${placeholders(v)}} ja {${placeholders(ja[k])}}`);
  }
}

function files(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : /\.(tsx?|mjs)$/.test(n) ? [p] : [];
  });
}

const sources = files(src).map((p) => ({ p: relative(src, p), text: readFileSync(p, 'utf8') }));
const literals = new Set();
const prefixes = new Set();
for (const { p, text } of sources) {
  for (const m of text.matchAll(/'([a-zA-Z]+(?:\.[a-zA-Z-]+)+)'/g)) literals.add(m[1]);
  for (const m of text.matchAll(/\bt\(\s*'([^']+)'/g))
    check(m[1] in en, `${p}: t('${m[1]}') is not in the catalogues`);
  for (const m of text.matchAll(/\btv\(\s*'([^']+)'/g)) {
    prefixes.add(m[1]);
    check(Object.keys(en).some((k) => k.startsWith(m[1] + '.')), `${p}: tv('${m[1]}', …) has no keys in the catalogues`);
  }
}
for (const k of Object.keys(en))
  check(literals.has(k) || [...prefixes].some((x) => k.startsWith(x + '.')), `key ${k} is never used`);

// Visible text in JSX: between a tag's end and the next tag, and in
// attributes people read or hear. Comments are removed first.
const VISIBLE_ATTR = /\b(aria-label|placeholder|title|alt|label)="([^"]*[A-Za-z\u3040-\u30ff\u4e00-\u9fff][^"]*)"/g;
const LETTER = /[A-Za-z\u3040-\u30ff\u3400-\u9fff]/;
for (const { p, text } of sources) {
  if (!p.endsWith('.tsx')) continue;
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  for (const m of code.matchAll(/(?<![=-])>([^<>{}]*)</g)) {
    const s = m[1].trim();
    // "a => b < c" and generics are code, not JSX text.
    if (s && LETTER.test(s) && !/[;=()]|^[\w.]+(\[\])?\s*\|/.test(s))
      check(false, `${p}: literal text in JSX: "${s}"`);
  }
  for (const m of code.matchAll(VISIBLE_ATTR)) check(false, `${p}: literal ${m[1]}="${m[2]}"`);
}
check(sources.length > 0, 'found the sources');
finish();
