'use strict';
// Thin wrappers over libsodium.js primitives, deterministic constructions of the
// randomised ones, and small reference readers used to self-check every vector.

const { sodium, concat, assert } = require('./common');

const KIB = 1024;
const MIB = 1024 * KIB;
const GIB = 1024 * MIB;

const SECRETBOX_KEY = 32;
const SECRETBOX_NONCE = 24;
const SECRETBOX_MAC = 16;
const BOX_PK = 32;
const BOX_SK = 32;
const SEAL_OVERHEAD = 48;
const SS_KEY = 32;
const SS_HEADER = 24;
const SS_ABYTES = 17;
const TAG = { MESSAGE: 0, PUSH: 1, REKEY: 2, FINAL: 3 };
const TAG_NAME = { 0: 'MESSAGE', 1: 'PUSH', 2: 'REKEY', 3: 'FINAL' };
const CHUNK = 4 * MIB; // plaintext chunk
const CT_CHUNK = CHUNK + SS_ABYTES; // 4194321

// Default limits for untrusted pwhash params (the SDK's pwhash.DefaultLimits).
const LIMITS = { maxMemLimit: GIB, maxMemLimitTimesOpsLimit: 4 * GIB };
const PW_MIN = { opsLimit: 1, memLimit: 8192 };

function checkConstants() {
  assert(sodium.crypto_secretbox_KEYBYTES === SECRETBOX_KEY, 'secretbox key size');
  assert(sodium.crypto_secretbox_NONCEBYTES === SECRETBOX_NONCE, 'secretbox nonce size');
  assert(sodium.crypto_secretbox_MACBYTES === SECRETBOX_MAC, 'secretbox mac size');
  assert(sodium.crypto_box_PUBLICKEYBYTES === BOX_PK, 'box pk size');
  assert(sodium.crypto_box_SECRETKEYBYTES === BOX_SK, 'box sk size');
  assert(sodium.crypto_box_SEALBYTES === SEAL_OVERHEAD, 'seal overhead');
  assert(sodium.crypto_secretstream_xchacha20poly1305_KEYBYTES === SS_KEY, 'ss key');
  assert(sodium.crypto_secretstream_xchacha20poly1305_HEADERBYTES === SS_HEADER, 'ss header');
  assert(sodium.crypto_secretstream_xchacha20poly1305_ABYTES === SS_ABYTES, 'ss abytes');
  assert(sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE === TAG.MESSAGE, 'tag message');
  assert(sodium.crypto_secretstream_xchacha20poly1305_TAG_PUSH === TAG.PUSH, 'tag push');
  assert(sodium.crypto_secretstream_xchacha20poly1305_TAG_REKEY === TAG.REKEY, 'tag rekey');
  assert(sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL === TAG.FINAL, 'tag final');
  assert(sodium.crypto_pwhash_SALTBYTES === 16, 'pwhash salt');
  assert(sodium.crypto_pwhash_OPSLIMIT_MIN === PW_MIN.opsLimit, 'pwhash ops min');
  assert(sodium.crypto_pwhash_MEMLIMIT_MIN === PW_MIN.memLimit, 'pwhash mem min');
  assert(sodium.crypto_pwhash_OPSLIMIT_INTERACTIVE === 2, 'ops interactive');
  assert(sodium.crypto_pwhash_MEMLIMIT_INTERACTIVE === 64 * MIB, 'mem interactive');
  assert(sodium.crypto_pwhash_OPSLIMIT_SENSITIVE === 4, 'ops sensitive');
  assert(sodium.crypto_pwhash_MEMLIMIT_SENSITIVE === GIB, 'mem sensitive');
  assert(sodium.crypto_kdf_CONTEXTBYTES === 8, 'kdf ctx');
}

// ---- pwhash ----------------------------------------------------------------
// What the SDK must answer for (opsLimit, memLimit) before deriving anything.
function paramsError(opsLimit, memLimit) {
  if (opsLimit < PW_MIN.opsLimit || memLimit < PW_MIN.memLimit) return 'pwhash.ErrInvalidParams';
  if (memLimit > LIMITS.maxMemLimit || memLimit * opsLimit > LIMITS.maxMemLimitTimesOpsLimit) {
    return 'pwhash.ErrTooExpensive';
  }
  return null;
}
function pwhash(password, salt, opsLimit, memLimit) {
  assert(paramsError(opsLimit, memLimit) === null, `pwhash params out of range ${opsLimit}/${memLimit}`);
  return sodium.crypto_pwhash(32, password, salt, opsLimit, memLimit, sodium.crypto_pwhash_ALG_ARGON2ID13);
}

// ---- kdf -------------------------------------------------------------------
const LOGIN_CTX = 'loginctx';
const LOGIN_ID = 1;
function loginSubkey(kek) {
  const sub = sodium.crypto_kdf_derive_from_key(32, LOGIN_ID, LOGIN_CTX, kek);
  return { subkey: sub, loginKey: sub.slice(0, 16) };
}

