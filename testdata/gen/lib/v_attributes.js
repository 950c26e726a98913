'use strict';
const bip39 = require('bip39');
const C = require('./common');
const P = require('./prims');
const S = require('./schema');

const NAME = 'attributes';
const SUMMARY = 'key attributes JSON: unlock by password / recovery key, BIP-39 recovery key, malformed attributes';
const ALGORITHM = 'Ente key attributes: Argon2id KEK, secretbox key hierarchy, BIP-39 recovery key';

const NOTES = {
  KnownAnswer: 'BIP-39 of 32 zero bytes is 23 x "abandon" followed by "art".',
  RecoveryPhrase: 'The recovery key is given as the 24-word English BIP-39 phrase of its 32 bytes.',
  RecoveryHex: 'The recovery key is given as 64 lowercase hex characters (legacy input).',
  ExtraWhitespace: 'The input has leading/trailing whitespace or runs of spaces, tabs and newlines: trim and collapse first.',
  BadChecksum: 'Every word is in the list but the BIP-39 checksum does not match.',
  UnknownWord: 'A word is not in the English BIP-39 list (including a 4-letter abbreviation of a real word).',
  WrongWordCount: 'Not 24 words (including a valid 12-word BIP-39 phrase).',
  InvalidHex: 'Looks like the hex form but has the wrong length or a non-hex character.',
  EmptyInput: 'The input is empty.',
  WrongPassword: 'The password does not open encryptedKey.',
  WrongRecoveryKey: 'A well-formed recovery key that does not open masterKeyEncryptedWithRecoveryKey.',
  NoRecoveryFields:
    'The four recovery fields are absent (very old accounts): password unlock works; expected has no recoveryKey.',
  UnknownField: 'The attributes carry a field this SDK does not know: ignored.',
  NonBase64: 'A field holds characters outside the base64 alphabet.',
  WrongLength: 'A field is valid base64 of the wrong number of bytes.',
  MissingField: 'A required field is absent.',
  UnpaddedBase64: 'A field is base64 without its = padding.',
  UrlSafeBase64: 'A field uses the URL-safe alphabet (- and _) instead of + and /.',
  NonCanonicalBase64: 'A field has non-zero unused bits in its last base64 character (libsodium rejects it).',
  WhitespaceInBase64:
    "A field contains a newline or a space. libsodium rejects it; note Go's encoding/base64 silently skips \\r and \\n, even in Strict mode.",
  WrongJsonType: 'A field has the wrong JSON type (memLimit as a string).',
  MalformedOptionalField: 'An optional recovery field is present but malformed: present fields are always validated.',
  TooExpensiveParams: 'memLimit is above the default limits: refused before deriving.',
};
const ERRORS = ['keys.ErrIncorrectPassword', 'keys.ErrInvalidRecoveryKey', 'keys.ErrInvalidAttributes', 'pwhash.ErrTooExpensive'];

const FIELDS = [
  ['kekSalt', 16, true],
  ['encryptedKey', 48, true],
  ['keyDecryptionNonce', 24, true],
  ['publicKey', 32, true],
  ['encryptedSecretKey', 48, true],
  ['secretKeyDecryptionNonce', 24, true],
  ['memLimit', null, true],
  ['opsLimit', null, true],
  ['masterKeyEncryptedWithRecoveryKey', 48, false],
  ['masterKeyDecryptionNonce', 24, false],
  ['recoveryKeyEncryptedWithMasterKey', 48, false],
  ['recoveryKeyDecryptionNonce', 24, false],
];
const RECOVERY_FIELDS = FIELDS.filter((x) => !x[2]).map((x) => x[0]);

