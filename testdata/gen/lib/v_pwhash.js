'use strict';
const C = require('./common');
const P = require('./prims');
const S = require('./schema');

const NAME = 'pwhash';
const SUMMARY = 'Argon2id13 `crypto_pwhash`, 32-byte output; parameter minimums and the default cost limits';
const ALGORITHM = 'Argon2id13 crypto_pwhash, 32-byte output';
const NOTES = {
  KnownAnswer: "Known answer from Ente's own repository (cli/internal/crypto/crypto_test.go).",
  InteractiveParams: 'memLimit 67108864 (64 MiB), opsLimit 2: libsodium INTERACTIVE, used for link passwords.',
  MinimumParams: 'The smallest parameters libsodium accepts: opsLimit 1, memLimit 8192 bytes.',
  EmptyPassword: 'The password is the empty byte string.',
  NonAsciiPassword: 'The password contains non-ASCII characters; it is hashed as its UTF-8 bytes.',
  NoNormalization:
    'Two vectors with the same salt and params whose passwords are the NFC and NFD forms of the same text: ' +
    'the keys differ, because passwords are used as UTF-8 bytes with no Unicode normalisation.',
  EmbeddedNul: 'The password contains a NUL byte; every byte is hashed (no C-string truncation).',
  BelowMinimum: 'opsLimit or memLimit is below the libsodium minimum: rejected before hashing.',
  AboveMemLimit: 'memLimit exceeds the default limit of 1 GiB: rejected before hashing (no key is given).',
  AboveCostLimit:
    'memLimit x opsLimit exceeds the default limit of 4 GiB (1 GiB x 4): rejected before hashing (no key is given).',
};

function build() {
  const f = new C.VectorFile({
    name: NAME,
    algorithm: ALGORITHM,
    header: [
      'key = crypto_pwhash(32, password, salt, opsLimit, memLimit, crypto_pwhash_ALG_ARGON2ID13).',
      'password is a JSON string: hash its UTF-8 bytes exactly, without normalisation. memLimit is in BYTES',
      '(Go x/crypto/argon2 takes KiB: argon2.IDKey(pw, salt, opsLimit, memLimit/1024, 1, 32)).',
      'Invalid tests: the SDK must refuse the params (with the group limits) before doing any work.',
    ],
    notes: NOTES,
    errors: ['pwhash.ErrInvalidParams', 'pwhash.ErrTooExpensive'],
  });
  const g = f.group({
    type: 'PwhashTest',
    alg: 'ARGON2ID13',
    keyLength: 32,
    minimums: { opsLimit: P.PW_MIN.opsLimit, memLimit: P.PW_MIN.memLimit },
    limits: { ...P.LIMITS },
  });

  const valid = (comment, flags, password, salt, opsLimit, memLimit, expect) => {
    const key = P.pwhash(C.utf8(password), salt, opsLimit, memLimit);
    if (expect) C.assertBytes(key, C.unb64(expect), `pwhash known answer: ${comment}`);
    g.add({ comment, flags, password, salt: C.b64(salt), opsLimit, memLimit, key: C.b64(key), result: 'valid' });
    return key;
  };
  const invalid = (comment, flags, opsLimit, memLimit, error) => {
    C.assertEq(P.paramsError(opsLimit, memLimit), error, `pwhash param check: ${comment}`);
    if (error === 'pwhash.ErrInvalidParams') {
      // libsodium itself refuses these.
      C.assertThrows(
        () => C.sodium.crypto_pwhash(32, C.utf8('x'), new Uint8Array(16), opsLimit, memLimit, 2),
        `libsodium rejects ${opsLimit}/${memLimit}`,
      );
    }
    g.add({
      comment,
      flags,
      password: 'password',
      salt: C.b64(C.det(`pwhash/invalid/${opsLimit}/${memLimit}/salt`, 16)),
      opsLimit,
      memLimit,
      result: 'invalid',
      error,
    });
  };

  valid(
    'Ente CLI known answer',
    ['KnownAnswer', 'InteractiveParams'],
    'test_password',
    C.unb64('vd0dcYMGNLKn/gpT6uTFTw=='),
    2,
    67108864,
    'vp8d8Nee0BbIML4ab8Cp34uYnyrN77cRwTl920flyT0=',
  );
  valid('minimum params', ['MinimumParams'], 'correct horse battery staple', C.det('pwhash/min/salt', 16), 1, 8192);
  valid('mem 8192, ops 3', [], 'correct horse battery staple', C.det('pwhash/8k-3/salt', 16), 3, 8192);
  valid('mem 1 MiB, ops 1', [], 'hunter2', C.det('pwhash/1m-1/salt', 16), 1, P.MIB);
  valid('mem 16 MiB, ops 2', [], 'hunter2', C.det('pwhash/16m-2/salt', 16), 2, 16 * P.MIB);
  valid('mem 64 MiB, ops 3', [], 'a much longer passphrase with spaces', C.det('pwhash/64m-3/salt', 16), 3, 64 * P.MIB);
  valid('all-zero salt', [], 'password', new Uint8Array(16), 2, 64 * P.KIB);
  valid('empty password', ['EmptyPassword'], '', C.det('pwhash/empty/salt', 16), 2, 64 * P.KIB);
  valid(
    'non-ASCII password (UTF-8)',
    ['NonAsciiPassword'],
    'pässwörd 🔑 密码',
    C.det('pwhash/nonascii/salt', 16),
    2,
    64 * P.KIB,
  );
  const nfSalt = C.det('pwhash/nf/salt', 16);
  const nfc = 'Zu\u0308rich'.normalize('NFC');
  const nfd = 'Zu\u0308rich'.normalize('NFD');
  C.assert(nfc !== nfd, 'NFC and NFD differ');
  const k1 = valid('password in NFC (U+00FC)', ['NonAsciiPassword', 'NoNormalization'], nfc, nfSalt, 2, 64 * P.KIB);
  const k2 = valid('password in NFD (u + U+0308)', ['NonAsciiPassword', 'NoNormalization'], nfd, nfSalt, 2, 64 * P.KIB);
  C.assert(!C.bytesEqual(k1, k2), 'NFC/NFD keys differ');
  const nulSalt = C.det('pwhash/nul/salt', 16);
  const kn = valid('password with an embedded NUL byte', ['EmbeddedNul'], 'pass\u0000word', nulSalt, 2, 64 * P.KIB);
  C.assert(!C.bytesEqual(kn, P.pwhash(C.utf8('pass'), nulSalt, 2, 64 * P.KIB)), 'NUL not truncated');

  invalid('opsLimit 0', ['BelowMinimum'], 0, 64 * P.MIB, 'pwhash.ErrInvalidParams');
  invalid('memLimit 8191 (one byte below minimum)', ['BelowMinimum'], 2, 8191, 'pwhash.ErrInvalidParams');
  invalid('memLimit 0', ['BelowMinimum'], 2, 0, 'pwhash.ErrInvalidParams');
  invalid('memLimit 2 GiB', ['AboveMemLimit'], 1, 2 * P.GIB, 'pwhash.ErrTooExpensive');
  invalid('memLimit 1 GiB + 1 KiB', ['AboveMemLimit'], 1, P.GIB + P.KIB, 'pwhash.ErrTooExpensive');
  invalid('memLimit 1 GiB, opsLimit 5 (5 GiB of work)', ['AboveCostLimit'], 5, P.GIB, 'pwhash.ErrTooExpensive');
  invalid('memLimit 64 MiB, opsLimit 65 (4160 MiB of work)', ['AboveCostLimit'], 65, 64 * P.MIB, 'pwhash.ErrTooExpensive');
  return f;
}

