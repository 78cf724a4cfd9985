// stix_validate.mjs — validates a STIX 2.1 bundle and each of its objects
// against the OASIS STIX 2.1 JSON schemas (draft 2020-12) with ajv, for
// tests/server/reports.py.
//   node stix_validate.mjs SCHEMA_DIR BUNDLE_FILE
// Prints one JSON line: {"valid", "errors"}.
import fs from 'node:fs'
import path from 'node:path'
import url from 'node:url'
import { createRequire } from 'node:module'

const here = path.dirname(url.fileURLToPath(import.meta.url))
const require = createRequire(path.join(here, '../tools/package.json'))
const Ajv2020 = require('ajv/dist/2020')
const addFormats = require('ajv-formats')

const [dir, file] = process.argv.slice(2)
// The OASIS schemas have patterns (\-) that are not valid in unicode mode.
const ajv = new Ajv2020({ allErrors: true, strict: false, unicodeRegExp: false })
addFormats(ajv)
const byName = {}
for (const sub of fs.readdirSync(dir)) {
  const d = path.join(dir, sub)
  if (!fs.statSync(d).isDirectory()) continue
  for (const f of fs.readdirSync(d).filter((n) => n.endsWith('.json'))) {
    const schema = JSON.parse(fs.readFileSync(path.join(d, f), 'utf8'))
    ajv.addSchema(schema)
    byName[sub + '/' + f] = schema.$id
  }
}
const bundle = JSON.parse(fs.readFileSync(file, 'utf8'))
const errors = []
const check = (obj, name) => {
  if (!byName[name]) { errors.push('no schema ' + name); return }
  const validate = ajv.getSchema(byName[name])
  if (!validate(obj)) errors.push(...validate.errors.map((e) => name + ' ' + e.instancePath + ': ' + e.message))
}
// The envelope against bundle.json, each object against its own schema:
// bundle.json lists only some object types and takes the others (note,
// opinion, grouping, location) through a oneOf of core.json and
// cyber-observable-core.json, which a note matches both of — so it
// refuses every valid note. Its objects are checked one by one below.
check({ ...bundle, objects: (bundle.objects || []).filter((o) => o.type === 'report' || o.type === 'marking-definition') },
  'common/bundle.json')
for (const o of bundle.objects || [])
  check(o, o.type === 'marking-definition' ? 'common/marking-definition.json' : 'sdos/' + o.type + '.json')
console.log(JSON.stringify({ valid: errors.length === 0, errors }))
