'use strict';
const C = require('./common');
const P = require('./prims');
const S = require('./schema');

const NAME = 'authenticator';
const SUMMARY = 'Ente Auth: authKey envelope, token entities, export file v1';
const ALGORITHM = 'Ente Auth: authKey envelope, token entities, encrypted export file v1';
const NOTES = {
  LegacyMessageTag:
    'The single secretstream message is tagged MESSAGE (0), as Auth data written before Nov 2025: valid for Auth readers.',
  FinalTag: 'The single secretstream message is tagged FINAL (3), as current writers emit.',
  UnexpectedTag: 'The single message is tagged PUSH (1): Auth readers accept only MESSAGE or FINAL.',
  ModifiedCiphertext: 'One bit of the ciphertext is flipped.',
  ShortCiphertext: 'The ciphertext is shorter than ABYTES (17).',
  WrongKey: 'The data was encrypted under another key.',
  WrongHeader: 'The data was encrypted with another header.',
  NonAsciiUri: 'The otpauth URI contains non-ASCII characters (raw UTF-8, not percent-encoded, inside the JSON string).',
  UnsupportedVersion: 'The export file has version 2: refused before deriving or decrypting.',
  WrongPassword: 'The export password is wrong: the data does not authenticate under the derived key.',
  TooExpensiveParams: 'kdfParams are above the default limits: refused before deriving (untrusted input).',
  BelowMinimumParams: 'kdfParams are below the libsodium minimums: refused before deriving.',
};
const ERRORS = [
  'secretbox.ErrOpen',
  'stream.ErrOpen',
  'stream.ErrTruncated',
  'stream.ErrUnexpectedTag',
  'keys.ErrUnsupportedVersion',
  'keys.ErrIncorrectPassword',
  'pwhash.ErrTooExpensive',
  'pwhash.ErrInvalidParams',
];
const AUTH_READER = (ct, header, key) => P.refDecryptBlob(ct, header, key, true); // accepts 0 or 3
const EXPORT_MEM = P.MIB;
const EXPORT_OPS = 2;