// ---- reference implementation (self-check only) ----------------------------
class RefError extends Error {
  constructor(name) {
    super(name);
    this.sentinel = name;
  }
}
function strictB64(s) {
  if (typeof s !== 'string') throw new RefError('keys.ErrInvalidAttributes');
  let b;
  try {
    b = C.unb64(s);
  } catch (e) {
    throw new RefError('keys.ErrInvalidAttributes');
  }
  if (C.b64(b) !== s) throw new RefError('keys.ErrInvalidAttributes');
  return b;
}
function refParse(obj) {
  const out = {};
  for (const [name, len, required] of FIELDS) {
    if (!(name in obj)) {
      if (required) throw new RefError('keys.ErrInvalidAttributes');
      continue;
    }
    const v = obj[name];
    if (len === null) {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new RefError('keys.ErrInvalidAttributes');
      out[name] = v;
    } else {
      const b = strictB64(v);
      if (b.length !== len) throw new RefError('keys.ErrInvalidAttributes');
      out[name] = b;
    }
  }
  const present = RECOVERY_FIELDS.filter((n) => n in out).length;
  if (present !== 0 && present !== RECOVERY_FIELDS.length) throw new RefError('keys.ErrInvalidAttributes');
  return out;
}
function refSecrets(a, masterKey) {
  const sk = P.secretboxOpen(a.encryptedSecretKey, a.secretKeyDecryptionNonce, masterKey);
  C.assert(sk !== null, 'secret key opens');
  C.assertBytes(C.sodium.crypto_scalarmult_base(sk), a.publicKey, 'public key matches');
  const r = { masterKey, secretKey: sk, publicKey: a.publicKey };
  if (a.recoveryKeyEncryptedWithMasterKey) {
    r.recoveryKey = P.secretboxOpen(a.recoveryKeyEncryptedWithMasterKey, a.recoveryKeyDecryptionNonce, masterKey);
    C.assert(r.recoveryKey !== null, 'recovery key opens');
  }
  return r;
}
function refUnlockPassword(obj, password) {
  const a = refParse(obj);
  const pe = P.paramsError(a.opsLimit, a.memLimit);
  if (pe) throw new RefError(pe);
  const kek = P.pwhash(C.utf8(password), a.kekSalt, a.opsLimit, a.memLimit);
  const mk = P.secretboxOpen(a.encryptedKey, a.keyDecryptionNonce, kek);
  if (mk === null) throw new RefError('keys.ErrIncorrectPassword');
  return { kek, loginKey: P.loginSubkey(kek).loginKey, ...refSecrets(a, mk) };
}
function refParseRecoveryKey(input) {
  const s = input.trim().split(/[ \t\r\n]+/).filter((w) => w.length > 0);
  if (s.length === 1 && /^[0-9a-f]{64}$/.test(s[0])) return C.unhex(s[0]);
  if (s.length !== 24) throw new RefError('keys.ErrInvalidRecoveryKey');
  const phrase = s.join(' ');
  if (!bip39.validateMnemonic(phrase)) throw new RefError('keys.ErrInvalidRecoveryKey');
  return C.unhex(bip39.mnemonicToEntropy(phrase));
}
function refUnlockRecovery(obj, input) {
  const a = refParse(obj);
  const rk = refParseRecoveryKey(input);
  if (!a.masterKeyEncryptedWithRecoveryKey) throw new RefError('keys.ErrInvalidRecoveryKey');
  const mk = P.secretboxOpen(a.masterKeyEncryptedWithRecoveryKey, a.masterKeyDecryptionNonce, rk);
  if (mk === null) throw new RefError('keys.ErrInvalidRecoveryKey');
  return refSecrets(a, mk);
}
function outcome(fn) {
  try {
    return { value: fn() };
  } catch (e) {
    if (e instanceof RefError) return { error: e.sentinel };
    throw e;
  }
}

