'use strict';
const fs = require('node:fs');
const path = require('node:path');
const C = require('./common');
const P = require('./prims');
const S = require('./schema');

const NAME = 'file';
const SUMMARY = 'chunked secretstream files (4 MiB chunks); large ciphertexts as byte ranges of `file-*.bin`';
const ALGORITHM = 'crypto_secretstream_xchacha20poly1305, Ente file format (4 MiB chunks)';
const CS = P.CHUNK;
const CT = P.CT_CHUNK;
const K = 1000; // the "k" in 2cs+k
const BASE_FILE = 'file-base.bin';
const MIN_MATCH = 64; // shortest run taken from a .bin file rather than inlined
const SPILL = 4096; // inline data parts longer than this go to their own .bin file
const PATTERN = 'byte i = i mod 251';

const NOTES = {
  CanonicalWriterOutput:
    'ct is exactly what a conforming writer emits for this plaintext, key and header: 4 MiB chunks, every chunk but ' +
    'the last tagged MESSAGE, the last FINAL; a size that is a non-zero multiple of 4 MiB ends with a full 4 MiB FINAL ' +
    'chunk, and an empty file is one empty FINAL message (what Ente\'s web client, encryptStreamBytes, writes).',
  EmptyFile: 'Empty plaintext: one empty FINAL message, 17 bytes of ciphertext.',
  ChunkBoundary: 'The plaintext size is at or next to a multiple of the 4 MiB chunk size.',
  PushTag: 'An intermediate chunk is tagged PUSH (1), as some Dart clients write: valid.',
  RekeyTag: 'An intermediate chunk is tagged REKEY (2): valid; the reader rekeys after it, as libsodium pull does.',
  FullSizeFinalChunk:
    'The FINAL chunk carries a full 4 MiB, as a writer emits for a size that is a multiple of 4 MiB. ' +
    'Chunks are not length-framed, so this is the only shape after which appended bytes are visible as trailing data.',
  EmptyFinalAfterFullChunk:
    'A full 4 MiB MESSAGE chunk is followed by an empty FINAL message (what a writer that only learns of the end ' +
    'after a full chunk produces): valid for readers, but not what a conforming writer emits.',
  EmptyInput: 'The ciphertext is empty: there is no FINAL chunk.',
  PartialChunk: 'The input ends with a piece shorter than ABYTES (17): it cannot be a chunk.',
  TruncatedAtChunkBoundary: 'The input ends exactly after a full non-FINAL chunk.',
  MissingFinalTag: 'Every chunk authenticates but the last one is tagged MESSAGE, not FINAL.',
  TruncatedLastChunk:
    'The last (short) chunk lost its final byte. A reader cannot tell this from corruption: the short last chunk ' +
    'fails to authenticate (stream.ErrOpen).',
  TrailingData: 'Bytes follow a full-size FINAL chunk.',
  ExtraFinalMessage:
    'A second, authentic FINAL message was pushed after the first (as a wrapper that writes FINAL on Close after the ' +
    'data already ended with FINAL would produce).',
  AppendedToShortFinal:
    'Bytes follow a short FINAL chunk. Since chunks are not length-framed, they become part of the last chunk, ' +
    'which then fails to authenticate (stream.ErrOpen), not stream.ErrTrailingData.',
  ReorderedChunks: 'Two full chunks are swapped.',
  DroppedChunk: 'A full intermediate chunk is removed.',
  ModifiedCiphertext: 'One bit of one chunk (tag byte, body or MAC) is flipped.',
  WrongKey: 'ct was made with another key.',
  WrongHeader: 'ct was made with another header.',
};
const ERRORS = ['stream.ErrOpen', 'stream.ErrTruncated', 'stream.ErrTrailingData'];

// The plaintext of every vector is a prefix of this pattern.
function pattern(n) {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = i % 251;
  return out;
}

// Canonical writer: split into CS chunks, MESSAGE all but the last, last FINAL;
// a non-zero multiple of CS ends with a full FINAL chunk, an empty input is one
// empty FINAL chunk (Ente's web client: the chunk that reaches the end is FINAL).
function canonicalChunks(pt) {
  const chunks = [];
  let off = 0;
  while (pt.length - off > CS) {
    chunks.push({ msg: pt.subarray(off, off + CS), tag: P.TAG.MESSAGE });
    off += CS;
  }
  chunks.push({ msg: pt.subarray(off), tag: P.TAG.FINAL });
  return chunks;
}

