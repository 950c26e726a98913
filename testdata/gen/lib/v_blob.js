'use strict';
const C = require('./common');
const P = require('./prims');
const S = require('./schema');
const { KA } = require('./known');

const NAME = 'blob';
const SUMMARY = 'one-message secretstream blobs (thumbnails, metadata): strict and legacy readers';
const ALGORITHM = 'crypto_secretstream_xchacha20poly1305, one-message blob';
const NOTES = {
  KnownAnswer: "Known answer from Ente's own repository (cli/internal/crypto/crypto_test.go).",
  CanonicalBlob: 'One message tagged FINAL: exactly what a writer emits (EncryptBlob with this header reproduces ct).',
  EmptyMessage: 'The message is empty; ct is 17 bytes.',
  LegacyMessageTag:
    'The single message is tagged MESSAGE (0), as Auth data written before Nov 2025 and file metadata or thumbnails ' +
    "from some old clients (Ente's web client ignores the tag when it reads them, and so does the album Viewer): " +
    'strict DecryptBlob fails with stream.ErrUnexpectedTag, DecryptBlobLegacy returns msg.',
  UnexpectedTag: 'The single message is tagged PUSH (1) or REKEY (2): rejected by both readers after authentication.',
  ModifiedCiphertext: 'One bit of the ciphertext (tag byte, body or MAC) is flipped.',
  ShortCiphertext: 'ct is shorter than ABYTES (17): there cannot be a message at all.',
  TruncatedCiphertext: 'ct is a valid blob with bytes removed from its end, still at least 17 bytes: it does not authenticate.',
  AppendedData: 'A byte is appended to a valid blob; the whole input is one message, so it does not authenticate.',
  WrongKey: 'ct was made with another key.',
  WrongHeader: 'ct was made with another header.',
};
const ERRORS = ['stream.ErrOpen', 'stream.ErrTruncated', 'stream.ErrUnexpectedTag'];

