'use strict';
// Live cross-check, Node side, opening: every object the Go SDK produced is opened
// with libsodium.js (and bs58, bip39) the way Ente's web client would, and every
// expected value is compared. Each mismatch names the object kind, name and field.

const fs = require('node:fs');
const path = require('node:path');
const bs58 = require('bs58').default;
const bip39 = require('bip39');
const C = require('./common');
const P = require('./prims');

const { sodium } = C;

class Opener {
  constructor(dir) {
    this.dir = dir;
    this.problems = [];
    this.notes = []; // differences that do not break interoperability
    this.checked = {};
    this.accounts = {}; // name -> {masterKey, publicKey, secretKey}
    this.collections = {}; // name -> key
    this.authKeys = {}; // name -> key
  }

  fail(obj, field, what) {
    this.problems.push(`${obj.kind} ${obj.name}.${field}: ${what}`);
  }

  same(obj, field, got, want) {
    if (got === null || got === undefined) this.fail(obj, field, 'missing (did not open)');
    else if (!C.bytesEqual(got, want)) this.fail(obj, field, `differs (${got.length} bytes, want ${want.length})`);
  }

  // b64 decodes a wire field strictly (libsodium ORIGINAL), recording a failure.
  b64(obj, field, s) {
    try {
      return C.unb64(s);
    } catch (e) {
      this.fail(obj, field, 'not canonical padded standard base64');
      return null;
    }
  }

  // open decrypts a secretbox field, recording a failure.
  open(obj, field, box, nonce, key) {
    const m = box && nonce && key ? P.secretboxOpen(box, nonce, key) : null;
    if (!m) this.fail(obj, field, 'secretbox does not open');
    return m;
  }

  account(o) {
    const a = o.attributes;
    const f = (k) => this.b64(o, k, a[k]);
    const kek = P.pwhash(C.utf8(o.password), f('kekSalt'), a.opsLimit, a.memLimit);
    const e = o.expect;
    this.same(o, 'kek', kek, C.unb64(e.kek));
    this.same(o, 'loginKey', P.loginSubkey(kek).loginKey, C.unb64(e.loginKey));
    const mk = this.open(o, 'encryptedKey', f('encryptedKey'), f('keyDecryptionNonce'), kek);
    if (!mk) return;
    this.same(o, 'masterKey', mk, C.unb64(e.masterKey));
    const sk = this.open(o, 'encryptedSecretKey', f('encryptedSecretKey'), f('secretKeyDecryptionNonce'), mk);
    this.same(o, 'secretKey', sk, C.unb64(e.secretKey));
    const pk = f('publicKey');
    if (sk) this.same(o, 'publicKey', sodium.crypto_scalarmult_base(sk), pk);
    this.same(o, 'publicKey (expected)', pk, C.unb64(e.publicKey));
    if (sk) this.accounts[o.name] = { masterKey: mk, publicKey: pk, secretKey: sk };
    const rk = this.open(o, 'recoveryKeyEncryptedWithMasterKey', f('recoveryKeyEncryptedWithMasterKey'), f('recoveryKeyDecryptionNonce'), mk);
    this.same(o, 'recoveryKey', rk, C.unb64(e.recoveryKey));
    if (rk && bip39.entropyToMnemonic(C.hex(rk)) !== e.recoveryPhrase) this.fail(o, 'recoveryPhrase', 'is not the BIP-39 phrase of recoveryKey');
    let fromPhrase;
    try {
      fromPhrase = C.unhex(bip39.mnemonicToEntropy(e.recoveryPhrase));
    } catch (err) {
      return this.fail(o, 'recoveryPhrase', `bip39: ${err.message}`);
    }
    const mk2 = this.open(o, 'masterKeyEncryptedWithRecoveryKey', f('masterKeyEncryptedWithRecoveryKey'), f('masterKeyDecryptionNonce'), fromPhrase);
    this.same(o, 'masterKey (by recovery phrase)', mk2, mk);
  }

  accountOf(o) {
    const acc = this.accounts[o.account];
    if (!acc) throw new Error(`refers to account ${o.account}, which did not unlock`);
    return acc;
  }

  authToken(o) {
    const acc = this.accountOf(o);
    const token = P.sealOpen(this.b64(o, 'encryptedToken', o.encryptedToken), acc.publicKey, acc.secretKey);
    this.same(o, 'token', token, C.unb64(o.expect.token));
    if (token && C.b64url(token) !== o.expect.tokenHeader) this.fail(o, 'tokenHeader', 'is not the URL-safe padded base64 of the token');
  }

