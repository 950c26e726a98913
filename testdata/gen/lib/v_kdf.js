'use strict';
const C = require('./common');
const P = require('./prims');
const S = require('./schema');
const { KA } = require('./known');

const NAME = 'kdf';
const SUMMARY = 'login subkey: `crypto_kdf_derive_from_key(32, 1, "loginctx", KEK)[0:16]`';
const ALGORITHM = 'crypto_kdf_derive_from_key (BLAKE2b) login subkey';
const NOTES = {
  KnownAnswerKek: "The KEK is the Argon2id known answer from Ente's repository (see pwhash.json).",
  EdgeKey: 'A structured KEK (all zero, all 0xff, or bytes 00..1f).',
};

function build() {
  const f = new C.VectorFile({
    name: NAME,
    algorithm: ALGORITHM,
    header: [
      'subkey = crypto_kdf_derive_from_key(32, subkeyId 1, context "loginctx", KEK); loginKey = subkey[0:16].',
      'The input is the KEK (Argon2id of the password), not the master key. loginKey is the SRP password.',
    ],
    notes: NOTES,
    errors: [],
  });
  const g = f.group({
    type: 'LoginSubkeyTest',
    subkeyLength: 32,
    subkeyId: P.LOGIN_ID,
    context: P.LOGIN_CTX,
    loginKeyLength: 16,
  });
  const add = (comment, flags, kek) => {
    const { subkey, loginKey } = P.loginSubkey(kek);
    g.add({ comment, flags, kek: C.b64(kek), subkey: C.b64(subkey), loginKey: C.b64(loginKey), result: 'valid' });
  };
  add('KEK = Ente pwhash known answer', ['KnownAnswerKek'], C.unb64(KA.pwhash.key));
  add('all-zero KEK', ['EdgeKey'], C.fill(32, 0));
  add('all-0xff KEK', ['EdgeKey'], C.fill(32, 0xff));
  add('KEK 00..1f', ['EdgeKey'], C.range(32));
  for (let i = 1; i <= 3; i++) add(`pseudorandom KEK #${i}`, [], C.det(`kdf/kek/${i}`, 32));
  return f;
}

function schema() {
  const flags = Object.keys(NOTES);
  const test = S.testSchema({
    props: { kek: S.b64Len(32), subkey: S.b64Len(32), loginKey: S.b64Len(16) },
    required: ['kek', 'subkey', 'loginKey'],
    errors: [],
    flags,
  });
  const group = S.groupSchema(
    'LoginSubkeyTest',
    {
      subkeyLength: { const: 32 },
      subkeyId: { const: 1 },
      context: { const: 'loginctx' },
      loginKeyLength: { const: 16 },
    },
    ['subkeyLength', 'subkeyId', 'context', 'loginKeyLength'],
    test,
  );
  return S.fileSchema({
    name: NAME,
    title: 'kdf vectors',
    description: 'Login subkey (SRP password) derived from the KEK with crypto_kdf_derive_from_key.',
    algorithm: ALGORITHM,
    groups: [group],
    flags,
  });
}

module.exports = { NAME, SUMMARY, build, schema };