function build() {
  const f = new C.VectorFile({
    name: NAME,
    algorithm: ALGORITHM,
    header: [
      'A blob (thumbnail, metadata, Auth entity) is ONE secretstream message: ct = push(state(key, header), msg, tag).',
      'result/error: strict DecryptBlob (accepts only tag FINAL).',
      'legacyResult/legacyError: DecryptBlobLegacy (accepts tag FINAL or MESSAGE).',
      'tag: the tag ct was made with (absent when ct is not a whole authentic message).',
      'msg: the message ct was made from; on failure it must not be returned.',
    ],
    notes: NOTES,
    errors: ERRORS,
  });
  const g = f.group({ type: 'BlobTest', keySize: 32, headerSize: 24, abytes: 17 });

  const add = (comment, flags, key, header, msg, ct, tag, strict, legacy) => {
    const rs = P.refDecryptBlob(ct, header, key, false);
    const rl = P.refDecryptBlob(ct, header, key, true);
    C.assertEq(rs.error || null, strict, `blob strict: ${comment}`);
    C.assertEq(rl.error || null, legacy, `blob legacy: ${comment}`);
    if (!strict) C.assertBytes(rs.msg, msg, `blob strict msg: ${comment}`);
    if (!legacy) C.assertBytes(rl.msg, msg, `blob legacy msg: ${comment}`);
    if (tag !== null) C.assertBytes(P.encryptMessages(key, header, [{ msg, tag }]), ct, `blob re-encrypt: ${comment}`);
    const t = { comment, flags, key: C.b64(key), header: C.b64(header), msg: C.b64(msg), ct: C.b64(ct) };
    if (tag !== null) t.tag = tag;
    t.result = strict ? 'invalid' : 'valid';
    if (strict) t.error = strict;
    t.legacyResult = legacy ? 'invalid' : 'valid';
    if (legacy) t.legacyError = legacy;
    g.add(t);
  };
  const enc = (key, header, msg, tag) => P.encryptMessages(key, header, [{ msg, tag }]);

  const kaKey = C.unb64(KA.pwhash.key);
  add(
    'Ente CLI known answer',
    ['KnownAnswer', 'CanonicalBlob'],
    kaKey,
    C.unb64(KA.blob.header),
    C.utf8(KA.blob.msg),
    C.unb64(KA.blob.ct),
    P.TAG.FINAL,
    null,
    null,
  );

  const key = C.det('blob/key', 32);
  const hdr = (label) => C.det(`blob/header/${label}`, 24);
  const F = P.TAG.FINAL;
  {
    const h = hdr('empty');
    const m = new Uint8Array(0);
    add('empty message', ['CanonicalBlob', 'EmptyMessage'], key, h, m, enc(key, h, m, F), F, null, null);
  }
  {
    const h = hdr('1');
    const m = C.det('blob/msg/1', 1);
    add('1-byte message', ['CanonicalBlob'], key, h, m, enc(key, h, m, F), F, null, null);
  }
  {
    const h = hdr('meta');
    const m = C.utf8(
      JSON.stringify({ title: 'IMG_0001.jpg', creationTime: 1700000000000000, modificationTime: 1700000000000000, fileType: 0 }),
    );
    add('metadata JSON', ['CanonicalBlob'], key, h, m, enc(key, h, m, F), F, null, null);
  }
  {
    const h = hdr('thumb');
    const m = C.det('blob/msg/thumb', 3000);
    add('3000-byte message (thumbnail-like)', ['CanonicalBlob'], key, h, m, enc(key, h, m, F), F, null, null);
  }
  {
    const h = hdr('legacy');
    const m = C.utf8('"otpauth://totp/Example:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example"');
    add('tag MESSAGE (legacy Auth data)', ['LegacyMessageTag'], key, h, m, enc(key, h, m, P.TAG.MESSAGE), P.TAG.MESSAGE, 'stream.ErrUnexpectedTag', null);
  }
  {
    const h = hdr('legacy-metadata');
    const m = C.utf8('{"title":"IMG_0001.jpg","creationTime":1700000000000000,"modificationTime":1700000000000000,"fileType":0}');
    add('file metadata tagged MESSAGE (old client)', ['LegacyMessageTag'], key, h, m, enc(key, h, m, P.TAG.MESSAGE), P.TAG.MESSAGE, 'stream.ErrUnexpectedTag', null);
  }
  {
    const h = hdr('legacy-empty');
    const m = new Uint8Array(0);
    add(
      'empty message tagged MESSAGE',
      ['LegacyMessageTag', 'EmptyMessage'],
      key,
      h,
      m,
      enc(key, h, m, P.TAG.MESSAGE),
      P.TAG.MESSAGE,
      'stream.ErrUnexpectedTag',
      null,
    );
  }
  {
    const h = hdr('push');
    const m = C.utf8('tagged PUSH');
    add('tag PUSH', ['UnexpectedTag'], key, h, m, enc(key, h, m, P.TAG.PUSH), P.TAG.PUSH, 'stream.ErrUnexpectedTag', 'stream.ErrUnexpectedTag');
  }
  {
    const h = hdr('rekey');
    const m = C.utf8('tagged REKEY');
    add('tag REKEY', ['UnexpectedTag'], key, h, m, enc(key, h, m, P.TAG.REKEY), P.TAG.REKEY, 'stream.ErrUnexpectedTag', 'stream.ErrUnexpectedTag');
  }
  // Mutations of one valid blob.
  const h = hdr('base');
  const m = C.utf8('{"title":"IMG_0002.heic"}');
  const ct = enc(key, h, m, F);
  const O = 'stream.ErrOpen';
  const T = 'stream.ErrTruncated';
  add('flipped bit in tag byte', ['ModifiedCiphertext'], key, h, m, C.flip(ct, 0), null, O, O);
  add('flipped bit in body', ['ModifiedCiphertext'], key, h, m, C.flip(ct, 5), null, O, O);
  add('flipped bit in MAC', ['ModifiedCiphertext'], key, h, m, C.flip(ct, -1, 0x80), null, O, O);
  add('16 bytes', ['ShortCiphertext'], key, h, m, ct.slice(0, 16), null, T, T);
  add('empty ct', ['ShortCiphertext'], key, h, m, new Uint8Array(0), null, T, T);
  add('truncated by one byte', ['TruncatedCiphertext'], key, h, m, ct.slice(0, ct.length - 1), null, O, O);
  add('truncated to 17 bytes', ['TruncatedCiphertext'], key, h, m, ct.slice(0, 17), null, O, O);
  add('one byte appended', ['AppendedData'], key, h, m, C.concat(ct, new Uint8Array([0])), null, O, O);
  add('wrong key', ['WrongKey'], C.det('blob/wrongkey', 32), h, m, ct, null, O, O);
  add('wrong header', ['WrongHeader'], key, hdr('wrong'), m, ct, null, O, O);
  return f;
}

function schema() {
  const flags = Object.keys(NOTES);
  const test = S.testSchema({
    props: {
      key: S.b64Len(32),
      header: S.b64Len(24),
      msg: S.b64Any(),
      ct: S.b64Any(),
      tag: { enum: [0, 1, 2, 3] },
      legacyResult: { enum: ['valid', 'invalid'] },
      legacyError: { enum: ERRORS },
    },
    required: ['key', 'header', 'msg', 'ct', 'legacyResult'],
    validRequired: ['tag'],
    errors: ERRORS,
    flags,
  });
  test.allOf.push({
    if: { properties: { legacyResult: { const: 'valid' } } },
    then: { properties: { legacyError: false } },
    else: { required: ['legacyError'] },
  });
  const group = S.groupSchema(
    'BlobTest',
    { keySize: { const: 32 }, headerSize: { const: 24 }, abytes: { const: 17 } },
    ['keySize', 'headerSize', 'abytes'],
    test,
  );
  return S.fileSchema({
    name: NAME,
    title: 'secretstream blob vectors',
    description: 'One-message secretstream blobs with strict and legacy reader outcomes.',
    algorithm: ALGORITHM,
    groups: [group],
    flags,
  });
}

module.exports = { NAME, SUMMARY, build, schema };
