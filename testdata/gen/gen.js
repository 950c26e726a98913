#!/usr/bin/env node
'use strict';
// e2ee-testdata-gen: writes ../vectors/*.json (+ *.bin), ../schema/*.schema.json and the
// generated sections (file table, flag tables) of ../README.md.
// Independent of the Go code: it uses only libsodium.js (libsodium-wrappers-sumo),
// bs58 and bip39 -- the stack Ente's web client uses. Output is deterministic.
//
// Usage: npm ci --no-audit --no-fund && node gen.js   (or `make vectors` at the repo root)

const fs = require('node:fs');
const path = require('node:path');
const Ajv2020 = require('ajv/dist/2020');

const C = require('./lib/common');
const P = require('./lib/prims');

const MODULES = [
  require('./lib/v_pwhash'),
  require('./lib/v_kdf'),
  require('./lib/v_secretbox'),
  require('./lib/v_sealed'),
  require('./lib/v_blob'),
  require('./lib/v_file'),
  require('./lib/v_attributes'),
  require('./lib/v_authtoken'),
  require('./lib/v_authenticator'),
  require('./lib/v_links'),
  require('./lib/v_linkpass'),
  require('./lib/v_filelinks'),
];

const ROOT = path.resolve(__dirname, '..');
const VECTORS = path.join(ROOT, 'vectors');
const SCHEMAS = path.join(ROOT, 'schema');

// Read node_modules/<name>/package.json directly (some packages do not export it).
function pkgVersion(name) {
  const file = path.join(__dirname, 'node_modules', name, 'package.json');
  return JSON.parse(fs.readFileSync(file, 'utf8')).version;
}

function generatorInfo() {
  return {
    name: 'e2ee-testdata-gen',
    version: require('./package.json').version,
    libraries: {
      libsodium: C.sodium.sodium_version_string(),
      'libsodium-wrappers-sumo': pkgVersion('libsodium-wrappers-sumo'),
      bs58: pkgVersion('bs58'),
      bip39: pkgVersion('bip39'),
    },
  };
}

// The pinned versions in package.json must be what is installed (npm ci).
function checkPins() {
  const pkg = require('./package.json');
  const deps = { ...pkg.dependencies, ...pkg.devDependencies };
  for (const [name, want] of Object.entries(deps)) {
    C.assert(/^[0-9]+\.[0-9]+\.[0-9]+$/.test(want), `${name} must be pinned exactly, got ${want}`);
    C.assertEq(pkgVersion(name), want, `installed ${name} version`);
  }
}

function writeJSON(file, obj) {
  fs.writeFileSync(file, `${JSON.stringify(obj, null, 2)}\n`);
}

function clean(dir, re) {
  fs.mkdirSync(dir, { recursive: true });
  for (const f of fs.readdirSync(dir)) if (re.test(f)) fs.unlinkSync(path.join(dir, f));
}

async function main() {
  const t0 = Date.now();
  await C.init();
  checkPins();
  P.checkConstants();
  require('./lib/known').check();

  const gen = generatorInfo();
  clean(VECTORS, /\.(json|bin)$/);
  clean(SCHEMAS, /\.schema\.json$/);

  const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true });
  const summary = [];
  const docs = [];
  for (const m of MODULES) {
    const t1 = Date.now();
    const f = m.build();
    const doc = f.toJSON(gen);
    for (const b of f.bins) fs.writeFileSync(path.join(VECTORS, b.path), b.data);
    writeJSON(path.join(VECTORS, `${m.NAME}.json`), doc);
    const schema = m.schema();
    writeJSON(path.join(SCHEMAS, `${m.NAME}.schema.json`), schema);

    // Validate what is on disk, not what is in memory.
    const onDisk = JSON.parse(fs.readFileSync(path.join(VECTORS, `${m.NAME}.json`), 'utf8'));
    const validate = ajv.compile(JSON.parse(fs.readFileSync(path.join(SCHEMAS, `${m.NAME}.schema.json`), 'utf8')));
    if (!validate(onDisk)) {
      throw new Error(`${m.NAME}.json violates its schema:\n${JSON.stringify(validate.errors.slice(0, 10), null, 2)}`);
    }
    checkIds(m.NAME, onDisk);
    if (m.verifyOnDisk) m.verifyOnDisk(onDisk, VECTORS);
    const bins = f.bins.reduce((a, b) => a + b.data.length, 0);
    summary.push({ file: `${m.NAME}.json`, tests: doc.numberOfTests, bins, ms: Date.now() - t1 });
    docs.push({ m, doc, bins: f.bins });
  }
  writeReadme(docs, summary);
  for (const s of summary) {
    const extra = s.bins ? ` (+${(s.bins / 1048576).toFixed(1)} MiB .bin)` : '';
    console.log(`${s.file.padEnd(20)} ${String(s.tests).padStart(4)} tests${extra}  ${s.ms} ms`);
  }
  console.log(`total ${summary.reduce((a, s) => a + s.tests, 0)} tests in ${Date.now() - t0} ms`);
}

// Rewrite the generated sections of ../README.md (file table and flag tables).
function writeReadme(docs) {
  const file = path.join(ROOT, 'README.md');
  let text = fs.readFileSync(file, 'utf8');
  const replace = (name, body) => {
    const re = new RegExp(`(<!-- BEGIN GENERATED ${name}[^\\n]*-->\\n)[\\s\\S]*?(<!-- END GENERATED ${name} -->)`);
    C.assert(re.test(text), `README.md lacks the GENERATED ${name} markers`);
    text = text.replace(re, (_, a, b) => `${a}${body}${b}`);
  };
  const esc = (v) => v.replace(/\|/g, '\\|');
  let files = '| file | what it covers | groups | tests |\n|---|---|---|---|\n';
  for (const { m, doc, bins } of docs) {
    const types = [...new Set(doc.testGroups.map((g) => `\`${g.type}\``))].join(', ');
    const name = `\`${m.NAME}.json\`${bins.length ? ` + ${bins.map((b) => `\`${b.path}\``).join(', ')}` : ''}`;
    files += `| ${name} | ${esc(m.SUMMARY)} | ${types} | ${doc.numberOfTests} |\n`;
  }
  const total = docs.reduce((a, d) => a + d.doc.numberOfTests, 0);
  files += `| | **total** | | **${total}** |\n`;
  replace('FILES', files);
  let flags = '';
  for (const { m, doc } of docs) {
    flags += `\n#### \`${m.NAME}.json\`\n\n| flag | meaning |\n|---|---|\n`;
    for (const [k, v] of Object.entries(doc.notes)) flags += `| \`${k}\` | ${esc(v)} |\n`;
  }
  replace('FLAGS', `${flags}\n`);
  fs.writeFileSync(file, text);
}

// tcId must run 1..n in file order; numberOfTests must match.
function checkIds(name, doc) {
  let want = 1;
  for (const g of doc.testGroups) {
    for (const t of g.tests) {
      C.assertEq(t.tcId, want, `${name}: tcId order`);
      want++;
    }
  }
  C.assertEq(doc.numberOfTests, want - 1, `${name}: numberOfTests`);
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : e);
  process.exit(1);
});