// ---- account construction ----------------------------------------------------
function makeAccount(label, password, memLimit, opsLimit, withRecovery) {
  const d = (n, len) => C.det(`attributes/${label}/${n}`, len);
  const kekSalt = d('kekSalt', 16);
  const masterKey = d('masterKey', 32);
  const recoveryKey = d('recoveryKey', 32);
  const kp = P.keypairFromSecret(d('secretKey', 32));
  const kek = P.pwhash(C.utf8(password), kekSalt, opsLimit, memLimit);
  const n1 = d('keyDecryptionNonce', 24);
  const n2 = d('secretKeyDecryptionNonce', 24);
  const attrs = {
    kekSalt: C.b64(kekSalt),
    encryptedKey: C.b64(P.secretboxSeal(masterKey, n1, kek)),
    keyDecryptionNonce: C.b64(n1),
    publicKey: C.b64(kp.publicKey),
    encryptedSecretKey: C.b64(P.secretboxSeal(kp.secretKey, n2, masterKey)),
    secretKeyDecryptionNonce: C.b64(n2),
    memLimit,
    opsLimit,
  };
  if (withRecovery) {
    const n3 = d('masterKeyDecryptionNonce', 24);
    const n4 = d('recoveryKeyDecryptionNonce', 24);
    attrs.masterKeyEncryptedWithRecoveryKey = C.b64(P.secretboxSeal(masterKey, n3, recoveryKey));
    attrs.masterKeyDecryptionNonce = C.b64(n3);
    attrs.recoveryKeyEncryptedWithMasterKey = C.b64(P.secretboxSeal(recoveryKey, n4, masterKey));
    attrs.recoveryKeyDecryptionNonce = C.b64(n4);
  }
  const expected = {
    kek: C.b64(kek),
    loginKey: C.b64(P.loginSubkey(kek).loginKey),
    masterKey: C.b64(masterKey),
    secretKey: C.b64(kp.secretKey),
    publicKey: C.b64(kp.publicKey),
  };
  if (withRecovery) {
    expected.recoveryKey = C.b64(recoveryKey);
    expected.recoveryKeyHex = C.hex(recoveryKey);
    expected.recoveryPhrase = bip39.entropyToMnemonic(C.hex(recoveryKey));
  }
  return { password, attrs, expected, recoveryKey };
}

function checkExpected(got, expected, what) {
  for (const k of ['kek', 'loginKey', 'masterKey', 'secretKey', 'publicKey', 'recoveryKey']) {
    if (got[k] === undefined) continue;
    C.assertEq(C.b64(got[k]), expected[k], `${what}: ${k}`);
  }
  C.assertEq(got.recoveryKey === undefined, expected.recoveryKey === undefined, `${what}: recoveryKey presence`);
}