function build() {
  const f = new C.VectorFile({
    name: NAME,
    algorithm: ALGORITHM,
    header: [
      'AuthKeyTest: authKey = crypto_secretbox_open_easy(encryptedKey, header, masterKey) (header is the secretbox nonce).',
      'AuthEntityTest: plaintext = one secretstream message (encryptedData, header) under authKey, tag MESSAGE or FINAL;',
      'plaintext is a JSON-encoded string (quotes included); uri is its decoded value.',
      'AuthExportTest: export is the v1 file; key = Argon2id(password, kdfParams.salt, opsLimit, memLimit);',
      'encryptionNonce is the secretstream header; plaintext is UTF-8 text, one otpauth URI per line, each ending in "\\n".',
    ],
    notes: NOTES,
    errors: ERRORS,
  });

  // ---- authKey envelope ----
  const masterKey = C.det('auth/masterKey', 32);
  const authKey = C.det('auth/authKey', 32);
  const gk = f.group({ type: 'AuthKeyTest', masterKey: C.b64(masterKey) });
  const addKey = (comment, flags, encryptedKey, nonce, expectKey) => {
    const opened = P.secretboxOpen(encryptedKey, nonce, masterKey);
    const t = { comment, flags, encryptedKey: C.b64(encryptedKey), header: C.b64(nonce) };
    if (expectKey) {
      C.assertBytes(opened, expectKey, `authKey opens: ${comment}`);
      t.authKey = C.b64(expectKey);
      t.result = 'valid';
    } else {
      C.assert(opened === null, `authKey must not open: ${comment}`);
      t.result = 'invalid';
      t.error = 'secretbox.ErrOpen';
    }
    gk.add(t);
  };
  const kn = C.det('auth/authKey/nonce', 24);
  const ek = P.secretboxSeal(authKey, kn, masterKey);
  addKey('authKey envelope', [], ek, kn, authKey);
  const authKey2 = C.det('auth/authKey2', 32);
  const kn2 = C.det('auth/authKey2/nonce', 24);
  addKey('another authKey envelope', [], P.secretboxSeal(authKey2, kn2, masterKey), kn2, authKey2);
  addKey('flipped bit in encryptedKey', ['ModifiedCiphertext'], C.flip(ek, 20), kn, null);
  addKey(
    'encryptedKey made under another masterKey',
    ['WrongKey'],
    P.secretboxSeal(authKey, kn, C.det('auth/otherMasterKey', 32)),
    kn,
    null,
  );

  // ---- entities ----
  const ge = f.group({ type: 'AuthEntityTest', authKey: C.b64(authKey) });
  const addEntity = (comment, flags, { ct, header, plaintext, tag, error, key = authKey }) => {
    const r = AUTH_READER(ct, header, key);
    C.assertEq(r.error || null, error || null, `entity outcome: ${comment}`);
    const t = { comment, flags, encryptedData: C.b64(ct), header: C.b64(header) };
    if (!error) {
      C.assertBytes(r.msg, plaintext, `entity plaintext: ${comment}`);
      C.assertEq(r.tag, tag, `entity tag: ${comment}`);
      t.tag = tag;
      t.plaintext = C.b64(plaintext);
      t.uri = JSON.parse(Buffer.from(plaintext).toString('utf8'));
      C.assert(t.uri.startsWith('otpauth://'), 'entity is an otpauth URI');
      t.result = 'valid';
    } else {
      t.result = 'invalid';
      t.error = error;
    }
    ge.add(t);
  };
  const entity = (uri) => C.utf8(JSON.stringify(uri));
  const uris = [
    'otpauth://totp/Example:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example',
    'otpauth://hotp/ACME%20Co:bob?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ&issuer=ACME%20Co&counter=7',
    'otpauth://totp/Zürich%20Bank:čarli?secret=GEZDGNBVGY3TQOJQ&issuer=Zürich%20Bank&algorithm=SHA256&digits=8&period=60',
  ];
  const ehs = [0, 1, 2, 3, 4].map((i) => C.det(`auth/entity/header/${i}`, 24));
  const eh = (i) => ehs[i];
  const encE = (uri, h, tag) => P.encryptMessages(authKey, h, [{ msg: entity(uri), tag }]);
  const F = P.TAG.FINAL;
  const M = P.TAG.MESSAGE;
  addEntity('TOTP entity, tag FINAL', ['FinalTag'], { ct: encE(uris[0], eh(0), F), header: eh(0), plaintext: entity(uris[0]), tag: F });
  addEntity('TOTP entity, tag MESSAGE (legacy)', ['LegacyMessageTag'], {
    ct: encE(uris[0], eh(1), M),
    header: eh(1),
    plaintext: entity(uris[0]),
    tag: M,
  });
  addEntity('HOTP entity, tag FINAL', ['FinalTag'], { ct: encE(uris[1], eh(2), F), header: eh(2), plaintext: entity(uris[1]), tag: F });
  addEntity('non-ASCII URI, tag MESSAGE (legacy)', ['LegacyMessageTag', 'NonAsciiUri'], {
    ct: encE(uris[2], eh(3), M),
    header: eh(3),
    plaintext: entity(uris[2]),
    tag: M,
  });
  const base = encE(uris[0], eh(0), F);
  addEntity('flipped bit in the body', ['ModifiedCiphertext'], { ct: C.flip(base, 10), header: eh(0), error: 'stream.ErrOpen' });
  addEntity('flipped bit in the MAC', ['ModifiedCiphertext'], { ct: C.flip(base, -1), header: eh(0), error: 'stream.ErrOpen' });
  addEntity('16 bytes', ['ShortCiphertext'], { ct: base.slice(0, 16), header: eh(0), error: 'stream.ErrTruncated' });
  addEntity('wrong header', ['WrongHeader'], { ct: base, header: eh(1), error: 'stream.ErrOpen' });
  addEntity('encrypted under another authKey', ['WrongKey'], {
    ct: P.encryptMessages(authKey2, eh(0), [{ msg: entity(uris[0]), tag: F }]),
    header: eh(0),
    error: 'stream.ErrOpen',
  });
  addEntity('tag PUSH', ['UnexpectedTag'], { ct: encE(uris[0], eh(4), P.TAG.PUSH), header: eh(4), error: 'stream.ErrUnexpectedTag' });

  // ---- export file ----
  const gx = f.group({ type: 'AuthExportTest' });
  const exportText = `${uris.join('\n')}\n`;
  const makeExport = (label, password, tag, text = exportText) => {
    const salt = C.det(`auth/export/${label}/salt`, 16);
    const header = C.det(`auth/export/${label}/header`, 24);
    const key = P.pwhash(C.utf8(password), salt, EXPORT_OPS, EXPORT_MEM);
    const ct = P.encryptMessages(key, header, [{ msg: C.utf8(text), tag }]);
    return {
      version: 1,
      kdfParams: { memLimit: EXPORT_MEM, opsLimit: EXPORT_OPS, salt: C.b64(salt) },
      encryptedData: C.b64(ct),
      encryptionNonce: C.b64(header),
    };
  };
  // Reference export reader.
  const readExport = (exp, password) => {
    if (exp.version !== 1) return { error: 'keys.ErrUnsupportedVersion' };
    const { memLimit, opsLimit, salt } = exp.kdfParams;
    const pe = P.paramsError(opsLimit, memLimit);
    if (pe) return { error: pe };
    const key = P.pwhash(C.utf8(password), C.unb64(salt), opsLimit, memLimit);
    const r = AUTH_READER(C.unb64(exp.encryptedData), C.unb64(exp.encryptionNonce), key);
    if (r.error === 'stream.ErrOpen') return { error: 'keys.ErrIncorrectPassword' };
    if (r.error) return r;
    return { text: Buffer.from(r.msg).toString('utf8'), tag: r.tag };
  };
  const addExport = (comment, flags, exp, password, error) => {
    const r = readExport(exp, password);
    C.assertEq(r.error || null, error || null, `export outcome: ${comment}`);
    const t = { comment, flags, password, export: exp };
    if (!error) {
      C.assertEq(r.text, exportText, `export text: ${comment}`);
      t.plaintext = r.text;
      t.uris = r.text.split('\n').slice(0, -1);
      t.result = 'valid';
    } else {
      t.result = 'invalid';
      t.error = error;
    }
    gx.add(t);
  };
  const pw = 'export password';
  const expF = makeExport('final', pw, F);
  addExport('export v1, tag FINAL', ['FinalTag'], expF, pw);
  addExport('export v1, tag MESSAGE (legacy)', ['LegacyMessageTag'], makeExport('message', pw, M), pw);
  addExport('version 2', ['UnsupportedVersion'], { ...expF, version: 2 }, pw, 'keys.ErrUnsupportedVersion');
  addExport('wrong password', ['WrongPassword'], expF, 'export passw0rd', 'keys.ErrIncorrectPassword');
  addExport(
    'memLimit 2 GiB',
    ['TooExpensiveParams'],
    { ...expF, kdfParams: { ...expF.kdfParams, memLimit: 2 * P.GIB } },
    pw,
    'pwhash.ErrTooExpensive',
  );
  addExport(
    'memLimit 1 GiB, opsLimit 5',
    ['TooExpensiveParams'],
    { ...expF, kdfParams: { ...expF.kdfParams, memLimit: P.GIB, opsLimit: 5 } },
    pw,
    'pwhash.ErrTooExpensive',
  );
  addExport(
    'opsLimit 0',
    ['BelowMinimumParams'],
    { ...expF, kdfParams: { ...expF.kdfParams, opsLimit: 0 } },
    pw,
    'pwhash.ErrInvalidParams',
  );
  return f;
}