  sharedCollectionKey(o) {
    const acc = this.accountOf(o);
    const box = this.b64(o, 'encryptedKey', o.encryptedKey);
    if (box && box.length !== 80) this.fail(o, 'encryptedKey', `${box.length} bytes, want 80`);
    this.same(o, 'collectionKey', P.sealOpen(box, acc.publicKey, acc.secretKey), C.unb64(o.expect.collectionKey));
  }

  collection(o) {
    const acc = this.accountOf(o);
    const f = (k) => this.b64(o, k, o[k]);
    const ck = this.open(o, 'encryptedKey', f('encryptedKey'), f('keyDecryptionNonce'), acc.masterKey);
    this.same(o, 'collectionKey', ck, C.unb64(o.expect.collectionKey));
    if (!ck) return;
    this.collections[o.name] = ck;
    const name = this.open(o, 'encryptedName', f('encryptedName'), f('nameDecryptionNonce'), ck);
    this.same(o, 'name', name, C.utf8(o.expect.name));
  }

  file(o) {
    const ck = this.collections[o.collection];
    if (!ck) throw new Error(`refers to collection ${o.collection}, which did not open`);
    const f = (k) => this.b64(o, k, o[k]);
    const fk = this.open(o, 'encryptedKey', f('encryptedKey'), f('keyDecryptionNonce'), ck);
    this.same(o, 'fileKey', fk, C.unb64(o.expect.fileKey));
    if (!fk) return;
    const ct = new Uint8Array(fs.readFileSync(path.join(this.dir, path.basename(o.data))));
    const r = P.refDecryptFile(ct, f('decryptionHeader'), fk);
    if (r.error) {
      this.fail(o, 'data', `does not decrypt: ${r.error}`);
    } else {
      if (r.msg.length !== o.expect.size || Buffer.from(C.sha256hex(r.msg), 'hex').toString('base64') !== o.expect.sha256) {
        this.fail(o, 'data', `plaintext of ${r.msg.length} bytes differs (want ${o.expect.size})`);
      }
      // Ente's layout: MESSAGE on every chunk but the last, FINAL on the last, and
      // no extra empty FINAL after a multiple of 4 MiB.
      const want = Array.from({ length: o.expect.chunks }, (_, i) => (i === o.expect.chunks - 1 ? P.TAG.FINAL : P.TAG.MESSAGE));
      const chunks = Math.max(1, Math.ceil(o.expect.size / P.CHUNK));
      if (r.tags.join() !== want.join() || chunks !== o.expect.chunks) {
        this.fail(o, 'data', `chunk tags [${r.tags}], want [${want}] (${chunks} chunks for ${o.expect.size} bytes)`);
      }
    }
    for (const [field, want] of [['thumbnail', C.unb64(o.expect.thumbnail)], ['metadata', C.utf8(o.expect.metadata)]]) {
      const b = o[field];
      const res = P.refDecryptBlob(this.b64(o, `${field}.encryptedData`, b.encryptedData), this.b64(o, `${field}.decryptionHeader`, b.decryptionHeader), fk, false);
      if (res.error) this.fail(o, field, `does not decrypt: ${res.error}`);
      else this.same(o, field, res.msg, want);
    }
  }

  authKey(o) {
    const acc = this.accountOf(o);
    const k = this.open(o, 'encryptedKey', this.b64(o, 'encryptedKey', o.encryptedKey), this.b64(o, 'header', o.header), acc.masterKey);
    this.same(o, 'authKey', k, C.unb64(o.expect.authKey));
    if (k) this.authKeys[o.name] = k;
  }

  authEntity(o) {
    const k = this.authKeys[o.authKey];
    if (!k) throw new Error(`refers to authKey ${o.authKey}, which did not open`);
    const r = P.refDecryptBlob(this.b64(o, 'encryptedData', o.encryptedData), this.b64(o, 'header', o.header), k, true);
    if (r.error) return this.fail(o, 'encryptedData', `does not decrypt: ${r.error}`);
    if (r.tag !== o.expect.tag) this.fail(o, 'tag', `${r.tag}, want ${o.expect.tag}`);
    let uri = null;
    try {
      uri = JSON.parse(Buffer.from(r.msg).toString('utf8'));
    } catch (e) {
      return this.fail(o, 'plaintext', 'is not JSON');
    }
    if (uri !== o.expect.uri) this.fail(o, 'uri', 'differs');
    else if (Buffer.from(r.msg).toString('utf8') !== JSON.stringify(uri)) {
      this.notes.push(`${o.kind} ${o.name}.plaintext: same string, but not byte for byte what JSON.stringify (and Ente's clients) write`);
    }
  }

