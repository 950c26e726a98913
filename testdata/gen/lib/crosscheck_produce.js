'use strict';
// Live cross-check, Node side, producing: FRESH RANDOM objects of every kind, made
// the way Ente's web client makes them with libsodium.js (real randomness, real
// crypto_secretstream init_push and crypto_box_seal), for the Go SDK to open.
// The exchange format is described in conformance/internal/crosscheck/manifest.go.

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const bs58 = require('bs58').default;
const bip39 = require('bip39');
const C = require('./common');
const P = require('./prims');

const { sodium } = C;
const CHEAP = { opsLimit: 2, memLimit: P.MIB }; // fast sign-ups and exports
const URIS = [
  'otpauth://totp/Example:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example',
  'otpauth://hotp/ACME%20Co:bob?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ&issuer=ACME%20Co&counter=7',
  'otpauth://totp/Zürich%20Bank:čarli?secret=GEZDGNBVGY3TQOJQ&issuer=Zürich%20Bank&algorithm=SHA256',
];

function rand(n) {
  return sodium.randombytes_buf(n);
}
// Plaintext filler from Node's CSPRNG: libsodium.js fetches randomness from JS a
// word at a time, far too slowly for megabytes.
function randomData(n) {
  return crypto.randomFillSync(new Uint8Array(n));
}
function randInt(n) {
  return n <= 0 ? 0 : sodium.randombytes_uniform(n + 1);
}
// A secretbox under a fresh random nonce: [box, nonce].
function wrap(msg, key) {
  const nonce = rand(P.SECRETBOX_NONCE);
  return [P.secretboxSeal(msg, nonce, key), nonce];
}
// secretstream messages under a fresh header from libsodium's own init_push.
function encryptStream(key, messages) {
  const { state, header } = sodium.crypto_secretstream_xchacha20poly1305_init_push(key);
  return { header, ct: C.concat(...messages.map((m) => P.push(state, m.msg, m.tag))) };
}
// Ente's file layout: 4 MiB chunks, the last tagged FINAL; an exact multiple of
// 4 MiB ends with a full FINAL chunk; an empty file is one empty FINAL message.
function fileMessages(data) {
  const n = Math.max(1, Math.ceil(data.length / P.CHUNK));
  const out = [];
  for (let i = 0; i < n; i++) {
    const msg = data.subarray(i * P.CHUNK, (i + 1) * P.CHUNK);
    out.push({ msg, tag: i === n - 1 ? P.TAG.FINAL : P.TAG.MESSAGE });
  }
  return out;
}

// account signs up, or, given an earlier account's masterKey and key pair, makes
// the attributes after the lost-password flow: a new password (salt, KEK,
// encryptedKey) and a rotated recovery key, the master key and key pair unchanged.
function account(name, password, prev) {
  const masterKey = prev ? prev.masterKey : sodium.crypto_secretbox_keygen();
  const recoveryKey = sodium.crypto_secretbox_keygen();
  const kp = prev ? prev.kp : sodium.crypto_box_keypair();
  const kekSalt = rand(16);
  const kek = P.pwhash(C.utf8(password), kekSalt, CHEAP.opsLimit, CHEAP.memLimit);
  const [encryptedKey, keyDecryptionNonce] = wrap(masterKey, kek);
  // The secret key's box does not change in the lost-password flow.
  const [encryptedSecretKey, secretKeyDecryptionNonce] = prev
    ? [C.unb64(prev.obj.attributes.encryptedSecretKey), C.unb64(prev.obj.attributes.secretKeyDecryptionNonce)]
    : wrap(kp.privateKey, masterKey);
  const [mkByRk, masterKeyDecryptionNonce] = wrap(masterKey, recoveryKey);
  const [rkByMk, recoveryKeyDecryptionNonce] = wrap(recoveryKey, masterKey);
  return {
    obj: {
      kind: 'account',
      name,
      password,
      attributes: {
        kekSalt: C.b64(kekSalt),
        encryptedKey: C.b64(encryptedKey),
        keyDecryptionNonce: C.b64(keyDecryptionNonce),
        publicKey: C.b64(kp.publicKey),
        encryptedSecretKey: C.b64(encryptedSecretKey),
        secretKeyDecryptionNonce: C.b64(secretKeyDecryptionNonce),
        memLimit: CHEAP.memLimit,
        opsLimit: CHEAP.opsLimit,
        masterKeyEncryptedWithRecoveryKey: C.b64(mkByRk),
        masterKeyDecryptionNonce: C.b64(masterKeyDecryptionNonce),
        recoveryKeyEncryptedWithMasterKey: C.b64(rkByMk),
        recoveryKeyDecryptionNonce: C.b64(recoveryKeyDecryptionNonce),
        kekHash: 'ignored by readers', // the server sends fields clients do not use
      },
      expect: {
        kek: C.b64(kek),
        loginKey: C.b64(P.loginSubkey(kek).loginKey),
        masterKey: C.b64(masterKey),
        secretKey: C.b64(kp.privateKey),
        publicKey: C.b64(kp.publicKey),
        recoveryKey: C.b64(recoveryKey),
        recoveryPhrase: bip39.entropyToMnemonic(C.hex(recoveryKey)),
      },
    },
    masterKey,
    kp,
    publicKey: kp.publicKey,
  };
}