function schema() {
  const flags = Object.keys(NOTES);
  const keyGroup = S.groupSchema(
    'AuthKeyTest',
    { masterKey: S.b64Len(32) },
    ['masterKey'],
    S.testSchema({
      props: { encryptedKey: S.b64Any(), header: S.b64Len(24), authKey: S.b64Len(32) },
      required: ['encryptedKey', 'header'],
      validRequired: ['authKey'],
      errors: ['secretbox.ErrOpen'],
      flags,
    }),
  );
  const entityTest = S.testSchema({
    props: {
      encryptedData: S.b64Any(),
      header: S.b64Len(24),
      tag: { enum: [0, 3] },
      plaintext: S.b64Any(),
      uri: { type: 'string', pattern: '^otpauth://' },
    },
    required: ['encryptedData', 'header'],
    validRequired: ['tag', 'plaintext', 'uri'],
    errors: ['stream.ErrOpen', 'stream.ErrTruncated', 'stream.ErrUnexpectedTag'],
    flags,
  });
  const entityGroup = S.groupSchema('AuthEntityTest', { authKey: S.b64Len(32) }, ['authKey'], entityTest);
  const exportObj = {
    type: 'object',
    additionalProperties: false,
    required: ['version', 'kdfParams', 'encryptedData', 'encryptionNonce'],
    properties: {
      version: { type: 'integer' },
      kdfParams: {
        type: 'object',
        additionalProperties: false,
        required: ['memLimit', 'opsLimit', 'salt'],
        properties: { memLimit: S.UINT, opsLimit: S.UINT, salt: S.b64Len(16) },
      },
      encryptedData: S.b64Any(),
      encryptionNonce: S.b64Len(24),
    },
  };
  const exportGroup = S.groupSchema(
    'AuthExportTest',
    {},
    [],
    S.testSchema({
      props: {
        password: { type: 'string' },
        export: exportObj,
        plaintext: { type: 'string', pattern: '^(otpauth://[^\\n]*\\n)+$' },
        uris: { type: 'array', minItems: 1, items: { type: 'string', pattern: '^otpauth://[^\\n]*$' } },
      },
      required: ['password', 'export'],
      validRequired: ['plaintext', 'uris'],
      errors: [
        'keys.ErrUnsupportedVersion',
        'keys.ErrIncorrectPassword',
        'pwhash.ErrTooExpensive',
        'pwhash.ErrInvalidParams',
      ],
      flags,
    }),
  );
  return S.fileSchema({
    name: NAME,
    title: 'Ente Auth vectors',
    description: 'authKey envelope, token entities (tag MESSAGE or FINAL) and the encrypted export file v1.',
    algorithm: ALGORITHM,
    groups: [keyGroup, entityGroup, exportGroup],
    flags,
  });
}

module.exports = { NAME, SUMMARY, build, schema };
