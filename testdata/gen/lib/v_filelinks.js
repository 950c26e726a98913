'use strict';
const bs58 = require('bs58').default;
const C = require('./common');
const P = require('./prims');
const S = require('./schema');

const NAME = 'filelinks';
const SUMMARY = 'single-file links: the three kinds of fragment and the file key each gives';
const ALGORITHM = 'Ente single-file link: fragment = base58/hex key bytes or a 12-character base62 secret';
const NOTES = {
  KeyOpensFileKey: 'The fragment is key bytes that open the file\'s encryptedKey (secretbox, keyDecryptionNonce).',
  FragmentIsFileKey:
    'The fragment is the file key itself: encryptedKey is absent, or does not open under it (Ente\'s share page ' +
    'then takes the fragment as the file key).',
  DerivedSecret:
    'The fragment is a 12-character base62 secret: Argon2id13(utf8(secret), kdfNonce, kdfOpsLimit, kdfMemLimit) ' +
    'opens linkSecret.encryptedFileKey (secretbox, encryptedFileKeyNonce). Ente Locker writes INTERACTIVE.',
  DashSuffix: 'The fragment has a "-" suffix, which is not key material.',
  LegacyHex: 'The key bytes are hex (64 characters) rather than base58.',
  PhotosForm: 'The link is {host}/file/?t={token}#{fragment}, as Ente Photos writes it.',
  LockerForm: 'The link is {host}/{token}#{fragment}, as Ente Locker writes it.',
  WrongSecret: 'The secret does not open encryptedFileKey.',
  TooExpensiveParams: 'kdfMemLimit/kdfOpsLimit come from the server and exceed the limits: refused before deriving.',
  BadFragment: 'The fragment is neither a 12-character secret nor 32 key bytes.',
};
const ERRORS = ['share.ErrKeyMismatch', 'pwhash.ErrTooExpensive', 'share.ErrInvalidLink'];