  authExport(o) {
    const x = o.export;
    if (x.version !== 1) return this.fail(o, 'version', `${x.version}, want 1`);
    const p = x.kdfParams;
    if (P.paramsError(p.opsLimit, p.memLimit)) return this.fail(o, 'kdfParams', P.paramsError(p.opsLimit, p.memLimit));
    const key = P.pwhash(C.utf8(o.password), this.b64(o, 'kdfParams.salt', p.salt), p.opsLimit, p.memLimit);
    const r = P.refDecryptBlob(this.b64(o, 'encryptedData', x.encryptedData), this.b64(o, 'encryptionNonce', x.encryptionNonce), key, true);
    if (r.error) return this.fail(o, 'encryptedData', `does not decrypt: ${r.error}`);
    if (r.tag !== P.TAG.FINAL) this.fail(o, 'encryptedData', `tag ${r.tag}: writers emit FINAL`);
    const text = Buffer.from(r.msg).toString('utf8');
    if (text !== o.expect.uris.map((u) => `${u}\n`).join('')) this.fail(o, 'encryptedData', 'plaintext is not the URIs, one per line, each ending in \\n');
  }

  link(o) {
    let u;
    try {
      u = new URL(o.url);
    } catch (e) {
      return this.fail(o, 'url', 'not a URL');
    }
    const e = o.expect;
    if (u.searchParams.get('t') !== e.accessToken) this.fail(o, 'accessToken', 'differs from the t parameter');
    let key = null;
    try {
      key = bs58.decode(u.hash.slice(1));
    } catch (err) {
      return this.fail(o, 'fragment', 'not base58');
    }
    this.same(o, 'collectionKey', key, C.unb64(e.collectionKey));
    if (o.url !== `${e.host}/?t=${e.accessToken}#${bs58.encode(C.unb64(e.collectionKey))}`) this.fail(o, 'url', 'is not {host}/?t={token}#{base58(key)}');
  }

  // srpExchange: the Go SDK's client (keys.SRPSession) against fast-srp-hap's
  // server with the recorded b: same verifier from the KEK, same B, the
  // client's M1 accepted, and the M2 the Go client accepted.
  srpExchange(o) {
    const { SRP, SrpServer } = require('fast-srp-hap');
    const params = SRP.params[4096];
    const kek = this.b64(o, 'kek', o.kek);
    const salt = this.b64(o, 'srpSalt', o.srpSalt);
    const v = SRP.computeVerifier(params, Buffer.from(salt), Buffer.from(o.srpUserID), Buffer.from(P.loginSubkey(kek).loginKey));
    this.same(o, 'verifier', new Uint8Array(v), this.b64(o, 'verifier', o.verifier));
    const server = new SrpServer(params, v, Buffer.from(this.b64(o, 'b', o.b)));
    this.same(o, 'B', new Uint8Array(server.computeB()), this.b64(o, 'B', o.B));
    server.setA(Buffer.from(this.b64(o, 'A', o.A)));
    try {
      server.checkM1(Buffer.from(this.b64(o, 'M1', o.M1)));
    } catch (e) {
      return this.fail(o, 'M1', "fast-srp-hap's server refuses it");
    }
    this.same(o, 'M2', new Uint8Array(server.computeM2()), this.b64(o, 'M2', o.M2));
  }

  linkPassword(o) {
    const p = o.linkParams;
    if (p.opsLimit !== sodium.crypto_pwhash_OPSLIMIT_INTERACTIVE || p.memLimit !== sodium.crypto_pwhash_MEMLIMIT_INTERACTIVE) {
      this.fail(o, 'linkParams', `params ${p.memLimit}/${p.opsLimit}, owners emit INTERACTIVE`);
    }
    const h = P.pwhash(C.utf8(o.password), this.b64(o, 'nonce', p.nonce), p.opsLimit, p.memLimit);
    if (C.b64(h) !== p.passHash) this.fail(o, 'passHash', 'differs');
  }
}

const KINDS = ['account', 'authToken', 'sharedCollectionKey', 'collection', 'file', 'authKey', 'authEntity', 'authExport', 'link', 'linkPassword', 'srpExchange'];

// open checks every object of dir/manifest.json; returns {problems, checked}.
function open(dir) {
  const m = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  const op = new Opener(dir);
  for (const o of m.objects) {
    if (!KINDS.includes(o.kind)) {
      op.fail(o, 'kind', 'unknown kind');
      continue;
    }
    op.checked[o.kind] = (op.checked[o.kind] || 0) + 1;
    try {
      op[o.kind](o);
    } catch (e) {
      op.fail(o, 'object', e.message);
    }
  }
  for (const k of KINDS) if (!op.checked[k]) op.problems.push(`${k}: the producer made none`);
  return { problems: op.problems, notes: op.notes, checked: op.checked, producer: m.producer };
}

module.exports = { open };