function file(dir, name, collection, collectionKey, size) {
  const fileKey = sodium.crypto_secretstream_xchacha20poly1305_keygen();
  const [encryptedKey, keyDecryptionNonce] = wrap(fileKey, collectionKey);
  const data = randomData(size);
  const msgs = fileMessages(data);
  const { header, ct } = encryptStream(fileKey, msgs);
  fs.writeFileSync(path.join(dir, `${name}.bin`), ct);
  const thumbnail = randomData(1 + randInt(5000));
  const metadata = JSON.stringify({ title: `IMG_${randInt(9999)}.JPG`, creationTime: 1700000000000000 + randInt(1e9), fileType: 0 });
  const blob = (msg) => {
    const b = encryptStream(fileKey, [{ msg, tag: P.TAG.FINAL }]);
    return { encryptedData: C.b64(b.ct), decryptionHeader: C.b64(b.header) };
  };
  return {
    kind: 'file',
    name,
    collection,
    encryptedKey: C.b64(encryptedKey),
    keyDecryptionNonce: C.b64(keyDecryptionNonce),
    decryptionHeader: C.b64(header),
    data: `${name}.bin`,
    thumbnail: blob(thumbnail),
    metadata: blob(C.utf8(metadata)),
    expect: {
      fileKey: C.b64(fileKey),
      size,
      sha256: Buffer.from(C.sha256hex(data), 'hex').toString('base64'),
      chunks: msgs.length,
      thumbnail: C.b64(thumbnail),
      metadata,
    },
  };
}

function exportFile(password, tag) {
  const salt = rand(16);
  const key = P.pwhash(C.utf8(password), salt, CHEAP.opsLimit, CHEAP.memLimit);
  const text = URIS.map((u) => `${u}\n`).join('');
  const { header, ct } = encryptStream(key, [{ msg: C.utf8(text), tag }]);
  return {
    version: 1,
    kdfParams: { memLimit: CHEAP.memLimit, opsLimit: CHEAP.opsLimit, salt: C.b64(salt) },
    encryptedData: C.b64(ct),
    encryptionNonce: C.b64(header),
  };
}

function link(name, host, key) {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
  const token = Array.from(rand(10), (b) => alphabet[b % alphabet.length]).join('');
  return {
    kind: 'link',
    name,
    url: `${host}/?t=${token}#${bs58.encode(key)}`,
    expect: { host, accessToken: token, collectionKey: C.b64(key) },
  };
}

// srpExchange: a complete SRP exchange as Ente's web client signs in, with
// fast-srp-hap (4096-bit group, hap = false) in both roles. The client's
// secret a stays here; the server's b goes in the object. See
// conformance/internal/crosscheck/srp.go for what the opener checks.
function srpExchange(name, kek) {
  const { SRP, SrpClient, SrpServer } = require('fast-srp-hap');
  const params = SRP.params[4096];
  const bytes = crypto.randomBytes(16);
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const h = bytes.toString('hex');
  const userID = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  const salt = crypto.randomBytes(16);
  const I = Buffer.from(userID);
  const loginKey = Buffer.from(P.loginSubkey(kek).loginKey);
  const verifier = SRP.computeVerifier(params, salt, I, loginKey);
  const client = new SrpClient(params, salt, I, loginKey, crypto.randomBytes(32), false);
  const b = crypto.randomBytes(32);
  const server = new SrpServer(params, verifier, b);
  const A = client.computeA();
  const B = server.computeB();
  server.setA(A);
  client.setB(B);
  const M1 = client.computeM1();
  server.checkM1(M1);
  const M2 = server.computeM2();
  client.checkM2(M2);
  const e = (x) => C.b64(new Uint8Array(x));
  return { kind: 'srpExchange', name, kek: C.b64(kek), srpUserID: userID, srpSalt: e(salt), verifier: e(verifier), A: e(A), b: e(b), B: e(B), M1: e(M1), M2: e(M2) };
}