// ---- secretbox -------------------------------------------------------------
function secretboxSeal(msg, nonce, key) {
  return sodium.crypto_secretbox_easy(msg, nonce, key);
}
function secretboxOpen(box, nonce, key) {
  try {
    return sodium.crypto_secretbox_open_easy(box, nonce, key);
  } catch (e) {
    return null;
  }
}

// ---- box / sealed box --------------------------------------------------------
function keypairFromSecret(sk) {
  assert(sk.length === BOX_SK, 'sk length');
  return { publicKey: sodium.crypto_scalarmult_base(sk), secretKey: sk };
}
// crypto_box_seal built from primitives with a caller-chosen ephemeral secret key:
// epk = X25519(esk, 9); nonce = BLAKE2b-192(epk || recipientPk); out = epk || box.
function sealDeterministic(msg, recipientPk, esk) {
  const epk = sodium.crypto_scalarmult_base(esk);
  const nonce = sodium.crypto_generichash(24, concat(epk, recipientPk), null);
  const box = sodium.crypto_box_easy(msg, nonce, recipientPk, esk);
  return concat(epk, box);
}
function sealOpen(ct, pk, sk) {
  try {
    return sodium.crypto_box_seal_open(ct, pk, sk);
  } catch (e) {
    return null;
  }
}

// ---- secretstream ------------------------------------------------------------
// libsodium's init_push draws the 24-byte header from randombytes and then sets
// up exactly the state init_pull sets up from that header (k = HChaCha20(key,
// header[0:16]), counter = 1, inonce = header[16:24]). libsodium.js offers no way
// to replace its randomness, so a push state for a CHOSEN header is made with
// init_pull(header, key) and then used with push(). The Ente CLI known answer
// (checked in gen.js) proves this reproduces init_push + push byte for byte.
function pushState(key, header) {
  assert(key.length === SS_KEY && header.length === SS_HEADER, 'ss key/header size');
  return sodium.crypto_secretstream_xchacha20poly1305_init_pull(header, key);
}
function push(state, msg, tag) {
  return sodium.crypto_secretstream_xchacha20poly1305_push(state, msg, null, tag);
}
// messages: [{msg, tag}] -> concatenated ciphertext.
function encryptMessages(key, header, messages) {
  const st = pushState(key, header);
  return concat(...messages.map((m) => push(st, m.msg, m.tag)));
}
function pullState(key, header) {
  return sodium.crypto_secretstream_xchacha20poly1305_init_pull(header, key);
}
function pull(state, ct) {
  if (ct.length < SS_ABYTES) return null;
  const r = sodium.crypto_secretstream_xchacha20poly1305_pull(state, ct, null);
  return r || null;
}

// Reference one-message blob reader. legacy=true also accepts tag MESSAGE.
// Returns {msg, tag} or {error}.
function refDecryptBlob(ct, header, key, legacy) {
  if (ct.length < SS_ABYTES) return { error: 'stream.ErrTruncated' };
  const r = pull(pullState(key, header), ct);
  if (!r) return { error: 'stream.ErrOpen' };
  if (r.tag === TAG.FINAL || (legacy && r.tag === TAG.MESSAGE)) return { msg: r.message, tag: r.tag };
  return { error: 'stream.ErrUnexpectedTag' };
}

// Reference chunked-file reader: reads fixed CT_CHUNK blocks (the last one may
// be shorter); every block must authenticate; the stream must end exactly after
// the first FINAL chunk. Returns {msg, tags} or {error}.
function refDecryptFile(ct, header, key, ctChunk = CT_CHUNK) {
  const st = pullState(key, header);
  const out = [];
  const tags = [];
  let off = 0;
  for (;;) {
    if (off === ct.length) return { error: 'stream.ErrTruncated' };
    const block = ct.subarray(off, Math.min(off + ctChunk, ct.length));
    if (block.length < SS_ABYTES) return { error: 'stream.ErrTruncated' };
    const r = pull(st, block);
    if (!r) return { error: 'stream.ErrOpen' };
    off += block.length;
    out.push(r.message);
    tags.push(r.tag);
    if (r.tag === TAG.FINAL) {
      if (off !== ct.length) return { error: 'stream.ErrTrailingData' };
      return { msg: concat(...out), tags };
    }
  }
}

module.exports = {
  KIB,
  MIB,
  GIB,
  SECRETBOX_KEY,
  SECRETBOX_NONCE,
  SECRETBOX_MAC,
  SEAL_OVERHEAD,
  SS_KEY,
  SS_HEADER,
  SS_ABYTES,
  TAG,
  TAG_NAME,
  CHUNK,
  CT_CHUNK,
  LIMITS,
  PW_MIN,
  LOGIN_CTX,
  LOGIN_ID,
  checkConstants,
  paramsError,
  pwhash,
  loginSubkey,
  secretboxSeal,
  secretboxOpen,
  keypairFromSecret,
  sealDeterministic,
  sealOpen,
  pushState,
  push,
  encryptMessages,
  pullState,
  pull,
  refDecryptBlob,
  refDecryptFile,
};
