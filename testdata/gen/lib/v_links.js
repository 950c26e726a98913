'use strict';
const bs58 = require('bs58').default;
const C = require('./common');
const S = require('./schema');
const { KA } = require('./known');

const NAME = 'links';
const SUMMARY = 'public album links: base58 key fragment, legacy hex, token';
const ALGORITHM = 'Ente public album link: {host}/?t={accessToken}#{base58(collectionKey)}';
const DEFAULT_HOST = 'https://albums.ente.com';
const NOTES = {
  KnownAnswer: 'base58 of key bytes 00 01 .. 1f is 1thX6LZfHDZZKUs92febYZhYRcXddmzfzF2NvTkPNE.',
  CanonicalForm:
    'url is exactly what a writer emits: host + "/?t=" + accessToken + "#" + base58(key) (Bitcoin alphabet). Check both directions.',
  LeadingZeroBytes: 'The key starts with zero bytes, each encoded as a leading "1".',
  LegacyHexFragment: 'The fragment is 50 characters or more: the legacy lowercase hex form of the key (parse only).',
  CustomHost: 'A self-hosted albums host, possibly with a port or a path.',
  TokenInPath: 'No t= query parameter: the access token is the first path segment (parse only).',
  ExtraQueryParameter: 'The query has another parameter besides t (parse only).',
  WrongKeyLength: 'The fragment decodes to a key that is not 32 bytes.',
  InvalidBase58Char: 'The fragment contains a character outside the Bitcoin base58 alphabet (0, O, I or l).',
  InvalidHex: 'A 50+ character fragment that is not 64 lowercase hex characters.',
  MissingFragment: 'There is no key: no "#" or nothing after it.',
  MissingToken: 'There is no access token: no t= parameter (or an empty one) and no path segment.',
  NotAUrl: 'The input is not an absolute URL.',
};
const ERR = 'share.ErrInvalidLink';

