'use strict';
const C = require('./common');
const P = require('./prims');
const S = require('./schema');

const NAME = 'sealed';
const SUMMARY = '`crypto_box_seal` (deterministic, ephemeral key given)';
const ALGORITHM = 'crypto_box_seal (X25519, XSalsa20-Poly1305)';
const NOTES = {
  DeterministicSeal:
    'ephemeralSecretKey is given, so sealing can be checked byte for byte: epk = X25519(ephemeralSecretKey, basepoint), ' +
    'nonce = BLAKE2b-192(epk || publicKey) (crypto_generichash, 24 bytes, no key), ' +
    'ct = epk || crypto_box_easy(msg, nonce, publicKey, ephemeralSecretKey).',
  EmptyMessage: 'The message is empty; ct is 48 bytes.',
  UnclampedSecretKey:
    'The recipient secret key bytes are not clamped (all bits set); X25519 clamps them, publicKey is X25519(sk, basepoint).',
  ShortCiphertext: 'ct is shorter than the 48-byte overhead.',
  TruncatedCiphertext: 'ct is a valid sealed box with bytes removed from its end.',
  ModifiedEphemeralKey: 'One bit of the ephemeral public key (ct[0:32]) is flipped.',
  ModifiedTag: 'One bit of the MAC (ct[32:48]) is flipped.',
  ModifiedCiphertext: 'One bit of the encrypted message (ct[48:]) is flipped.',
  LowOrderEphemeralKey: 'The ephemeral public key is replaced by the all-zero (low-order) point.',
  WrongRecipient: 'ct was sealed to a different public key.',
};
const ERR = 'sealed.ErrOpen';

function build() {
  const f = new C.VectorFile({
    name: NAME,
    algorithm: ALGORITHM,
    header: [
      'Group: the recipient key pair (publicKey, secretKey); publicKey = X25519(secretKey, basepoint).',
      'valid: Open(ct, publicKey, secretKey) == msg; with ephemeralSecretKey, Seal reproduces ct exactly.',
      'invalid: Open fails. msg (where given) is the message ct was made from before the mutation.',
    ],
    notes: NOTES,
    errors: [ERR],
  });

  const groupFor = (kp) =>
    f.group({ type: 'SealedBoxTest', publicKey: C.b64(kp.publicKey), secretKey: C.b64(kp.secretKey) });

  const addTo = (g, kp) => (comment, flags, msg, ct, esk, result) => {
    const opened = P.sealOpen(ct, kp.publicKey, kp.secretKey);
    if (result === 'valid') {
      C.assert(opened !== null, `sealed opens: ${comment}`);
      C.assertBytes(opened, msg, `sealed msg: ${comment}`);
      C.assertBytes(P.sealDeterministic(msg, kp.publicKey, esk), ct, `sealed reseal: ${comment}`);
    } else {
      C.assert(opened === null, `sealed must not open: ${comment}`);
    }
    const t = { comment, flags, msg: C.b64(msg), ct: C.b64(ct) };
    if (esk) t.ephemeralSecretKey = C.b64(esk);
    t.result = result;
    if (result === 'invalid') t.error = ERR;
    g.add(t);
  };

  // Group 1: pseudorandom recipient.
  const kp1 = P.keypairFromSecret(C.det('sealed/recipient1/sk', 32));
  const g1 = groupFor(kp1);
  const add1 = addTo(g1, kp1);
  let base;
  for (const n of [0, 1, 32, 100]) {
    const msg = C.det(`sealed/msg/${n}`, n);
    const esk = C.det(`sealed/esk/${n}`, 32);
    const ct = P.sealDeterministic(msg, kp1.publicKey, esk);
    const flags = ['DeterministicSeal'];
    if (n === 0) flags.push('EmptyMessage');
    add1(`message of ${n} bytes${n === 32 ? ' (a collection key)' : ''}`, flags, msg, ct, esk, 'valid');
    if (n === 32) base = { msg, ct };
  }
  const { msg, ct } = base;
  add1('47 bytes', ['ShortCiphertext'], msg, ct.slice(0, 47), null, 'invalid');
  add1('empty ct', ['ShortCiphertext'], msg, new Uint8Array(0), null, 'invalid');
  add1('truncated to 48 bytes', ['TruncatedCiphertext'], msg, ct.slice(0, 48), null, 'invalid');
  add1('truncated by one byte', ['TruncatedCiphertext'], msg, ct.slice(0, ct.length - 1), null, 'invalid');
  add1('flipped bit in ephemeral public key', ['ModifiedEphemeralKey'], msg, C.flip(ct, 3), null, 'invalid');
  add1('flipped bit in MAC', ['ModifiedTag'], msg, C.flip(ct, 32 + 7), null, 'invalid');
  add1('flipped bit in ciphertext', ['ModifiedCiphertext'], msg, C.flip(ct, 48 + 9), null, 'invalid');
  const zeroEpk = new Uint8Array(ct);
  zeroEpk.fill(0, 0, 32);
  add1('all-zero ephemeral public key', ['LowOrderEphemeralKey'], msg, zeroEpk, null, 'invalid');
  const other = P.keypairFromSecret(C.det('sealed/other/sk', 32));
  const ctOther = P.sealDeterministic(msg, other.publicKey, C.det('sealed/other/esk', 32));
  add1('sealed to another recipient', ['WrongRecipient'], msg, ctOther, null, 'invalid');

  // Group 2: unclamped secret key bytes.
  const kp2 = P.keypairFromSecret(C.fill(32, 0xff));
  const g2 = groupFor(kp2);
  const add2 = addTo(g2, kp2);
  const m2 = C.utf8('sealed to an all-0xff secret key');
  const e2 = C.det('sealed/unclamped/esk', 32);
  add2('recipient secret key all 0xff', ['DeterministicSeal', 'UnclampedSecretKey'], m2, P.sealDeterministic(m2, kp2.publicKey, e2), e2, 'valid');
  const e3 = C.fill(32, 0xff);
  add2(
    'ephemeral secret key all 0xff',
    ['DeterministicSeal', 'UnclampedSecretKey'],
    m2,
    P.sealDeterministic(m2, kp2.publicKey, e3),
    e3,
    'valid',
  );
  return f;
}

function schema() {
  const flags = Object.keys(NOTES);
  const test = S.testSchema({
    props: { msg: S.b64Any(), ct: S.b64Any(), ephemeralSecretKey: S.b64Len(32) },
    required: ['msg', 'ct'],
    validRequired: ['ephemeralSecretKey'],
    errors: [ERR],
    flags,
  });
  const group = S.groupSchema(
    'SealedBoxTest',
    { publicKey: S.b64Len(32), secretKey: S.b64Len(32) },
    ['publicKey', 'secretKey'],
    test,
  );
  return S.fileSchema({
    name: NAME,
    title: 'sealed box vectors',
    description: 'crypto_box_seal vectors with the ephemeral secret key given for deterministic re-sealing.',
    algorithm: ALGORITHM,
    groups: [group],
    flags,
  });
}

module.exports = { NAME, SUMMARY, build, schema };
