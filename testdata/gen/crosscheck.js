#!/usr/bin/env node
'use strict';
// Live cross-check, Node side (libsodium.js, bs58, bip39: the stack Ente's web
// client uses). Run by scripts/crosscheck.sh (make crosscheck):
//
//   node crosscheck.js produce DIR   fresh random objects of every kind -> DIR
//   node crosscheck.js open DIR      open the Go SDK's objects in DIR; exit 1 on
//                                    any mismatch, naming object kind, name, field
//
// It does not touch the vectors: gen.js's output is independent of this file.

const C = require('./lib/common');

async function main() {
  const [cmd, dir] = process.argv.slice(2);
  if (!dir || (cmd !== 'produce' && cmd !== 'open')) {
    console.error('usage: node crosscheck.js produce|open DIR');
    process.exit(2);
  }
  await C.init();
  if (cmd === 'produce') {
    const n = require('./lib/crosscheck_produce').produce(dir);
    console.log(`node: produced ${n} objects in ${dir}`);
    return;
  }
  const { problems, notes, checked, producer } = require('./lib/crosscheck_open').open(dir);
  for (const n of notes) console.log(`NOTE ${n}`);
  for (const p of problems) console.log(`MISMATCH ${p}`);
  if (problems.length) {
    console.log(`node: ${problems.length} mismatches opening ${producer} objects`);
    process.exit(1);
  }
  const kinds = Object.entries(checked).map(([k, n]) => `${n} ${k}`).sort();
  console.log(`node: opened ${kinds.join(', ')}`);
}

main().catch((e) => {
  console.error(`crosscheck: ${e.stack || e}`);
  process.exit(1);
});
