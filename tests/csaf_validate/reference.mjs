// reference.mjs — runs @secvisogram/csaf-validator-lib (the reference) on
// CSAF documents, test by test, for tests/csaf_validate/compare.py.
//   node reference.mjs FILE...      (or file names on stdin, one a line)
// Prints one JSON line per file: {"file": ..., "results": {"schema": true,
// "6.1.1": false, ...}} where true means the test passed, false that it
// failed, "throw" that the reference threw on the document, and {"error":
// ...} instead of results when the file is not JSON. Test names follow the
// specification ("6.1.27.1"); the strict schema test is "schema".
import fs from 'node:fs'
import path from 'node:path'
import url from 'node:url'

const here = path.dirname(url.fileURLToPath(import.meta.url))
const lib = path.join(here, '../tools/node_modules/@secvisogram/csaf-validator-lib')
const schema = await import(path.join(lib, 'schemaTests.js'))
const mandatory = await import(path.join(lib, 'mandatoryTests.js'))
const optional = await import(path.join(lib, 'optionalTests.js'))

const tests = [['schema', schema.csaf_2_0_strict]]
const number = (name) => name.replace(/^(mandatory|optional)Test_/, '').replaceAll('_', '.')
for (const mod of [mandatory, optional])
  for (const [name, fn] of Object.entries(mod))
    if (typeof fn === 'function') tests.push([number(name), fn])
tests.sort((a, b) => (a[0] === 'schema' ? -1 : b[0] === 'schema' ? 1 :
  a[0].split('.').map(Number).reduce((r, x, i) => r || x - (Number(b[0].split('.')[i]) || 0), 0)))

const only = process.env.CSAF_REFERENCE_TESTS ? new Set(process.env.CSAF_REFERENCE_TESTS.split(',')) : null

let files = process.argv.slice(2)
if (files.length === 0) files = fs.readFileSync(0, 'utf8').split('\n').filter(Boolean)

for (const file of files) {
  let doc
  try {
    doc = JSON.parse(fs.readFileSync(file, 'utf8'))
  } catch (e) {
    console.log(JSON.stringify({ file, error: String(e.message) }))
    continue
  }
  const results = {}
  for (const [name, fn] of tests) {
    if (only && !only.has(name)) continue
    try {
      const r = await fn(doc)
      results[name] = typeof r.isValid === 'boolean' ? r.isValid : true
      if (name.startsWith('6.2.') && (r.warnings ?? []).length > 0) results[name] = false
    } catch (e) {
      results[name] = 'throw'
    }
  }
  console.log(JSON.stringify({ file, results }))
}
