'use strict';
const C = require('./common');
const P = require('./prims');
const S = require('./schema');

const NAME = 'authtoken';
const SUMMARY = 'sealed auth token and its `X-Auth-Token` header value';
const ALGORITHM = 'Ente encrypted auth token: crypto_box_seal of 32 bytes, URL-safe padded base64 header';
const NOTES = {
  DeterministicSeal:
    'ephemeralSecretKey is given: sealing token to publicKey with it reproduces encryptedToken (see sealed.json).',
  UrlSafeChars: 'The token encodes to a URL-safe string containing "-" and/or "_", so it differs from standard base64.',
  ModifiedCiphertext: 'One bit of encryptedToken is flipped.',
  ShortCiphertext: 'encryptedToken is shorter than 80 bytes.',
  WrongRecipient: 'encryptedToken was sealed to another public key.',
};
const ERR = 'sealed.ErrOpen';

function build() {
  const f = new C.VectorFile({
    name: NAME,
    algorithm: ALGORITHM,
    header: [
      'The server seals 32 random bytes to the account publicKey (encryptedToken, 80 bytes, standard base64 in JSON).',
      'The client opens it with (publicKey, secretKey) and sends tokenHeader = URL-safe base64 WITH padding of the',
      '32 bytes as X-Auth-Token. token is the same 32 bytes in standard base64.',
    ],
    notes: NOTES,
    errors: [ERR],
  });
  const kp = P.keypairFromSecret(C.det('authtoken/sk', 32));
  const g = f.group({ type: 'AuthTokenTest', publicKey: C.b64(kp.publicKey), secretKey: C.b64(kp.secretKey) });

  const add = (comment, flags, token, enc, esk, result) => {
    const opened = P.sealOpen(enc, kp.publicKey, kp.secretKey);
    const t = { comment, flags, encryptedToken: C.b64(enc) };
    if (result === 'valid') {
      C.assertBytes(opened, token, `token opens: ${comment}`);
      C.assertBytes(P.sealDeterministic(token, kp.publicKey, esk), enc, `token reseal: ${comment}`);
      C.assertEq(enc.length, 80, 'encryptedToken length');
      t.ephemeralSecretKey = C.b64(esk);
      t.token = C.b64(token);
      t.tokenHeader = C.b64url(token);
      C.assert(/^[A-Za-z0-9_-]{43}=$/.test(t.tokenHeader), 'URL-safe padded header');
      if (flags.includes('UrlSafeChars')) C.assert(t.token !== t.tokenHeader, 'URL-safe form differs');
      else C.assertEq(t.token, t.tokenHeader, 'no URL-safe chars');
    } else {
      C.assert(opened === null, `token must not open: ${comment}`);
    }
    t.result = result;
    if (result === 'invalid') t.error = ERR;
    g.add(t);
  };

  // Find deterministic tokens with and without + and / in their standard base64.
  const pick = (label, want) => {
    for (let i = 0; i < 1000; i++) {
      const tok = C.det(`authtoken/token/${label}/${i}`, 32);
      const s = C.b64(tok);
      if (want(s)) return tok;
    }
    throw new Error(`no token for ${label}`);
  };
  const t1 = pick('both', (s) => s.includes('+') && s.includes('/'));
  const t2 = pick('none', (s) => !/[+/]/.test(s));
  const t3 = pick('plus', (s) => s.includes('+') && !s.includes('/'));
  let base;
  for (const [label, tok, flags] of [
    ['token with "+" and "/" in standard base64', t1, ['DeterministicSeal', 'UrlSafeChars']],
    ['token without "+" or "/"', t2, ['DeterministicSeal']],
    ['token with "+" only', t3, ['DeterministicSeal', 'UrlSafeChars']],
  ]) {
    const esk = C.det(`authtoken/esk/${C.hex(tok).slice(0, 16)}`, 32);
    const enc = P.sealDeterministic(tok, kp.publicKey, esk);
    add(label, flags, tok, enc, esk, 'valid');
    if (!base) base = enc;
  }
  add('flipped bit in the MAC', ['ModifiedCiphertext'], null, C.flip(base, 40), null, 'invalid');
  add('flipped bit in the sealed token', ['ModifiedCiphertext'], null, C.flip(base, 79, 0x80), null, 'invalid');
  add('79 bytes', ['ShortCiphertext'], null, base.slice(0, 79), null, 'invalid');
  add('47 bytes', ['ShortCiphertext'], null, base.slice(0, 47), null, 'invalid');
  const other = P.keypairFromSecret(C.det('authtoken/other/sk', 32));
  add(
    'sealed to another account',
    ['WrongRecipient'],
    null,
    P.sealDeterministic(t1, other.publicKey, C.det('authtoken/other/esk', 32)),
    null,
    'invalid',
  );
  return f;
}

function schema() {
  const flags = Object.keys(NOTES);
  const test = S.testSchema({
    props: {
      encryptedToken: S.b64Any(),
      ephemeralSecretKey: S.b64Len(32),
      token: S.b64Len(32),
      tokenHeader: { type: 'string', pattern: '^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]=$' },
    },
    required: ['encryptedToken'],
    validRequired: ['ephemeralSecretKey', 'token', 'tokenHeader'],
    errors: [ERR],
    flags,
  });
  test.allOf.push({
    if: { properties: { result: { const: 'invalid' } } },
    then: { properties: { token: false, tokenHeader: false, ephemeralSecretKey: false } },
  });
  const group = S.groupSchema(
    'AuthTokenTest',
    { publicKey: S.b64Len(32), secretKey: S.b64Len(32) },
    ['publicKey', 'secretKey'],
    test,
  );
  return S.fileSchema({
    name: NAME,
    title: 'auth token vectors',
    description: 'Opening the sealed auth token and encoding the X-Auth-Token header value.',
    algorithm: ALGORITHM,
    groups: [group],
    flags,
  });
}

module.exports = { NAME, SUMMARY, build, schema };
