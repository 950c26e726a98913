'use strict';
// srp.json: SRP-6a as Ente's clients sign in with a password, computed with
// fast-srp-hap (the library Ente's web client uses), 4096-bit group, SHA-256,
// non-HAP proofs: M1 = H(A | B | S), M2 = H(A | M1 | K).
const { SRP, SrpClient, SrpServer } = require('fast-srp-hap');
const C = require('./common');
const P = require('./prims');
const S = require('./schema');
const { KA } = require('./known');

const NAME = 'srp';
const SUMMARY = 'SRP-6a sign-in (fast-srp-hap, 4096-bit group, SHA-256): verifier, A, B, M1, M2 from the login key; bad B and wrong M2';
const ALGORITHM = 'SRP-6a (RFC 5054 4096-bit group, SHA-256, Ente proofs)';
const NOTES = {
  KnownAnswerKek: "The KEK is the Argon2id known answer from Ente's repository (see pwhash.json).",
  LeadingZeroA: "A's first byte is zero: A is left-padded to 512 bytes everywhere (u, M1, M2, the wire).",
  LeadingZeroB: "B's first byte is zero: B is left-padded to 512 bytes everywhere (u, M1, the wire).",
  OutOfRange: 'B is not in 1..N-1 (B mod N = 0, or B >= N): SRP-6a requires the client to abort; fast-srp-hap throws.',
  StrictLength:
    "B is not 512 bytes. fast-srp-hap accepts any length, but Ente's server always sends B padded to 512 bytes, and M1 hashes B as sent: the SDK refuses other lengths.",
  WrongProof: "M2 is not the server's proof for this exchange: the client must not trust the server's answer.",
};
const ERRORS = ['keys.ErrInvalidSRPB', 'keys.ErrSRPServerProof'];
const params = SRP.params[4096];
const N_BYTES = 512;

const buf = (u8) => Buffer.from(u8);
const u8 = (b) => new Uint8Array(b);

