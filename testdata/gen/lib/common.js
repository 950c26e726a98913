'use strict';
// Shared helpers for the vector generator: libsodium.js handle, encodings,
// deterministic randomness, assertions and the Wycheproof-shaped file builder.

const crypto = require('node:crypto');
const sodium = require('libsodium-wrappers-sumo');

let ready = false;
async function init() {
  await sodium.ready;
  ready = true;
}

function so() {
  if (!ready) throw new Error('libsodium not initialised');
  return sodium;
}

// ---- encodings -------------------------------------------------------------

// Standard base64 (+/) WITH padding: libsodium's ORIGINAL variant, the wire encoding.
function b64(u8) {
  return sodium.to_base64(u8, sodium.base64_variants.ORIGINAL);
}
function unb64(s) {
  return sodium.from_base64(s, sodium.base64_variants.ORIGINAL);
}
// URL-safe base64 (-_) WITH padding (X-Auth-Token header).
function b64url(u8) {
  return sodium.to_base64(u8, sodium.base64_variants.URLSAFE);
}
function hex(u8) {
  return Buffer.from(u8).toString('hex');
}
function unhex(s) {
  return new Uint8Array(Buffer.from(s, 'hex'));
}
function utf8(str) {
  return new Uint8Array(Buffer.from(str, 'utf8'));
}
function sha256hex(u8) {
  return crypto.createHash('sha256').update(u8).digest('hex');
}
function concat(...parts) {
  const n = parts.reduce((a, p) => a + p.length, 0);
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
function bytesEqual(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
// Copy of u8 with byte idx XORed with mask.
function flip(u8, idx, mask = 0x01) {
  const c = new Uint8Array(u8);
  if (idx < 0) idx += c.length;
  c[idx] ^= mask;
  return c;
}
function range(n, start = 0) {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (start + i) & 0xff;
  return out;
}
function fill(n, v) {
  return new Uint8Array(n).fill(v);
}

// ---- deterministic randomness ----------------------------------------------
// Every "random" value is randombytes_buf_deterministic(n, seed(label)) where
// seed(label) = BLAKE2b-256("e2ee-testdata-gen:" || label) (crypto_generichash,
// no key). Labels are unique per value, so adding a vector never shifts others.
const SEED_PREFIX = 'e2ee-testdata-gen:';
const usedLabels = new Set();
function seed(label) {
  return sodium.crypto_generichash(32, utf8(SEED_PREFIX + label), null);
}
function det(label, n) {
  if (usedLabels.has(label)) throw new Error(`deterministic label reused: ${label}`);
  usedLabels.add(label);
  return sodium.randombytes_buf_deterministic(n, seed(label));
}

// ---- assertions ------------------------------------------------------------
function assert(cond, msg) {
  if (!cond) throw new Error(`ASSERTION FAILED: ${msg}`);
}
function assertBytes(got, want, msg) {
  if (!bytesEqual(got, want)) {
    throw new Error(`ASSERTION FAILED: ${msg}\n  got  ${b64(got)}\n  want ${b64(want)}`);
  }
}
function assertEq(got, want, msg) {
  if (got !== want) {
    throw new Error(`ASSERTION FAILED: ${msg}\n  got  ${JSON.stringify(got)}\n  want ${JSON.stringify(want)}`);
  }
}
// Run fn; it must throw (libsodium rejecting the input).
function assertThrows(fn, msg) {
  let threw = false;
  try {
    fn();
  } catch (e) {
    threw = true;
  }
  if (!threw) throw new Error(`ASSERTION FAILED (expected failure): ${msg}`);
}

// ---- sentinel errors -------------------------------------------------------
const ERRORS = [
  'secretbox.ErrOpen',
  'sealed.ErrOpen',
  'pwhash.ErrInvalidParams',
  'pwhash.ErrTooExpensive',
  'stream.ErrOpen',
  'stream.ErrTruncated',
  'stream.ErrTrailingData',
  'stream.ErrUnexpectedTag',
  'keys.ErrIncorrectPassword',
  'keys.ErrInvalidRecoveryKey',
  'keys.ErrInvalidAttributes',
  'keys.ErrUnsupportedVersion',
  'keys.ErrInvalidEnvelope',
  'keys.ErrInvalidURI',
  'share.ErrInvalidLink',
  'share.ErrKeyMismatch',
];

// ---- Wycheproof-shaped file builder ----------------------------------------
class VectorFile {
  // name: base name ("pwhash"), used for <name>.json and <name>.schema.json.
  constructor({ name, algorithm, header, notes, errors }) {
    this.name = name;
    this.algorithm = algorithm;
    this.header = header || [];
    this.notes = notes || {};
    this.errors = errors || [];
    for (const e of this.errors) assert(ERRORS.includes(e), `unknown sentinel ${e}`);
    this.groups = [];
    this.nextId = 1;
    this.bins = []; // {path, data}
  }

  group(params) {
    const g = { ...params, tests: [] };
    this.groups.push(g);
    const self = this;
    return {
      params: g,
      // add(test): test has comment, flags, result, error?, plus fields.
      add(t) {
        const { comment, flags, result, error, ...fields } = t;
        assert(typeof comment === 'string' && comment.length > 0, 'comment required');
        assert(result === 'valid' || result === 'invalid', `bad result ${result}`);
        for (const f of flags || []) assert(f in self.notes, `${self.name}: flag ${f} not in notes`);
        if (result === 'invalid') {
          assert(self.errors.includes(error), `${self.name}: error ${error} not allowed`);
        } else {
          assert(error === undefined, `${self.name}: valid test with error`);
        }
        const { legacyResult, legacyError, ...rest } = fields;
        const test = { tcId: self.nextId++, comment, flags: flags || [], ...rest, result };
        if (error !== undefined) test.error = error;
        if (legacyResult !== undefined) test.legacyResult = legacyResult;
        if (legacyError !== undefined) test.legacyError = legacyError;
        g.tests.push(test);
        return test;
      },
    };
  }

  addBin(path, data) {
    this.bins.push({ path, data });
    return { path, size: data.length, sha256: sha256hex(data) };
  }

  toJSON(generator) {
    const n = this.groups.reduce((a, g) => a + g.tests.length, 0);
    assertEq(n, this.nextId - 1, `${this.name}: numberOfTests`);
    // Every declared flag must be used at least once, and vice versa (checked in add).
    const used = new Set();
    for (const g of this.groups) for (const t of g.tests) for (const f of t.flags) used.add(f);
    for (const f of Object.keys(this.notes)) assert(used.has(f), `${this.name}: note ${f} never used`);
    return {
      algorithm: this.algorithm,
      schema: `${this.name}.schema.json`,
      generator,
      numberOfTests: n,
      header: this.header,
      notes: this.notes,
      testGroups: this.groups,
    };
  }
}

module.exports = {
  init,
  so,
  sodium,
  b64,
  unb64,
  b64url,
  hex,
  unhex,
  utf8,
  sha256hex,
  concat,
  bytesEqual,
  flip,
  range,
  fill,
  seed,
  det,
  assert,
  assertBytes,
  assertEq,
  assertThrows,
  ERRORS,
  VectorFile,
};
