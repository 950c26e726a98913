'use strict';
const C = require('./common');
const P = require('./prims');
const S = require('./schema');
const { KA } = require('./known');

const NAME = 'secretbox';
const SUMMARY = '`crypto_secretbox_easy`';
const ALGORITHM = 'crypto_secretbox_easy (XSalsa20-Poly1305)';
const NOTES = {
  KnownAnswer: "Known answer from Ente's own repository (cli/internal/crypto/crypto_test.go).",
  EmptyMessage: 'The message is empty; ct is the 16-byte MAC alone.',
  ModifiedTag: 'One bit of the 16-byte MAC (ct[0:16]) is flipped.',
  ModifiedCiphertext: 'One bit of the encrypted message (after the MAC) is flipped.',
  TruncatedCiphertext: 'ct is shorter than the MAC (16 bytes) or shorter than the original box.',
  AppendedData: 'A byte is appended to a valid box.',
  WrongKey: 'ct was made with another key.',
  WrongNonce: 'ct was made with another nonce.',
};
const ERR = 'secretbox.ErrOpen';

function build() {
  const f = new C.VectorFile({
    name: NAME,
    algorithm: ALGORITHM,
    header: [
      'ct = crypto_secretbox_easy(msg, nonce, key) = MAC(16) || ciphertext.',
      'valid: Open(ct, nonce, key) == msg and Seal(msg, nonce, key) == ct.',
      'invalid: Open(ct, nonce, key) fails; msg is the message ct was originally made from and must not be returned.',
    ],
    notes: NOTES,
    errors: [ERR],
  });
  const g = f.group({ type: 'SecretboxTest', keySize: 32, nonceSize: 24, tagSize: 16 });

  const add = (comment, flags, key, nonce, msg, ct, result) => {
    const opened = P.secretboxOpen(ct, nonce, key);
    if (result === 'valid') {
      C.assert(opened !== null, `secretbox opens: ${comment}`);
      C.assertBytes(opened, msg, `secretbox msg: ${comment}`);
      C.assertBytes(P.secretboxSeal(msg, nonce, key), ct, `secretbox reseal: ${comment}`);
    } else {
      C.assert(opened === null, `secretbox must not open: ${comment}`);
    }
    g.add({
      comment,
      flags,
      key: C.b64(key),
      nonce: C.b64(nonce),
      msg: C.b64(msg),
      ct: C.b64(ct),
      result,
      error: result === 'invalid' ? ERR : undefined,
    });
  };

  const kaKey = C.unb64(KA.secretbox.key);
  const kaNonce = C.unb64(KA.secretbox.nonce);
  add('Ente CLI known answer', ['KnownAnswer'], kaKey, kaNonce, C.unb64(KA.secretbox.msg), C.unb64(KA.secretbox.box), 'valid');

  const key = C.det('secretbox/key', 32);
  let base;
  for (const n of [0, 1, 16, 32, 1000]) {
    const nonce = C.det(`secretbox/nonce/${n}`, 24);
    const msg = C.det(`secretbox/msg/${n}`, n);
    const ct = P.secretboxSeal(msg, nonce, key);
    add(`message of ${n} bytes`, n === 0 ? ['EmptyMessage'] : [], key, nonce, msg, ct, 'valid');
    if (n === 32) base = { nonce, msg, ct };
  }
  const { nonce, msg, ct } = base;
  add('flipped bit in MAC byte 0', ['ModifiedTag'], key, nonce, msg, C.flip(ct, 0), 'invalid');
  add('flipped bit in MAC byte 15', ['ModifiedTag'], key, nonce, msg, C.flip(ct, 15, 0x80), 'invalid');
  add('flipped bit in ciphertext byte 5', ['ModifiedCiphertext'], key, nonce, msg, C.flip(ct, 16 + 5), 'invalid');
  add('flipped bit in last ciphertext byte', ['ModifiedCiphertext'], key, nonce, msg, C.flip(ct, -1, 0x80), 'invalid');
  add('truncated to 15 bytes', ['TruncatedCiphertext'], key, nonce, msg, ct.slice(0, 15), 'invalid');
  add('truncated to 16 bytes (MAC only)', ['TruncatedCiphertext'], key, nonce, msg, ct.slice(0, 16), 'invalid');
  add('truncated by one byte', ['TruncatedCiphertext'], key, nonce, msg, ct.slice(0, ct.length - 1), 'invalid');
  add('empty ct', ['TruncatedCiphertext'], key, nonce, msg, new Uint8Array(0), 'invalid');
  add('one byte appended', ['AppendedData'], key, nonce, msg, C.concat(ct, new Uint8Array([0])), 'invalid');
  add('wrong key', ['WrongKey'], C.det('secretbox/wrongkey', 32), nonce, msg, ct, 'invalid');
  add('wrong nonce', ['WrongNonce'], key, C.det('secretbox/wrongnonce', 24), msg, ct, 'invalid');
  return f;
}

function schema() {
  const flags = Object.keys(NOTES);
  const test = S.testSchema({
    props: { key: S.b64Len(32), nonce: S.b64Len(24), msg: S.b64Any(), ct: S.b64Any() },
    required: ['key', 'nonce', 'msg', 'ct'],
    errors: [ERR],
    flags,
  });
  const group = S.groupSchema(
    'SecretboxTest',
    { keySize: { const: 32 }, nonceSize: { const: 24 }, tagSize: { const: 16 } },
    ['keySize', 'nonceSize', 'tagSize'],
    test,
  );
  return S.fileSchema({
    name: NAME,
    title: 'secretbox vectors',
    description: 'crypto_secretbox_easy vectors.',
    algorithm: ALGORITHM,
    groups: [group],
    flags,
  });
}

module.exports = { NAME, SUMMARY, build, schema };