// produce writes dir/manifest.json and dir/*.bin.
function produce(dir) {
  const objects = [];
  const a1 = account('node-account-1', 'correct horse battery staple');
  const a2 = account('node-account-2', 'pässwörd ✓ with\ttab');
  objects.push(a1.obj, a2.obj, account('node-account-2-recovered', 'new pässword', a2).obj);

  const token = rand(32);
  objects.push({
    kind: 'authToken',
    name: 'node-token-1',
    account: a1.obj.name,
    encryptedToken: C.b64(sodium.crypto_box_seal(token, a1.publicKey)),
    expect: { token: C.b64(token), tokenHeader: C.b64url(token) },
  });
  const shared = sodium.crypto_secretbox_keygen();
  objects.push({
    kind: 'sharedCollectionKey',
    name: 'node-shared-1',
    account: a2.obj.name,
    encryptedKey: C.b64(sodium.crypto_box_seal(shared, a2.publicKey)),
    expect: { collectionKey: C.b64(shared) },
  });

  const ck = sodium.crypto_secretbox_keygen();
  const [encryptedKey, keyDecryptionNonce] = wrap(ck, a1.masterKey);
  const name = 'Holidays ☀ 2026';
  const [encryptedName, nameDecryptionNonce] = wrap(C.utf8(name), ck);
  objects.push({
    kind: 'collection',
    name: 'node-collection-1',
    account: a1.obj.name,
    encryptedKey: C.b64(encryptedKey),
    keyDecryptionNonce: C.b64(keyDecryptionNonce),
    encryptedName: C.b64(encryptedName),
    nameDecryptionNonce: C.b64(nameDecryptionNonce),
    expect: { collectionKey: C.b64(ck), name },
  });
  // 1, 2 and 3 chunks; empty; an exact multiple of 4 MiB.
  const sizes = [0, 1 + randInt(5000), P.CHUNK, P.CHUNK + 1 + randInt(100000), 2 * P.CHUNK + randInt(100000)];
  sizes.forEach((size, i) => objects.push(file(dir, `node-file-${i + 1}`, 'node-collection-1', ck, size)));

  const authKey = sodium.crypto_secretbox_keygen();
  const [ak, akNonce] = wrap(authKey, a1.masterKey);
  objects.push({
    kind: 'authKey',
    name: 'node-authkey-1',
    account: a1.obj.name,
    encryptedKey: C.b64(ak),
    header: C.b64(akNonce), // Ente Auth calls the secretbox nonce "header"
    expect: { authKey: C.b64(authKey) },
  });
  // The last entity is tagged MESSAGE, as Ente Auth wrote before Nov 2025.
  URIS.forEach((uri, i) => {
    const tag = i === URIS.length - 1 ? P.TAG.MESSAGE : P.TAG.FINAL;
    const { header, ct } = encryptStream(authKey, [{ msg: C.utf8(JSON.stringify(uri)), tag }]);
    objects.push({
      kind: 'authEntity',
      name: `node-entity-${i + 1}`,
      authKey: 'node-authkey-1',
      encryptedData: C.b64(ct),
      header: C.b64(header),
      expect: { uri, tag },
    });
  });
  [P.TAG.FINAL, P.TAG.MESSAGE].forEach((tag, i) => {
    const password = 'export pässword';
    objects.push({ kind: 'authExport', name: `node-export-${i + 1}`, password, export: exportFile(password, tag), expect: { uris: URIS } });
  });

  const zeroLed = rand(32);
  zeroLed.set([0, 0]);
  objects.push(link('node-link-1', 'https://albums.ente.com', rand(32)));
  objects.push(link('node-link-2', 'https://photos.example.org:8443/albums', rand(32)));
  objects.push(link('node-link-3', 'https://albums.ente.com', zeroLed));

  const password = 'link pässword';
  const salt = rand(16);
  const ops = sodium.crypto_pwhash_OPSLIMIT_INTERACTIVE;
  const mem = sodium.crypto_pwhash_MEMLIMIT_INTERACTIVE;
  objects.push({
    kind: 'linkPassword',
    name: 'node-linkpass-1',
    password,
    linkParams: { passHash: C.b64(P.pwhash(C.utf8(password), salt, ops, mem)), nonce: C.b64(salt), memLimit: mem, opsLimit: ops },
  });

  // SRP sign-in on both accounts: fast-srp-hap plays client and server; the
  // server's secret b is recorded so that Go can play the server.
  [a1, a2].forEach((a, i) => objects.push(srpExchange(`node-srp-${i + 1}`, C.unb64(a.obj.expect.kek))));

  const producer = `node libsodium-wrappers-sumo (libsodium ${sodium.sodium_version_string()})`;
  fs.writeFileSync(path.join(dir, 'manifest.json'), `${JSON.stringify({ producer, objects }, null, 1)}\n`);
  return objects.length;
}

module.exports = { produce };