function schema() {
  const flags = Object.keys(NOTES);
  const test = S.testSchema({
    props: {
      password: { type: 'string', description: 'hash its UTF-8 bytes' },
      salt: S.b64Len(16),
      opsLimit: S.UINT,
      memLimit: S.desc(S.UINT, 'bytes'),
      key: S.b64Len(32),
    },
    required: ['password', 'salt', 'opsLimit', 'memLimit'],
    validRequired: ['key'],
    errors: ['pwhash.ErrInvalidParams', 'pwhash.ErrTooExpensive'],
    flags,
  });
  test.allOf.push({ if: { properties: { result: { const: 'invalid' } } }, then: { properties: { key: false } } });
  const group = S.groupSchema(
    'PwhashTest',
    {
      alg: { const: 'ARGON2ID13' },
      keyLength: { const: 32 },
      minimums: {
        type: 'object',
        additionalProperties: false,
        required: ['opsLimit', 'memLimit'],
        properties: { opsLimit: { const: 1 }, memLimit: { const: 8192 } },
      },
      limits: {
        type: 'object',
        additionalProperties: false,
        required: ['maxMemLimit', 'maxMemLimitTimesOpsLimit'],
        properties: { maxMemLimit: S.UINT, maxMemLimitTimesOpsLimit: S.UINT },
      },
    },
    ['alg', 'keyLength', 'minimums', 'limits'],
    test,
  );
  return S.fileSchema({
    name: NAME,
    title: 'pwhash vectors',
    description: 'Argon2id13 raw crypto_pwhash vectors and parameter-limit checks.',
    algorithm: ALGORITHM,
    groups: [group],
    flags,
  });
}

module.exports = { NAME, SUMMARY, build, schema };
