'use strict';
const C = require('./common');
const P = require('./prims');
const S = require('./schema');

const NAME = 'linkpass';
const SUMMARY = 'password-protected link params (`passHash`)';
const ALGORITHM = 'Ente password-protected album link: passHash = Argon2id13(password, nonce, INTERACTIVE)';
const NOTES = {
  InteractiveParams: 'memLimit 67108864 (64 MiB), opsLimit 2: what owners emit.',
  NonAsciiPassword: 'The password contains non-ASCII characters; it is hashed as its UTF-8 bytes.',
  TooExpensiveParams: 'linkParams come from the server (untrusted) and exceed the default limits: refused before deriving.',
  BelowMinimumParams: 'linkParams are below the libsodium minimums: refused before deriving.',
};
const ERRORS = ['pwhash.ErrTooExpensive', 'pwhash.ErrInvalidParams'];

function build() {
  const f = new C.VectorFile({
    name: NAME,
    algorithm: ALGORITHM,
    header: [
      'linkParams is the JSON the server stores: {passHash, nonce, memLimit, opsLimit}; nonce is really the 16-byte salt.',
      'valid: base64(crypto_pwhash(32, password, nonce, opsLimit, memLimit, ARGON2ID13)) == passHash; an owner setting',
      'this password with this salt emits exactly linkParams. passHash is a password equivalent (it is what viewers POST).',
      'invalid: deriving from linkParams is refused before any work.',
    ],
    notes: NOTES,
    errors: ERRORS,
  });
  const g = f.group({ type: 'LinkPasswordTest', keyLength: 32 });
  const MEM = C.sodium.crypto_pwhash_MEMLIMIT_INTERACTIVE;
  const OPS = C.sodium.crypto_pwhash_OPSLIMIT_INTERACTIVE;
  let first;
  const valid = (comment, flags, password) => {
    const salt = C.det(`linkpass/salt/${comment}`, 16);
    const h = P.pwhash(C.utf8(password), salt, OPS, MEM);
    const linkParams = { passHash: C.b64(h), nonce: C.b64(salt), memLimit: MEM, opsLimit: OPS };
    if (!first) first = linkParams;
    g.add({ comment, flags: ['InteractiveParams', ...flags], password, linkParams, result: 'valid' });
  };
  const invalid = (comment, flags, memLimit, opsLimit, error) => {
    C.assertEq(P.paramsError(opsLimit, memLimit), error, `linkpass params: ${comment}`);
    g.add({ comment, flags, password: 'link password', linkParams: { ...first, memLimit, opsLimit }, result: 'invalid', error });
  };
  valid('ASCII password', [], 'link password');
  valid('non-ASCII password', ['NonAsciiPassword'], 'mot de passe secret é 🔒');
  valid('single character', [], 'x');
  invalid('memLimit 2 GiB', ['TooExpensiveParams'], 2 * P.GIB, 2, 'pwhash.ErrTooExpensive');
  invalid('memLimit 1 GiB, opsLimit 5', ['TooExpensiveParams'], P.GIB, 5, 'pwhash.ErrTooExpensive');
  invalid('opsLimit 0', ['BelowMinimumParams'], MEM, 0, 'pwhash.ErrInvalidParams');
  invalid('memLimit 4096', ['BelowMinimumParams'], 4096, 2, 'pwhash.ErrInvalidParams');
  return f;
}

function schema() {
  const flags = Object.keys(NOTES);
  const test = S.testSchema({
    props: {
      password: { type: 'string' },
      linkParams: {
        type: 'object',
        additionalProperties: false,
        required: ['passHash', 'nonce', 'memLimit', 'opsLimit'],
        properties: { passHash: S.b64Len(32), nonce: S.b64Len(16), memLimit: S.UINT, opsLimit: S.UINT },
      },
    },
    required: ['password', 'linkParams'],
    errors: ERRORS,
    flags,
  });
  const group = S.groupSchema('LinkPasswordTest', { keyLength: { const: 32 } }, ['keyLength'], test);
  return S.fileSchema({
    name: NAME,
    title: 'link password vectors',
    description: 'Password-protected public link params.',
    algorithm: ALGORITHM,
    groups: [group],
    flags,
  });
}

module.exports = { NAME, SUMMARY, build, schema };