function assemble(parts, files) {
  return C.concat(
    ...parts.map((p) => (p.data !== undefined ? C.unb64(p.data) : files[p.file].subarray(p.offset, p.offset + p.length))),
  );
}

function build() {
  const f = new C.VectorFile({
    name: NAME,
    algorithm: ALGORITHM,
    header: [
      'Plaintext is cut into 4 MiB chunks, each pushed as one secretstream message (ciphertext chunk 4194321 bytes).',
      'A reader reads 4194321-byte blocks (the last may be shorter), pulls each, and must see the stream end exactly',
      'after the first FINAL chunk. Plaintexts are not stored: plaintext byte i is (i mod 251); check size and sha256.',
      'ciphertext.parts: concatenate in order; {file, offset, length} is a byte range of a .bin file in this directory,',
      '{data} is inline base64. Then check ciphertext.size and ciphertext.sha256 before using it.',
      'The parts are only a space saving: the generator encrypted every ciphertext in full with libsodium and asserted',
      'that the assembled parts equal it.',
    ],
    notes: NOTES,
    errors: ERRORS,
  });
  const g = f.group({
    type: 'FileTest',
    chunkSize: CS,
    ciphertextChunkSize: CT,
    keySize: 32,
    headerSize: 24,
    abytes: P.SS_ABYTES,
    plaintextPattern: PATTERN,
  });

  const key = C.det('file/key', 32);
  const header = C.det('file/header', 24);
  const PT = pattern(2 * CS + K);
  const pt = (n) => PT.subarray(0, n);
  const enc = (chunks, k = key, h = header) => P.encryptMessages(k, h, chunks);

  const base = enc(canonicalChunks(pt(2 * CS + K)));
  C.assertEq(base.length, 2 * CT + K + P.SS_ABYTES, 'base file size');
  const files = { [BASE_FILE]: base };
  f.addBin(BASE_FILE, base);
  let spills = 0;

  // Express ct as parts: runs found in the .bin files at chunk-aligned shifts, the rest inline.
  const encodeParts = (ct, spillLabel) => {
    const parts = [];
    let lit = [];
    const flushLit = () => {
      if (lit.length) parts.push({ data: Uint8Array.from(lit) });
      lit = [];
    };
    const deltas = [0, CT, -CT, 2 * CT, -2 * CT];
    let i = 0;
    while (i < ct.length) {
      let best = 0;
      let bestJ = -1;
      for (const d of deltas) {
        const j = i + d;
        if (j < 0 || j >= base.length) continue;
        let L = 0;
        while (i + L < ct.length && j + L < base.length && ct[i + L] === base[j + L]) L++;
        if (L > best) {
          best = L;
          bestJ = j;
        }
      }
      if (best >= MIN_MATCH) {
        flushLit();
        const last = parts[parts.length - 1];
        if (last && last.file === BASE_FILE && last.offset + last.length === bestJ) last.length += best;
        else parts.push({ file: BASE_FILE, offset: bestJ, length: best });
        i += best;
      } else {
        lit.push(ct[i]);
        i++;
      }
    }
    flushLit();
    let n = 0;
    const out = parts.map((p) => {
      if (p.data === undefined) return p;
      if (p.data.length > SPILL) {
        const name = `file-${spillLabel}${n ? `-${n}` : ''}.bin`;
        n++;
        spills++;
        files[name] = p.data;
        f.addBin(name, p.data);
        return { file: name, offset: 0, length: p.data.length };
      }
      return { data: C.b64(p.data) };
    });
    C.assertBytes(assemble(out, files), ct, `file parts reassemble (${spillLabel})`);
    return { size: ct.length, sha256: C.sha256hex(ct), parts: out };
  };

  const add = ({ comment, flags, ct, k = key, h = header, plain, tags, error, label }) => {
    const r = P.refDecryptFile(ct, h, k);
    C.assertEq(r.error || null, error || null, `file reader outcome: ${comment}`);
    const t = { comment, flags, key: C.b64(k), header: C.b64(h) };
    if (!error) {
      C.assertBytes(r.msg, plain, `file plaintext: ${comment}`);
      C.assertEq(JSON.stringify(r.tags), JSON.stringify(tags), `file tags: ${comment}`);
      t.plaintext = { size: plain.length, sha256: C.sha256hex(plain) };
      t.chunkTags = tags;
    }
    t.ciphertext = encodeParts(ct, label);
    t.result = error ? 'invalid' : 'valid';
    if (error) t.error = error;
    g.add(t);
  };
  const canon = (n, comment, flags) => {
    const chunks = canonicalChunks(pt(n));
    add({
      comment,
      flags: ['CanonicalWriterOutput', ...flags],
      ct: enc(chunks),
      plain: pt(n),
      tags: chunks.map((c) => c.tag),
      label: `size-${n}`,
    });
  };
  const M = P.TAG.MESSAGE;
  const F = P.TAG.FINAL;

  // ---- valid ----
  canon(0, 'empty file', ['EmptyFile']);
  canon(1, '1 byte', []);
  canon(CS - 1, 'chunk size - 1', ['ChunkBoundary']);
  canon(CS, 'chunk size (one full FINAL chunk)', ['ChunkBoundary', 'FullSizeFinalChunk']);
  canon(CS + 1, 'chunk size + 1', ['ChunkBoundary']);
  canon(2 * CS, 'two chunk sizes (ends with a full FINAL chunk)', ['ChunkBoundary', 'FullSizeFinalChunk']);
  canon(2 * CS + K, `2 x chunk size + ${K}`, []);
  add({
    comment: 'first chunk tagged PUSH',
    flags: ['PushTag'],
    ct: enc([
      { msg: pt(CS), tag: P.TAG.PUSH },
      { msg: PT.subarray(CS, CS + K), tag: F },
    ]),
    plain: pt(CS + K),
    tags: [P.TAG.PUSH, F],
    label: 'push',
  });
  add({
    comment: 'both intermediate chunks tagged PUSH',
    flags: ['PushTag'],
    ct: enc([
      { msg: pt(CS), tag: P.TAG.PUSH },
      { msg: PT.subarray(CS, 2 * CS), tag: P.TAG.PUSH },
      { msg: PT.subarray(2 * CS, 2 * CS + K), tag: F },
    ]),
    plain: pt(2 * CS + K),
    tags: [P.TAG.PUSH, P.TAG.PUSH, F],
    label: 'push2',
  });
  add({
    comment: 'first chunk tagged REKEY',
    flags: ['RekeyTag'],
    ct: enc([
      { msg: pt(CS), tag: P.TAG.REKEY },
      { msg: PT.subarray(CS, CS + K), tag: F },
    ]),
    plain: pt(CS + K),
    tags: [P.TAG.REKEY, F],
    label: 'rekey',
  });
  add({
    comment: 'full MESSAGE chunk then an empty FINAL message',
    flags: ['EmptyFinalAfterFullChunk', 'ChunkBoundary'],
    ct: enc([
      { msg: pt(CS), tag: M },
      { msg: PT.subarray(CS, CS), tag: F },
    ]),
    plain: pt(CS),
    tags: [M, F],
    label: 'emptyfinal',
  });

  // ---- invalid ----
  const T = 'stream.ErrTruncated';
  const O = 'stream.ErrOpen';
  const D = 'stream.ErrTrailingData';
  add({ comment: 'empty input', flags: ['EmptyInput'], ct: new Uint8Array(0), error: T, label: 'empty-input' });
  add({
    comment: 'empty file truncated to 16 bytes',
    flags: ['PartialChunk'],
    ct: enc(canonicalChunks(pt(0))).subarray(0, 16),
    error: T,
    label: 'empty-16',
  });
  add({
    comment: 'truncated after the first chunk',
    flags: ['TruncatedAtChunkBoundary'],
    ct: base.subarray(0, CT),
    error: T,
    label: 'trunc-1',
  });
  add({
    comment: 'truncated after the second chunk',
    flags: ['TruncatedAtChunkBoundary'],
    ct: base.subarray(0, 2 * CT),
    error: T,
    label: 'trunc-2',
  });
  add({
    comment: 'truncated 10 bytes into the second chunk',
    flags: ['PartialChunk'],
    ct: base.subarray(0, CT + 10),
    error: T,
    label: 'trunc-mid',
  });
  add({
    comment: 'truncated 16 bytes into the last chunk',
    flags: ['PartialChunk'],
    ct: base.subarray(0, 2 * CT + 16),
    error: T,
    label: 'trunc-mid-last',
  });
  add({
    comment: 'last chunk tagged MESSAGE instead of FINAL',
    flags: ['MissingFinalTag'],
    ct: enc([
      { msg: pt(CS), tag: M },
      { msg: PT.subarray(CS, CS + K), tag: M },
    ]),
    error: T,
    label: 'nofinal',
  });
  add({
    comment: 'single short chunk tagged MESSAGE',
    flags: ['MissingFinalTag'],
    ct: enc([{ msg: pt(100), tag: M }]),
    error: T,
    label: 'nofinal-short',
  });
  add({
    comment: 'last byte removed',
    flags: ['TruncatedLastChunk'],
    ct: base.subarray(0, base.length - 1),
    error: O,
    label: 'trunc-last-byte',
  });
  const fullFinal = enc([{ msg: pt(CS), tag: F }]);
  add({
    comment: 'one byte after a full-size FINAL chunk',
    flags: ['TrailingData', 'FullSizeFinalChunk'],
    ct: C.concat(fullFinal, new Uint8Array([0])),
    error: D,
    label: 'trailing-1',
  });
  add({
    comment: 'a full authentic chunk after a full-size FINAL chunk',
    flags: ['TrailingData', 'FullSizeFinalChunk'],
    ct: enc([
      { msg: pt(CS), tag: F },
      { msg: PT.subarray(CS, 2 * CS), tag: M },
    ]),
    error: D,
    label: 'trailing-chunk',
  });
  add({
    comment: 'an empty FINAL message after a full-size FINAL chunk',
    flags: ['TrailingData', 'FullSizeFinalChunk', 'ExtraFinalMessage'],
    ct: enc([
      { msg: pt(CS), tag: F },
      { msg: new Uint8Array(0), tag: F },
    ]),
    error: D,
    label: 'two-finals',
  });
  add({
    comment: 'one byte after a short FINAL chunk',
    flags: ['AppendedToShortFinal'],
    ct: C.concat(base, new Uint8Array([0])),
    error: O,
    label: 'append-short',
  });
  add({
    comment: 'an empty FINAL message after a short FINAL chunk',
    flags: ['AppendedToShortFinal', 'ExtraFinalMessage'],
    ct: enc([...canonicalChunks(pt(2 * CS + K)), { msg: new Uint8Array(0), tag: F }]),
    error: O,
    label: 'two-finals-short',
  });
  add({
    comment: 'first two chunks swapped',
    flags: ['ReorderedChunks'],
    ct: C.concat(base.subarray(CT, 2 * CT), base.subarray(0, CT), base.subarray(2 * CT)),
    error: O,
    label: 'reorder',
  });
  add({
    comment: 'second chunk removed',
    flags: ['DroppedChunk'],
    ct: C.concat(base.subarray(0, CT), base.subarray(2 * CT)),
    error: O,
    label: 'drop',
  });
  add({ comment: 'flipped bit in the tag byte of the first chunk', flags: ['ModifiedCiphertext'], ct: C.flip(base, 0), error: O, label: 'flip-tag' });
  add({
    comment: 'flipped bit in the body of the second chunk',
    flags: ['ModifiedCiphertext'],
    ct: C.flip(base, CT + 12345),
    error: O,
    label: 'flip-body',
  });
  add({
    comment: 'flipped bit in the MAC of the first chunk',
    flags: ['ModifiedCiphertext'],
    ct: C.flip(base, CT - 1, 0x80),
    error: O,
    label: 'flip-mac',
  });
  add({
    comment: 'flipped bit in the last chunk',
    flags: ['ModifiedCiphertext'],
    ct: C.flip(base, 2 * CT + 3),
    error: O,
    label: 'flip-last',
  });
  add({ comment: 'wrong header', flags: ['WrongHeader'], ct: base, h: C.det('file/wrongheader', 24), error: O, label: 'wrong-header' });
  add({ comment: 'wrong key', flags: ['WrongKey'], ct: base, k: C.det('file/wrongkey', 32), error: O, label: 'wrong-key' });

  const total = f.bins.reduce((a, b) => a + b.data.length, 0);
  C.assert(total < 40 * P.MIB, `file .bin total ${total} too large`);
  C.assert(spills <= 2, `unexpected number of spill files: ${spills}`);
  return f;
}