function build() {
  const f = new C.VectorFile({
    name: NAME,
    algorithm: ALGORITHM,
    header: [
      'attributes: the key-attributes JSON object exactly as on the wire (PUT /users/attributes); feed it to your JSON',
      'decoder as raw bytes (e.g. json.RawMessage). Cheap Argon2id params are used so the vectors run fast.',
      'PasswordUnlockTest: KEK = Argon2id(password, kekSalt, opsLimit, memLimit); masterKey = open(encryptedKey);',
      'secretKey = open(encryptedSecretKey) under masterKey; recoveryKey = open(recoveryKeyEncryptedWithMasterKey).',
      'RecoveryUnlockTest: recoveryKey = ParseRecoveryKey(input); masterKey = open(masterKeyEncryptedWithRecoveryKey).',
      'BadAttributesTest: decoding the attributes and unlocking them with the (correct) password must fail with error;',
      'the error may surface while decoding or while unlocking.',
    ],
    notes: NOTES,
    errors: ERRORS,
  });

  // ---- recovery key encodings ----
  const A = makeAccount('A', 'Ente test password 1', P.MIB, 2, true);
  const B = makeAccount('B', 'old account', 64 * P.KIB, 3, false);
  const other = makeAccount('other', 'other', 64 * P.KIB, 1, true);

  const ge = f.group({ type: 'RecoveryKeyEncodingTest', wordlist: 'english', words: 24 });
  const addEnc = (comment, flags, key, want) => {
    const phrase = bip39.entropyToMnemonic(C.hex(key));
    if (want) C.assertEq(phrase, want, `BIP-39 known answer: ${comment}`);
    C.assertEq(phrase.split(' ').length, 24, 'phrase length');
    C.assertBytes(refParseRecoveryKey(phrase), key, `phrase round trip: ${comment}`);
    C.assertBytes(refParseRecoveryKey(C.hex(key)), key, `hex round trip: ${comment}`);
    ge.add({ comment, flags, recoveryKey: C.b64(key), recoveryKeyHex: C.hex(key), recoveryPhrase: phrase, result: 'valid' });
  };
  addEnc('32 zero bytes', ['KnownAnswer'], C.fill(32, 0), `${'abandon '.repeat(23)}art`);
  addEnc('32 0xff bytes', [], C.fill(32, 0xff), `${'zoo '.repeat(23)}vote`);
  addEnc('bytes 00..1f', [], C.range(32));
  addEnc("account A's recovery key", [], A.recoveryKey);
  addEnc('pseudorandom key', [], C.det('attributes/enc/1', 32));

  // ---- recovery key parsing ----
  const gp = f.group({ type: 'RecoveryKeyParseTest', wordlist: 'english', words: 24 });
  const addParse = (comment, flags, input) => {
    const r = outcome(() => refParseRecoveryKey(input));
    const t = { comment, flags, input };
    if (r.value) t.recoveryKey = C.b64(r.value);
    t.result = r.error ? 'invalid' : 'valid';
    if (r.error) t.error = r.error;
    gp.add(t);
    return r;
  };
  const phraseA = A.expected.recoveryPhrase;
  const wordsA = phraseA.split(' ');
  const wl = bip39.wordlists.english;
  C.assertEq(addParse('24-word phrase', ['RecoveryPhrase'], phraseA).error, undefined, 'phrase parses');
  addParse('64 hex characters', ['RecoveryHex'], A.expected.recoveryKeyHex);
  addParse(
    'phrase with surrounding and repeated whitespace',
    ['RecoveryPhrase', 'ExtraWhitespace'],
    `  ${wordsA.slice(0, 8).join('  ')}\n${wordsA.slice(8, 16).join(' \t')}\r\n${wordsA.slice(16).join('   ')}\n`,
  );
  addParse('hex with surrounding whitespace', ['RecoveryHex', 'ExtraWhitespace'], ` \t${A.expected.recoveryKeyHex}\n`);
  {
    let bad = null;
    for (const w of wl) {
      if (w === wordsA[23]) continue;
      const cand = [...wordsA.slice(0, 23), w].join(' ');
      if (!bip39.validateMnemonic(cand)) {
        bad = cand;
        break;
      }
    }
    C.assert(bad !== null, 'found a bad-checksum phrase');
    C.assertEq(addParse('last word changed: bad checksum', ['RecoveryPhrase', 'BadChecksum'], bad).error, 'keys.ErrInvalidRecoveryKey', 'bad checksum');
  }
  {
    const w = [...wordsA];
    w[5] = 'notaword';
    addParse('unknown word', ['RecoveryPhrase', 'UnknownWord'], w.join(' '));
    const w2 = [...wordsA];
    C.assert(wl.includes(w2[3]) && w2[3].length > 4, 'word long enough to abbreviate');
    w2[3] = w2[3].slice(0, 4);
    C.assert(!wl.includes(w2[3]), 'abbreviation is not itself a word');
    addParse('a word abbreviated to its first 4 letters', ['RecoveryPhrase', 'UnknownWord'], w2.join(' '));
  }
  addParse('23 words', ['RecoveryPhrase', 'WrongWordCount'], wordsA.slice(0, 23).join(' '));
  addParse('25 words', ['RecoveryPhrase', 'WrongWordCount'], [...wordsA, wordsA[0]].join(' '));
  {
    const p12 = bip39.entropyToMnemonic(C.hex(C.det('attributes/parse/12words', 16)));
    C.assert(bip39.validateMnemonic(p12), '12-word phrase is valid BIP-39');
    addParse('valid 12-word BIP-39 phrase (128 bits)', ['RecoveryPhrase', 'WrongWordCount'], p12);
  }
  addParse('63 hex characters', ['InvalidHex'], A.expected.recoveryKeyHex.slice(0, 63));
  addParse('65 hex characters', ['InvalidHex'], `${A.expected.recoveryKeyHex}0`);
  addParse('64 characters with a non-hex "g"', ['InvalidHex'], `g${A.expected.recoveryKeyHex.slice(1)}`);
  addParse('empty string', ['EmptyInput'], '');
  addParse('only whitespace', ['EmptyInput', 'ExtraWhitespace'], ' \n\t ');

  // ---- unlock with password ----
  const addPwGroup = (acct, extra, flags) => {
    const attrs = { ...acct.attrs, ...extra };
    const g = f.group({ type: 'PasswordUnlockTest', attributes: attrs, expected: acct.expected });
    return (comment, tflags, password) => {
      const r = outcome(() => refUnlockPassword(attrs, password));
      if (r.value) checkExpected(r.value, acct.expected, comment);
      const t = { comment, flags: [...flags, ...tflags], password, result: r.error ? 'invalid' : 'valid' };
      if (r.error) t.error = r.error;
      g.add(t);
      return r;
    };
  };
  const pwA = addPwGroup(A, {}, []);
  C.assertEq(pwA('correct password', [], A.password).error, undefined, 'A unlocks');
  C.assertEq(pwA('wrong password', ['WrongPassword'], 'Ente test password 2').error, 'keys.ErrIncorrectPassword', 'wrong pw');
  pwA('correct password with a trailing space', ['WrongPassword'], `${A.password} `);
  pwA('empty password', ['WrongPassword'], '');
  const pwB = addPwGroup(B, { futureField: 'ignored', anotherOne: { nested: [1, 2, 3] } }, ['NoRecoveryFields', 'UnknownField']);
  C.assertEq(pwB('old account without recovery fields, with unknown fields', [], B.password).error, undefined, 'B unlocks');
  pwB('old account, wrong password', ['WrongPassword'], 'old account!');

  // ---- unlock with recovery key ----
  const gr = f.group({ type: 'RecoveryUnlockTest', attributes: A.attrs, expected: A.expected });
  const addRec = (comment, flags, input) => {
    const r = outcome(() => refUnlockRecovery(A.attrs, input));
    if (r.value) checkExpected(r.value, A.expected, comment);
    const t = { comment, flags, recoveryKey: input, result: r.error ? 'invalid' : 'valid' };
    if (r.error) t.error = r.error;
    gr.add(t);
    return r;
  };
  C.assertEq(addRec('recovery phrase', ['RecoveryPhrase'], A.expected.recoveryPhrase).error, undefined, 'recovery phrase unlocks');
  addRec('recovery key as hex', ['RecoveryHex'], A.expected.recoveryKeyHex);
  addRec('recovery phrase with extra whitespace', ['RecoveryPhrase', 'ExtraWhitespace'], ` ${A.expected.recoveryPhrase.replace(/ /g, '\n')} `);
  C.assertEq(
    addRec("another account's recovery phrase", ['RecoveryPhrase', 'WrongRecoveryKey'], other.expected.recoveryPhrase).error,
    'keys.ErrInvalidRecoveryKey',
    'wrong recovery key',
  );
  addRec("another account's recovery key as hex", ['RecoveryHex', 'WrongRecoveryKey'], other.expected.recoveryKeyHex);
  {
    const bad = [...wordsA.slice(0, 23), wordsA[23] === 'zoo' ? 'abandon' : 'zoo'].join(' ');
    C.assert(!bip39.validateMnemonic(bad), 'bad checksum phrase is invalid');
    addRec('recovery phrase with a bad checksum', ['RecoveryPhrase', 'BadChecksum'], bad);
  }

  // ---- bad attributes ----
  const gb = f.group({ type: 'BadAttributesTest', password: A.password });
  const addBad = (comment, flags, field, mutate, want = 'keys.ErrInvalidAttributes') => {
    const attrs = JSON.parse(JSON.stringify(A.attrs));
    mutate(attrs);
    const r = outcome(() => refUnlockPassword(attrs, A.password));
    C.assertEq(r.error, want, `bad attributes: ${comment}`);
    if (typeof attrs[field] === 'string' && want === 'keys.ErrInvalidAttributes' && flags.some((x) => /Base64/.test(x))) {
      C.assertThrows(() => {
        const b = C.unb64(attrs[field]);
        if (C.b64(b) !== attrs[field]) throw new Error('non-canonical');
      }, `libsodium rejects ${comment}`);
    }
    gb.add({ comment, flags, field, attributes: attrs, result: 'invalid', error: want });
  };
  addBad('kekSalt is not base64', ['NonBase64'], 'kekSalt', (a) => {
    a.kekSalt = '!!!!notbase64!!!!!!!!!==';
  });
  addBad('encryptedKey has 47 bytes', ['WrongLength'], 'encryptedKey', (a) => {
    a.encryptedKey = C.b64(C.unb64(a.encryptedKey).slice(0, 47));
  });
  addBad('encryptedKey has 49 bytes', ['WrongLength'], 'encryptedKey', (a) => {
    a.encryptedKey = C.b64(C.concat(C.unb64(a.encryptedKey), new Uint8Array([0])));
  });
  addBad('kekSalt has 15 bytes', ['WrongLength'], 'kekSalt', (a) => {
    a.kekSalt = C.b64(C.unb64(a.kekSalt).slice(0, 15));
  });
  addBad('keyDecryptionNonce has 23 bytes', ['WrongLength'], 'keyDecryptionNonce', (a) => {
    a.keyDecryptionNonce = C.b64(C.unb64(a.keyDecryptionNonce).slice(0, 23));
  });
  addBad('publicKey has 31 bytes', ['WrongLength'], 'publicKey', (a) => {
    a.publicKey = C.b64(C.unb64(a.publicKey).slice(0, 31));
  });
  addBad('encryptedSecretKey is empty', ['WrongLength'], 'encryptedSecretKey', (a) => {
    a.encryptedSecretKey = '';
  });
  for (const [name, , required] of FIELDS) {
    if (!required) continue;
    addBad(`${name} is missing`, ['MissingField'], name, (a) => {
      delete a[name];
    });
  }
  addBad('kekSalt without padding', ['UnpaddedBase64'], 'kekSalt', (a) => {
    C.assert(a.kekSalt.endsWith('=='), 'kekSalt padded');
    a.kekSalt = a.kekSalt.slice(0, -2);
  });
  addBad('publicKey without padding', ['UnpaddedBase64'], 'publicKey', (a) => {
    C.assert(a.publicKey.endsWith('=') && !a.publicKey.endsWith('=='), 'publicKey padded once');
    a.publicKey = a.publicKey.slice(0, -1);
  });
  {
    const field = FIELDS.map((x) => x[0]).find((n) => typeof A.attrs[n] === 'string' && /[+/]/.test(A.attrs[n]));
    C.assert(field, 'a field with + or /');
    addBad(`${field} in URL-safe base64`, ['UrlSafeBase64'], field, (a) => {
      a[field] = a[field].replace(/\+/g, '-').replace(/\//g, '_');
    });
  }
  const bumpLast = (s, padLen) => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const i = s.length - padLen - 1;
    const c = alphabet[alphabet.indexOf(s[i]) + 1];
    return s.slice(0, i) + c + s.slice(i + 1);
  };
  addBad('kekSalt with non-zero unused bits', ['NonCanonicalBase64'], 'kekSalt', (a) => {
    a.kekSalt = bumpLast(a.kekSalt, 2);
  });
  addBad('publicKey with non-zero unused bits', ['NonCanonicalBase64'], 'publicKey', (a) => {
    a.publicKey = bumpLast(a.publicKey, 1);
  });
  addBad('encryptedKey with a newline inside', ['WhitespaceInBase64'], 'encryptedKey', (a) => {
    a.encryptedKey = `${a.encryptedKey.slice(0, 32)}\n${a.encryptedKey.slice(32)}`;
  });
  addBad('encryptedKey with a trailing CRLF', ['WhitespaceInBase64'], 'encryptedKey', (a) => {
    a.encryptedKey = `${a.encryptedKey}\r\n`;
  });
  addBad('kekSalt with a leading space', ['WhitespaceInBase64'], 'kekSalt', (a) => {
    a.kekSalt = ` ${a.kekSalt}`;
  });
  addBad('memLimit is a string', ['WrongJsonType'], 'memLimit', (a) => {
    a.memLimit = String(a.memLimit);
  });
  addBad('masterKeyEncryptedWithRecoveryKey is not base64', ['MalformedOptionalField', 'NonBase64'], 'masterKeyEncryptedWithRecoveryKey', (a) => {
    a.masterKeyEncryptedWithRecoveryKey = `*${a.masterKeyEncryptedWithRecoveryKey.slice(1)}`;
  });
  addBad('recoveryKeyDecryptionNonce has 16 bytes', ['MalformedOptionalField', 'WrongLength'], 'recoveryKeyDecryptionNonce', (a) => {
    a.recoveryKeyDecryptionNonce = C.b64(C.unb64(a.recoveryKeyDecryptionNonce).slice(0, 16));
  });
  addBad(
    'memLimit 2 GiB',
    ['TooExpensiveParams'],
    'memLimit',
    (a) => {
      a.memLimit = 2 * P.GIB;
    },
    'pwhash.ErrTooExpensive',
  );
  return f;
}