// Reference parser (self-check only).
function refParse(raw) {
  let u;
  try {
    u = new URL(raw);
  } catch (e) {
    return { error: ERR };
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return { error: ERR };
  let token = u.searchParams.get('t');
  if (!token) {
    const seg = u.pathname.split('/').filter((s) => s.length > 0);
    token = seg.length ? seg[0] : null;
  }
  if (!token) return { error: ERR };
  const frag = u.hash.replace(/^#/, '');
  if (!frag) return { error: ERR };
  let key;
  if (frag.length >= 50) {
    if (!/^[0-9a-f]{64}$/.test(frag)) return { error: ERR };
    key = C.unhex(frag);
  } else {
    try {
      key = new Uint8Array(bs58.decode(frag));
    } catch (e) {
      return { error: ERR };
    }
    if (key.length !== 32) return { error: ERR };
  }
  return { token, key };
}

function build() {
  const f = new C.VectorFile({
    name: NAME,
    algorithm: ALGORITHM,
    header: [
      'valid: Parse(url) gives accessToken and key. With flag CanonicalForm also Format(host, accessToken, key) == url.',
      'The fragment is base58 (Bitcoin alphabet) of the 32-byte collection key; 50+ characters means legacy lowercase hex.',
      'The t query parameter holds the access token; without it, the first path segment does.',
      'invalid: Parse(url) fails with share.ErrInvalidLink.',
    ],
    notes: NOTES,
    errors: [ERR],
  });
  const g = f.group({ type: 'AlbumLinkTest', defaultHost: DEFAULT_HOST });

  const add = (comment, flags, url, { host, token, key } = {}) => {
    const r = refParse(url);
    const t = { comment, flags, url };
    if (key) {
      C.assert(!r.error, `link parses: ${comment}`);
      C.assertEq(r.token, token, `link token: ${comment}`);
      C.assertBytes(r.key, key, `link key: ${comment}`);
      if (flags.includes('CanonicalForm')) {
        C.assertEq(`${host}/?t=${token}#${bs58.encode(key)}`, url, `canonical link: ${comment}`);
        t.host = host;
      }
      t.accessToken = token;
      t.key = C.b64(key);
      t.result = 'valid';
    } else {
      C.assertEq(r.error, ERR, `link must not parse: ${comment}`);
      t.result = 'invalid';
      t.error = ERR;
    }
    g.add(t);
  };
  const canon = (comment, flags, host, token, key) =>
    add(comment, ['CanonicalForm', ...flags], `${host}/?t=${token}#${bs58.encode(key)}`, { host, token, key });

  const k32 = C.range(32);
  C.assertEq(bs58.encode(k32), KA.base58.encoded, 'base58 known answer');
  canon('key 00..1f', ['KnownAnswer'], DEFAULT_HOST, 'ABCDEFGHJK', k32);
  const kz = C.concat(C.fill(3, 0), C.det('links/key/leading0', 29));
  C.assert(bs58.encode(kz).startsWith('111') && !bs58.encode(kz).startsWith('1111'), 'three leading ones');
  canon('three leading zero bytes', ['LeadingZeroBytes'], DEFAULT_HOST, 'QWERTYUIOP', kz);
  C.assertEq(bs58.encode(C.fill(32, 0)), '1'.repeat(32), 'all-zero key is 32 ones');
  canon('all-zero key (32 x "1")', ['LeadingZeroBytes'], DEFAULT_HOST, 'ZZZZZZZZZZ', C.fill(32, 0));
  canon('all-0xff key', [], DEFAULT_HOST, 'AAAAAAAAAA', C.fill(32, 0xff));
  const kr = C.det('links/key/random', 32);
  canon('pseudorandom key', [], DEFAULT_HOST, 'MNBVCXZLKJ', kr);
  canon('custom host', ['CustomHost'], 'https://photos.example.org', 'POIUYTREWQ', kr);
  canon('custom host with port', ['CustomHost'], 'http://localhost:3002', 'LKJHGFDSAQ', kr);
  canon('custom host with a path', ['CustomHost'], 'https://example.org/ente/albums', 'XCVBNMASDF', kr);
  add('legacy hex fragment', ['LegacyHexFragment'], `${DEFAULT_HOST}/?t=ABCDEFGHJK#${C.hex(kr)}`, {
    token: 'ABCDEFGHJK',
    key: kr,
  });
  add('token in the first path segment', ['TokenInPath'], `${DEFAULT_HOST}/ABCDEFGHJK#${bs58.encode(kr)}`, {
    token: 'ABCDEFGHJK',
    key: kr,
  });
  add('another query parameter after t', ['ExtraQueryParameter'], `${DEFAULT_HOST}/?t=ABCDEFGHJK&ref=share#${bs58.encode(kr)}`, {
    token: 'ABCDEFGHJK',
    key: kr,
  });

  const bad = (comment, flags, url) => add(comment, flags, url);
  const frag = KA.base58.encoded;
  bad('fragment decodes to 31 bytes', ['WrongKeyLength'], `${DEFAULT_HOST}/?t=ABCDEFGHJK#${bs58.encode(C.range(31))}`);
  bad('fragment decodes to 33 bytes', ['WrongKeyLength'], `${DEFAULT_HOST}/?t=ABCDEFGHJK#${bs58.encode(C.range(33))}`);
  bad('fragment decodes to 36 bytes (49 characters)', ['WrongKeyLength'], (() => {
    const fr = bs58.encode(C.fill(36, 0x80));
    C.assert(fr.length === 49, `49-char fragment, got ${fr.length}`);
    return `${DEFAULT_HOST}/?t=ABCDEFGHJK#${fr}`;
  })());
  for (const ch of ['0', 'O', 'I', 'l']) {
    bad(`fragment contains "${ch}"`, ['InvalidBase58Char'], `${DEFAULT_HOST}/?t=ABCDEFGHJK#${frag.slice(0, 10)}${ch}${frag.slice(11)}`);
  }
  bad('hex fragment of 62 characters (31 bytes)', ['LegacyHexFragment', 'InvalidHex'], `${DEFAULT_HOST}/?t=ABCDEFGHJK#${C.hex(kr).slice(0, 62)}`);
  bad('hex fragment with a non-hex character', ['LegacyHexFragment', 'InvalidHex'], `${DEFAULT_HOST}/?t=ABCDEFGHJK#x${C.hex(kr).slice(1)}`);
  bad('empty fragment', ['MissingFragment'], `${DEFAULT_HOST}/?t=ABCDEFGHJK#`);
  bad('no fragment', ['MissingFragment'], `${DEFAULT_HOST}/?t=ABCDEFGHJK`);
  bad('no token', ['MissingToken'], `${DEFAULT_HOST}/#${frag}`);
  bad('empty t parameter', ['MissingToken'], `${DEFAULT_HOST}/?t=#${frag}`);
  bad('not a URL', ['NotAUrl'], `ABCDEFGHJK#${frag}`);
  return f;
}

function schema() {
  const flags = Object.keys(NOTES);
  const test = S.testSchema({
    props: {
      url: { type: 'string' },
      host: { type: 'string', pattern: '^https?://[^?#]*[^/?#]$' },
      accessToken: { type: 'string', minLength: 1 },
      key: S.b64Len(32),
    },
    required: ['url'],
    validRequired: ['accessToken', 'key'],
    errors: [ERR],
    flags,
  });
  test.allOf.push({
    if: { required: ['flags'], properties: { flags: { type: 'array', contains: { const: 'CanonicalForm' } } } },
    then: { required: ['host'] },
    else: { properties: { host: false } },
  });
  const group = S.groupSchema('AlbumLinkTest', { defaultHost: { const: DEFAULT_HOST } }, ['defaultHost'], test);
  return S.fileSchema({
    name: NAME,
    title: 'album link vectors',
    description: 'Parsing and formatting public album links (base58 key fragment, legacy hex).',
    algorithm: ALGORITHM,
    groups: [group],
    flags,
  });
}

module.exports = { NAME, SUMMARY, build, schema };