// Re-assemble every ciphertext from the files on disk and check size/sha256.
function verifyOnDisk(doc, dir) {
  const cache = {};
  const read = (name) => {
    if (!cache[name]) cache[name] = new Uint8Array(fs.readFileSync(path.join(dir, name)));
    return cache[name];
  };
  for (const g of doc.testGroups) {
    for (const t of g.tests) {
      const files = {};
      for (const p of t.ciphertext.parts) if (p.file) files[p.file] = read(p.file);
      const ct = assemble(t.ciphertext.parts, files);
      C.assertEq(ct.length, t.ciphertext.size, `file tcId ${t.tcId} size on disk`);
      C.assertEq(C.sha256hex(ct), t.ciphertext.sha256, `file tcId ${t.tcId} sha256 on disk`);
      const r = P.refDecryptFile(ct, C.unb64(t.header), C.unb64(t.key));
      C.assertEq(r.error || null, t.error || null, `file tcId ${t.tcId} outcome on disk`);
      if (!r.error) C.assertEq(C.sha256hex(r.msg), t.plaintext.sha256, `file tcId ${t.tcId} plaintext on disk`);
    }
  }
}

function schema() {
  const flags = Object.keys(NOTES);
  const part = {
    oneOf: [
      {
        type: 'object',
        additionalProperties: false,
        required: ['file', 'offset', 'length'],
        properties: {
          file: { type: 'string', pattern: '^file-[a-z0-9-]+\\.bin$' },
          offset: S.UINT,
          length: { type: 'integer', minimum: 1 },
        },
      },
      {
        type: 'object',
        additionalProperties: false,
        required: ['data'],
        properties: { data: { ...S.b64Any(), minLength: 4 } },
      },
    ],
  };
  const test = S.testSchema({
    props: {
      key: S.b64Len(32),
      header: S.b64Len(24),
      plaintext: {
        type: 'object',
        additionalProperties: false,
        required: ['size', 'sha256'],
        properties: { size: S.UINT, sha256: S.SHA256 },
      },
      chunkTags: { type: 'array', minItems: 1, items: { enum: [0, 1, 2, 3] } },
      ciphertext: {
        type: 'object',
        additionalProperties: false,
        required: ['size', 'sha256', 'parts'],
        properties: { size: S.UINT, sha256: S.SHA256, parts: { type: 'array', items: part } },
      },
    },
    required: ['key', 'header', 'ciphertext'],
    validRequired: ['plaintext', 'chunkTags'],
    errors: ERRORS,
    flags,
  });
  test.allOf.push({
    if: { properties: { result: { const: 'invalid' } } },
    then: { properties: { plaintext: false, chunkTags: false } },
  });
  const group = S.groupSchema(
    'FileTest',
    {
      chunkSize: { const: CS },
      ciphertextChunkSize: { const: CT },
      keySize: { const: 32 },
      headerSize: { const: 24 },
      abytes: { const: 17 },
      plaintextPattern: { const: PATTERN },
    },
    ['chunkSize', 'ciphertextChunkSize', 'keySize', 'headerSize', 'abytes', 'plaintextPattern'],
    test,
  );
  return S.fileSchema({
    name: NAME,
    title: 'secretstream file vectors',
    description: 'Chunked secretstream files in the Ente format; large ciphertexts are byte ranges of .bin files.',
    algorithm: ALGORITHM,
    groups: [group],
    flags,
  });
}

module.exports = { NAME, SUMMARY, build, schema, verifyOnDisk };