function schema() {
  const flags = Object.keys(NOTES);
  const attrProps = {};
  for (const [name, len] of FIELDS) attrProps[name] = len === null ? { type: 'integer', minimum: 1 } : S.b64Len(len);
  const attributes = {
    type: 'object',
    required: FIELDS.filter((x) => x[2]).map((x) => x[0]),
    properties: attrProps,
    dependentRequired: Object.fromEntries(RECOVERY_FIELDS.map((n) => [n, RECOVERY_FIELDS.filter((m) => m !== n)])),
  };
  const expected = {
    type: 'object',
    additionalProperties: false,
    required: ['kek', 'loginKey', 'masterKey', 'secretKey', 'publicKey'],
    properties: {
      kek: S.b64Len(32),
      loginKey: S.b64Len(16),
      masterKey: S.b64Len(32),
      secretKey: S.b64Len(32),
      publicKey: S.b64Len(32),
      recoveryKey: S.b64Len(32),
      recoveryKeyHex: S.HEX(32),
      recoveryPhrase: { type: 'string', pattern: '^[a-z]+( [a-z]+){23}$' },
    },
    dependentRequired: { recoveryKey: ['recoveryKeyHex', 'recoveryPhrase'] },
  };
  const enc = S.groupSchema(
    'RecoveryKeyEncodingTest',
    { wordlist: { const: 'english' }, words: { const: 24 } },
    ['wordlist', 'words'],
    S.testSchema({
      props: {
        recoveryKey: S.b64Len(32),
        recoveryKeyHex: S.HEX(32),
        recoveryPhrase: { type: 'string', pattern: '^[a-z]+( [a-z]+){23}$' },
      },
      required: ['recoveryKey', 'recoveryKeyHex', 'recoveryPhrase'],
      errors: [],
      flags,
    }),
  );
  const parse = S.groupSchema(
    'RecoveryKeyParseTest',
    { wordlist: { const: 'english' }, words: { const: 24 } },
    ['wordlist', 'words'],
    S.testSchema({
      props: { input: { type: 'string' }, recoveryKey: S.b64Len(32) },
      required: ['input'],
      validRequired: ['recoveryKey'],
      errors: ['keys.ErrInvalidRecoveryKey'],
      flags,
    }),
  );
  const pw = S.groupSchema(
    'PasswordUnlockTest',
    { attributes, expected },
    ['attributes', 'expected'],
    S.testSchema({
      props: { password: { type: 'string' } },
      required: ['password'],
      errors: ['keys.ErrIncorrectPassword'],
      flags,
    }),
  );
  const rec = S.groupSchema(
    'RecoveryUnlockTest',
    { attributes, expected: { ...expected, required: [...expected.required, 'recoveryKey'] } },
    ['attributes', 'expected'],
    S.testSchema({
      props: { recoveryKey: { type: 'string', description: 'input to ParseRecoveryKey: phrase or hex' } },
      required: ['recoveryKey'],
      errors: ['keys.ErrInvalidRecoveryKey'],
      flags,
    }),
  );
  const badTest = S.testSchema({
    props: {
      field: { enum: FIELDS.map((x) => x[0]) },
      attributes: { type: 'object', description: 'deliberately malformed: not checked against the attributes schema' },
    },
    required: ['field', 'attributes'],
    errors: ['keys.ErrInvalidAttributes', 'pwhash.ErrTooExpensive'],
    flags,
  });
  badTest.properties.result = { const: 'invalid' };
  const bad = S.groupSchema('BadAttributesTest', { password: { type: 'string' } }, ['password'], badTest);
  return S.fileSchema({
    name: NAME,
    title: 'key attributes vectors',
    description: 'Ente key attributes: unlock with password or recovery key, recovery key encodings, malformed attributes.',
    algorithm: ALGORITHM,
    groups: [enc, parse, pw, rec, bad],
    flags,
  });
}

module.exports = { NAME, SUMMARY, build, schema };