function build() {
  const f = new C.VectorFile({
    name: NAME,
    algorithm: ALGORITHM,
    header: [
      'link: the whole link; accessToken: the token it carries.',
      'file: the encryptedKey and keyDecryptionNonce of the file entry /file-link/info returns (absent: none sent).',
      'linkSecret: the link fields /file-link/info returns for a secret fragment.',
      'valid: the file key the link stands for is fileKey. invalid: opening it fails with error.',
    ],
    notes: NOTES,
    errors: ERRORS,
  });
  const g = f.group({ type: 'FileLinkTest', keyLength: 32 });
  const token = 'FL1NKT0K3N';
  const photos = (frag) => `https://albums.ente.com/file/?t=${token}#${frag}`;
  const locker = (frag) => `https://share.ente.io/${token}#${frag}`;

  const keyTest = (comment, flags, form, encode, opens) => {
    const fileKey = C.det(`filelinks/filekey/${comment}`, 32);
    const test = { comment, flags, link: '', accessToken: token, fileKey: C.b64(fileKey), result: 'valid' };
    let fragKey = fileKey;
    if (opens === 'opens') {
      fragKey = C.det(`filelinks/linkkey/${comment}`, 32);
      const nonce = C.det(`filelinks/nonce/${comment}`, 24);
      test.file = { encryptedKey: C.b64(P.secretboxSeal(fileKey, nonce, fragKey)), keyDecryptionNonce: C.b64(nonce) };
    } else if (opens === 'other') {
      const other = C.det(`filelinks/collectionkey/${comment}`, 32);
      const nonce = C.det(`filelinks/nonce/${comment}`, 24);
      test.file = { encryptedKey: C.b64(P.secretboxSeal(fileKey, nonce, other)), keyDecryptionNonce: C.b64(nonce) };
    }
    test.link = form(encode(fragKey));
    g.add(test);
  };
  const b58 = (k) => bs58.encode(k);
  keyTest('key opens the file key', ['KeyOpensFileKey', 'PhotosForm'], photos, b58, 'opens');
  keyTest('key opens the file key, Locker link', ['KeyOpensFileKey', 'LockerForm'], locker, b58, 'opens');
  keyTest('fragment is the file key, encryptedKey under the album key', ['FragmentIsFileKey', 'PhotosForm'], photos, b58, 'other');
  keyTest('fragment is the file key, no encryptedKey', ['FragmentIsFileKey', 'LockerForm'], locker, b58, 'none');
  keyTest('legacy hex fragment', ['KeyOpensFileKey', 'LegacyHex', 'PhotosForm'], photos, (k) => C.hex(k), 'opens');
  keyTest('dash suffix', ['KeyOpensFileKey', 'DashSuffix', 'LockerForm'], locker, (k) => `${b58(k)}-notes`, 'opens');

  const MEM = C.sodium.crypto_pwhash_MEMLIMIT_INTERACTIVE;
  const OPS = C.sodium.crypto_pwhash_OPSLIMIT_INTERACTIVE;
  const secretTest = (comment, flags, secret, fragment, opts = {}) => {
    const fileKey = C.det(`filelinks/filekey/${comment}`, 32);
    const salt = C.det(`filelinks/salt/${comment}`, 16);
    const nonce = C.det(`filelinks/nonce/${comment}`, 24);
    const k = P.pwhash(C.utf8(secret), salt, OPS, MEM);
    const linkSecret = {
      encryptedFileKey: C.b64(P.secretboxSeal(fileKey, nonce, k)),
      encryptedFileKeyNonce: C.b64(nonce),
      kdfNonce: C.b64(salt),
      kdfMemLimit: opts.mem || MEM,
      kdfOpsLimit: opts.ops || OPS,
    };
    const test = { comment, flags: ['DerivedSecret', ...flags], link: locker(fragment), accessToken: token, linkSecret };
    if (opts.error) {
      Object.assign(test, { result: 'invalid', error: opts.error });
    } else {
      Object.assign(test, { fileKey: C.b64(fileKey), result: 'valid' });
    }
    g.add(test);
  };
  secretTest('secret, INTERACTIVE', ['LockerForm'], 'aZ09bY18cX27', 'aZ09bY18cX27');
  secretTest('secret with a dash suffix', ['LockerForm', 'DashSuffix'], 'Qw3rTy7UiOp0', 'Qw3rTy7UiOp0-x');
  secretTest('wrong secret', ['LockerForm', 'WrongSecret'], 'Qw3rTy7UiOp0', 'Qw3rTy7UiOp1', { error: 'share.ErrKeyMismatch' });
  C.assertEq(P.paramsError(4, 4 * P.GIB), 'pwhash.ErrTooExpensive', 'filelinks: 4 GiB is too expensive');
  secretTest('KDF of 4 GiB', ['LockerForm', 'TooExpensiveParams'], 'aZ09bY18cX27', 'aZ09bY18cX27', {
    mem: 4 * P.GIB,
    ops: 4,
    error: 'pwhash.ErrTooExpensive',
  });
  g.add({
    comment: '11-character fragment',
    flags: ['BadFragment', 'LockerForm'],
    link: locker('aZ09bY18cX2'),
    accessToken: token,
    result: 'invalid',
    error: 'share.ErrInvalidLink',
  });
  return f;
}

function schema() {
  const flags = Object.keys(NOTES);
  const test = S.testSchema({
    props: {
      link: { type: 'string' },
      accessToken: { type: 'string' },
      fileKey: S.b64Len(32),
      file: {
        type: 'object',
        additionalProperties: false,
        required: ['encryptedKey', 'keyDecryptionNonce'],
        properties: { encryptedKey: S.b64Len(48), keyDecryptionNonce: S.b64Len(24) },
      },
      linkSecret: {
        type: 'object',
        additionalProperties: false,
        required: ['encryptedFileKey', 'encryptedFileKeyNonce', 'kdfNonce', 'kdfMemLimit', 'kdfOpsLimit'],
        properties: {
          encryptedFileKey: S.b64Len(48),
          encryptedFileKeyNonce: S.b64Len(24),
          kdfNonce: S.b64Len(16),
          kdfMemLimit: S.UINT,
          kdfOpsLimit: S.UINT,
        },
      },
    },
    required: ['link', 'accessToken'],
    validRequired: ['fileKey'],
    errors: ERRORS,
    flags,
  });
  const group = S.groupSchema('FileLinkTest', { keyLength: { const: 32 } }, ['keyLength'], test);
  return S.fileSchema({
    name: NAME,
    title: 'single-file link vectors',
    description: 'Single-file links: which file key each kind of fragment gives.',
    algorithm: ALGORITHM,
    groups: [group],
    flags,
  });
}

module.exports = { NAME, SUMMARY, build, schema };
