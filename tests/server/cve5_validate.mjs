// cve5_validate.mjs — validates CVE JSON 5 records against the CVE Record
// Format schema with ajv (draft-07, formats), for tests/server/advisories.py.
//   node cve5_validate.mjs SCHEMA FILE...
// Prints one JSON line per file: {"file", "valid", "errors"}.
import fs from 'node:fs'
import path from 'node:path'
import url from 'node:url'
import { createRequire } from 'node:module'

const here = path.dirname(url.fileURLToPath(import.meta.url))
const require = createRequire(path.join(here, '../tools/package.json'))
const Ajv = require('ajv')
const addFormats = require('ajv-formats')

const [schemaFile, ...files] = process.argv.slice(2)
const ajv = new Ajv({ allErrors: true, strict: false })
addFormats(ajv)
const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaFile, 'utf8')))
for (const file of files) {
  const valid = validate(JSON.parse(fs.readFileSync(file, 'utf8')))
  console.log(JSON.stringify({ file, valid, errors: valid ? [] : validate.errors }))
}