// A version 4 UUID from 16 bytes, as Ente's clients draw srpUserID.
function uuid(b) {
  const x = Uint8Array.from(b);
  x[6] = (x[6] & 0x0f) | 0x40;
  x[8] = (x[8] & 0x3f) | 0x80;
  const h = C.hex(x);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function client1(salt, userID, loginKey, a) {
  return new SrpClient(params, buf(salt), buf(C.utf8(userID)), buf(loginKey), buf(a), false);
}

// One full exchange from the given secrets.
function exchange(kek, userID, salt, a, b) {
  const { loginKey } = P.loginSubkey(kek);
  const I = buf(C.utf8(userID));
  const verifier = SRP.computeVerifier(params, buf(salt), I, buf(loginKey));
  const client = new SrpClient(params, buf(salt), I, buf(loginKey), buf(a), false);
  const server = new SrpServer(params, verifier, buf(b));
  const A = client.computeA();
  const B = server.computeB();
  C.assertEq(A.length, N_BYTES, 'A length');
  C.assertEq(B.length, N_BYTES, 'B length');
  server.setA(A);
  client.setB(B);
  const M1 = client.computeM1();
  server.checkM1(M1); // throws if the roles disagree
  const M2 = server.computeM2();
  client.checkM2(M2);
  C.assertBytes(u8(client.computeK()), u8(server.computeK()), 'K');
  return { loginKey, verifier: u8(verifier), A: u8(A), B: u8(B), M1: u8(M1), M2: u8(M2) };
}

function build() {
  const f = new C.VectorFile({
    name: NAME,
    algorithm: ALGORITHM,
    header: [
      'Computed with fast-srp-hap 2.0.4 (SRP.params["4096"], SrpClient with hap = false), the library of Ente\'s web client.',
      'identity I = the UTF-8 bytes of srpUserID; password P = loginKey (kdf.json: the first 16 bytes of the "loginctx" subkey of the KEK); salt = srpSalt.',
      'x = H(salt | H(I | ":" | P)); verifier = g^x mod N; k = H(N | PAD(g)); u = H(PAD(A) | PAD(B)); A = g^a, B = k*v + g^b (mod N).',
      'M1 = H(PAD(A) | PAD(B) | PAD(S)), M2 = H(PAD(A) | M1 | K), K = H(PAD(S)): not RFC 2945\'s M1. A, B, verifier: 512 bytes big-endian.',
      'a and b are the client\'s and the server\'s secret exponents (32 bytes, big-endian), given so that every value is reproducible.',
    ],
    notes: NOTES,
    errors: ERRORS,
  });
  const g = f.group({ type: 'SrpTest', group: 'RFC 5054 4096', hash: 'SHA-256', nLength: N_BYTES });
  const add = (comment, flags, kek, label, opts = {}) => {
    const userID = uuid(C.det(`srp/${label}/userID`, 16));
    const salt = C.det(`srp/${label}/salt`, 16);
    let a = C.det(`srp/${label}/a`, 32);
    let b = C.det(`srp/${label}/b`, 32);
    // Search (deterministically) for exponents that give a leading zero
    // byte: A depends on a alone, B on b and the verifier.
    const { loginKey } = P.loginSubkey(kek);
    for (let i = 0; opts.zeroA && client1(salt, userID, loginKey, a).computeA()[0] !== 0; i++) {
      a = C.det(`srp/${label}/a/${i}`, 32);
    }
    if (opts.zeroB) {
      const v = SRP.computeVerifier(params, buf(salt), buf(C.utf8(userID)), buf(loginKey));
      for (let i = 0; new SrpServer(params, v, buf(b)).computeB()[0] !== 0; i++) b = C.det(`srp/${label}/b/${i}`, 32);
    }
    const x = exchange(kek, userID, salt, a, b);
    C.assert(!opts.zeroA || x.A[0] === 0, 'A has a leading zero');
    C.assert(!opts.zeroB || x.B[0] === 0, 'B has a leading zero');
    g.add({
      comment,
      flags,
      kek: C.b64(kek),
      loginKey: C.b64(x.loginKey),
      srpUserID: userID,
      srpSalt: C.b64(salt),
      verifier: C.b64(x.verifier),
      a: C.b64(a),
      A: C.b64(x.A),
      b: C.b64(b),
      B: C.b64(x.B),
      M1: C.b64(x.M1),
      M2: C.b64(x.M2),
      result: 'valid',
    });
    return { kek, userID, salt, a, x };
  };
  const base = add('KEK = Ente pwhash known answer', ['KnownAnswerKek'], C.unb64(KA.pwhash.key), 'ka');
  for (let i = 1; i <= 3; i++) add(`pseudorandom account #${i}`, [], C.det(`srp/kek/${i}`, 32), `r${i}`);
  add('A starts with a zero byte', ['LeadingZeroA'], C.det('srp/kek/za', 32), 'za', { zeroA: true });
  add('B starts with a zero byte', ['LeadingZeroB'], C.det('srp/kek/zb', 32), 'zb', { zeroB: true });

  // The client's side of bad answers, from the known-answer account.
  const n = u8(Buffer.from(params.N.toString(16).padStart(2 * N_BYTES, '0'), 'hex'));
  C.assertEq(n.length, N_BYTES, 'N length');
  const plusOne = (v) => {
    const out = Uint8Array.from(v);
    for (let i = out.length - 1; i >= 0; i--) if (++out[i] <= 0xff) break; else out[i] = 0;
    return out;
  };
  const client = () => {
    const I = buf(C.utf8(base.userID));
    return new SrpClient(params, buf(base.salt), I, buf(base.x.loginKey), buf(base.a), false);
  };
  const bad = f.group({ type: 'SrpBadBTest', group: 'RFC 5054 4096', hash: 'SHA-256', nLength: N_BYTES });
  const addBadB = (comment, flags, B) => {
    if (flags.includes('OutOfRange')) C.assertThrows(() => client().setB(buf(B)), `fast-srp-hap refuses ${comment}`);
    bad.add({
      comment,
      flags,
      kek: C.b64(base.kek),
      srpUserID: base.userID,
      srpSalt: C.b64(base.salt),
      a: C.b64(base.a),
      B: C.b64(B),
      result: 'invalid',
      error: 'keys.ErrInvalidSRPB',
    });
  };
  addBadB('B = 0', ['OutOfRange'], C.fill(N_BYTES, 0));
  addBadB('B = N', ['OutOfRange'], n);
  addBadB('B = N + 1', ['OutOfRange'], plusOne(n));
  addBadB('B = 2^4096 - 1', ['OutOfRange'], C.fill(N_BYTES, 0xff));
  addBadB('B of 511 bytes (the valid B without its first byte)', ['StrictLength'], base.x.B.slice(1));
  addBadB('B of 513 bytes (the valid B with a zero byte in front)', ['StrictLength'], C.concat(C.fill(1, 0), base.x.B));
  addBadB('B empty', ['StrictLength'], new Uint8Array(0));

  const badM2 = f.group({ type: 'SrpBadM2Test', group: 'RFC 5054 4096', hash: 'SHA-256', nLength: N_BYTES });
  const addBadM2 = (comment, M2) => {
    C.assertThrows(() => {
      const c = client();
      c.setB(buf(base.x.B));
      c.checkM2(buf(M2));
    }, `fast-srp-hap refuses ${comment}`);
    badM2.add({
      comment,
      flags: ['WrongProof'],
      kek: C.b64(base.kek),
      srpUserID: base.userID,
      srpSalt: C.b64(base.salt),
      a: C.b64(base.a),
      B: C.b64(base.x.B),
      M1: C.b64(base.x.M1),
      M2: C.b64(M2),
      result: 'invalid',
      error: 'keys.ErrSRPServerProof',
    });
  };
  addBadM2('M2 with its last bit flipped', C.flip(base.x.M2, 31));
  addBadM2('M2 with its first bit flipped', C.flip(base.x.M2, 0, 0x80));
  addBadM2('M1 sent back as M2', base.x.M1);
  addBadM2('M2 of 31 bytes (truncated)', base.x.M2.slice(0, 31));
  addBadM2('M2 of 33 bytes (a zero byte appended)', C.concat(base.x.M2, C.fill(1, 0)));
  return f;
}

function schema() {
  const flags = Object.keys(NOTES);
  const groupProps = { group: { const: 'RFC 5054 4096' }, hash: { const: 'SHA-256' }, nLength: { const: N_BYTES } };
  const groupReq = ['group', 'hash', 'nLength'];
  const common = { kek: S.b64Len(32), srpUserID: { type: 'string', minLength: 1 }, srpSalt: S.b64Len(16), a: S.b64Len(32) };
  const ok = S.testSchema({
    props: {
      ...common,
      loginKey: S.b64Len(16),
      verifier: S.b64Len(N_BYTES),
      A: S.b64Len(N_BYTES),
      b: S.b64Len(32),
      B: S.b64Len(N_BYTES),
      M1: S.b64Len(32),
      M2: S.b64Len(32),
    },
    required: ['kek', 'loginKey', 'srpUserID', 'srpSalt', 'verifier', 'a', 'A', 'b', 'B', 'M1', 'M2'],
    errors: [],
    flags,
  });
  const badB = S.testSchema({
    props: { ...common, B: S.b64Range(0, 2 * N_BYTES) },
    required: ['kek', 'srpUserID', 'srpSalt', 'a', 'B'],
    errors: ['keys.ErrInvalidSRPB'],
    flags,
  });
  const badM2 = S.testSchema({
    props: { ...common, B: S.b64Len(N_BYTES), M1: S.b64Len(32), M2: S.b64Range(0, 64) },
    required: ['kek', 'srpUserID', 'srpSalt', 'a', 'B', 'M1', 'M2'],
    errors: ['keys.ErrSRPServerProof'],
    flags,
  });
  return S.fileSchema({
    name: NAME,
    title: 'srp vectors',
    description: "SRP-6a as Ente's clients sign in with a password (fast-srp-hap, 4096-bit group, SHA-256).",
    algorithm: ALGORITHM,
    groups: [
      S.groupSchema('SrpTest', groupProps, groupReq, ok),
      S.groupSchema('SrpBadBTest', groupProps, groupReq, badB),
      S.groupSchema('SrpBadM2Test', groupProps, groupReq, badM2),
    ],
    flags,
  });
}

module.exports = { NAME, SUMMARY, build, schema };
