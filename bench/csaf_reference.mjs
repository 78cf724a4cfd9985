// csaf_reference.mjs (bench) — the npm validator as a user runs it: one
// node process, validateStrict() with the strict schema, every mandatory
// and optional test on each file named on stdin (one a line). Prints the
// number of invalid documents, so the work cannot be skipped.
import fs from 'node:fs'
import path from 'node:path'
import url from 'node:url'

const lib = path.join(path.dirname(url.fileURLToPath(import.meta.url)),
  '../tests/tools/node_modules/@secvisogram/csaf-validator-lib')
const validateStrict = (await import(path.join(lib, 'validateStrict.js'))).default
const { csaf_2_0_strict } = await import(path.join(lib, 'schemaTests.js'))
const mandatory = await import(path.join(lib, 'mandatoryTests.js'))
const optional = await import(path.join(lib, 'optionalTests.js'))
const tests = [csaf_2_0_strict, ...Object.values(mandatory), ...Object.values(optional)]

let invalid = 0
for (const file of fs.readFileSync(0, 'utf8').split('\n').filter(Boolean)) {
  const result = await validateStrict(tests, JSON.parse(fs.readFileSync(file, 'utf8')))
  if (!result.isValid) invalid++
}
console.log(invalid)
