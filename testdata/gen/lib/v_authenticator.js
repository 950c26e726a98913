'use strict';
const C = require('./common');
const P = require('./prims');
const S = require('./schema');

const NAME = 'authenticator';
const SUMMARY = 'Ente Auth: authKey envelope, token entities (string or legacy rawData object; JSON.stringify encoding), export file v1';
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
  LegacyRawDataObject:
    'The plaintext is the legacy JSON object {"rawData": URI, "display": …} that Ente Auth mobile still reads (when the plaintext is not a JSON string); uri is rawData, display is not part of it.',
  MalformedPlaintext:
    'The entity authenticates, but its plaintext is neither a JSON string nor an object whose rawData is a non-empty string.',
  JSStringEscape:
    'The input holds a character JSON.stringify escapes: " or \\ (backslash-escaped), \\b \\f \\n \\r \\t by name, any other code point below U+0020 as \\u00xx (lowercase hex).',
  JSStringRaw:
    'The input holds a character JSON.stringify writes as it is, though some encoders escape it: <, >, &, \', /, DEL, C1 controls, U+2028, U+2029, U+FEFF, noncharacters, UTF-8 length boundaries.',
  AstralCharacter: 'The input holds a character above U+FFFF (4 bytes of UTF-8), which JSON.stringify writes as it is.',
  LineBreakURI:
    'The input holds a line feed or carriage return: SealAuthEntity refuses it (ErrInvalidURI: an export holds one URI per line); json is still what JSON.stringify writes.',
  EmptyURI: 'The input is empty: SealAuthEntity refuses it (ErrInvalidURI); json is still what JSON.stringify writes.',
};
const ERRORS = [
  'secretbox.ErrOpen',
  'stream.ErrOpen',
  'stream.ErrTruncated',
  'stream.ErrUnexpectedTag',
  'keys.ErrUnsupportedVersion',
  'keys.ErrIncorrectPassword',
  'keys.ErrInvalidEnvelope',
  'keys.ErrInvalidURI',
  'pwhash.ErrTooExpensive',
  'pwhash.ErrInvalidParams',
];
// Reference entity reader, after decryption: Ente Auth mobile's code store
// takes a JSON string, or else an object whose rawData is the URI.
const entityURI = (plaintext) => {
  const v = JSON.parse(Buffer.from(plaintext).toString('utf8'));
  if (typeof v === 'string') return { uri: v };
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && typeof v.rawData === 'string' && v.rawData !== '') {
    return { uri: v.rawData };
  }
  return { error: 'keys.ErrInvalidEnvelope' };
};
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
      'plaintext is a JSON-encoded string (quotes included), uri being its decoded value; or the legacy object',
      '{"rawData": uri, "display": …} (LegacyRawDataObject), uri being rawData.',
      'AuthEntityEncodingTest: json = JSON.stringify(uri), the plaintext SealAuthEntity must write for uri (as UTF-8),',
      'byte for byte; invalid tests are inputs SealAuthEntity refuses, with json still given.',
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
    let r = AUTH_READER(ct, header, key);
    if (!r.error) {
      C.assertBytes(r.msg, plaintext, `entity plaintext: ${comment}`);
      r = { ...r, ...entityURI(r.msg) };
    }
    C.assertEq(r.error || null, error || null, `entity outcome: ${comment}`);
    const t = { comment, flags, encryptedData: C.b64(ct), header: C.b64(header) };
    if (!error) {
      C.assertEq(r.tag, tag, `entity tag: ${comment}`);
      t.tag = tag;
      t.plaintext = C.b64(plaintext);
      t.uri = r.uri;
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
  const ehs = [0, 1, 2, 3, 4, 5, 6, 7, 8].map((i) => C.det(`auth/entity/header/${i}`, 24));
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
  // The legacy object shape: what Ente Auth mobile falls back to when the
  // plaintext is not a string (its display member is the code's presentation).
  const rawObject = (obj, h, tag) => {
    const msg = C.utf8(JSON.stringify(obj));
    return { ct: P.encryptMessages(authKey, h, [{ msg, tag }]), header: h, plaintext: msg, tag };
  };
  const display = { pinned: true, trashed: false, tags: ['work'], note: '' };
  addEntity('legacy {"rawData", "display"} object, tag MESSAGE', ['LegacyMessageTag', 'LegacyRawDataObject'],
    rawObject({ rawData: uris[1], display }, eh(5), M));
  addEntity('legacy {"rawData"} object without display, tag FINAL', ['FinalTag', 'LegacyRawDataObject', 'NonAsciiUri'],
    rawObject({ rawData: uris[2] }, eh(6), F));
  addEntity('object without rawData', ['LegacyRawDataObject', 'MalformedPlaintext'], {
    ...rawObject({ display }, eh(7), F),
    error: 'keys.ErrInvalidEnvelope',
  });
  addEntity('object whose rawData is empty', ['LegacyRawDataObject', 'MalformedPlaintext'], {
    ...rawObject({ rawData: '', display }, eh(8), F),
    error: 'keys.ErrInvalidEnvelope',
  });

  // ---- the plaintext's JSON encoding (JSON.stringify) ----
  const gj = f.group({ type: 'AuthEntityEncodingTest' });
  const addEncoding = (comment, flags, uri) => {
    const json = JSON.stringify(uri);
    C.assertEq(JSON.parse(json), uri, `JSON.stringify round trip: ${comment}`);
    const t = { comment, flags, uri, json };
    if (uri === '' || /[\r\n]/.test(uri)) {
      t.result = 'invalid';
      t.error = 'keys.ErrInvalidURI';
    } else {
      t.result = 'valid';
    }
    gj.add(t);
  };
  // Every code point below U+0020, the characters JSON.stringify escapes by
  // name, and one on each side of every boundary where encoders differ or
  // UTF-8 changes length (lone surrogates cannot be UTF-8, so none here).
  const points = [...C.range(0x20), 0x22, 0x5c, 0x20, 0x27, 0x2f, 0x3c, 0x3e, 0x26, 0x7e, 0x7f, 0x80, 0x85, 0x9f,
    0xa0, 0xad, 0xff, 0x100, 0x7ff, 0x800, 0xfff, 0x1000, 0x2027, 0x2028, 0x2029, 0x202a, 0xd7ff, 0xe000, 0xfdd0,
    0xfeff, 0xfffd, 0xfffe, 0xffff, 0x10000, 0x1f600, 0xe0001, 0xfffff, 0x100000, 0x10fffd, 0x10ffff];
  for (const cp of points) {
    const name = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
    const ch = String.fromCodePoint(cp);
    let flags;
    if (cp === 0x0a || cp === 0x0d) flags = ['JSStringEscape', 'LineBreakURI'];
    else if (cp < 0x20 || ch === '"' || ch === '\\') flags = ['JSStringEscape'];
    else if (cp > 0xffff) flags = ['AstralCharacter'];
    else flags = ['JSStringRaw'];
    addEncoding(`${name} between two letters`, flags, `x${ch}y`);
  }
  addEncoding('an otpauth URI with <, >, &, U+2028 and U+2029', ['JSStringRaw'],
    'otpauth://totp/A<B>&C:d?secret=JBSWY3DP&issuer=A\u2028B\u2029C');
  addEncoding('every control character but LF and CR, in a row', ['JSStringEscape'],
    String.fromCodePoint(...C.range(0x20).filter((c) => c !== 0x0a && c !== 0x0d)));
  addEncoding('U+FEFF first, an astral character last', ['JSStringRaw', 'AstralCharacter'], '\ufeffotpauth://totp/a?secret=B&issuer=\u{1F510}');
  addEncoding('empty', ['EmptyURI'], '');

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
    errors: ['stream.ErrOpen', 'stream.ErrTruncated', 'stream.ErrUnexpectedTag', 'keys.ErrInvalidEnvelope'],
    flags,
  });
  const entityGroup = S.groupSchema('AuthEntityTest', { authKey: S.b64Len(32) }, ['authKey'], entityTest);
  const encodingGroup = S.groupSchema(
    'AuthEntityEncodingTest',
    {},
    [],
    S.testSchema({
      props: { uri: { type: 'string' }, json: { type: 'string', pattern: '^"[\\s\\S]*"$' } },
      required: ['uri', 'json'],
      errors: ['keys.ErrInvalidURI'],
      flags,
    }),
  );
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
    description:
      'authKey envelope, token entities (tag MESSAGE or FINAL; a JSON string or the legacy rawData object), the JSON.stringify encoding of their plaintext, and the encrypted export file v1.',
    algorithm: ALGORITHM,
    groups: [keyGroup, entityGroup, encodingGroup, exportGroup],
    flags,
  });
}

module.exports = { NAME, SUMMARY, build, schema };
