'use strict';
// Building blocks for the JSON Schemas (draft 2020-12) written to testdata/schema/.

const B64CHARS = 'A-Za-z0-9+/';
// Canonical padded standard base64 (unused trailing bits must be zero).
const B64_BODY = `(?:[${B64CHARS}]{4})*(?:[${B64CHARS}][AQgw]==|[${B64CHARS}]{2}[AEIMQUYcgkosw048]=)?`;
const B64 = `^${B64_BODY}$`;

// Canonical padded base64 of exactly n bytes.
function b64Len(n) {
  const full = Math.floor(n / 3);
  const rem = n % 3;
  let tail = '';
  if (rem === 1) tail = `[${B64CHARS}][AQgw]==`;
  if (rem === 2) tail = `[${B64CHARS}]{2}[AEIMQUYcgkosw048]=`;
  return { type: 'string', pattern: `^[${B64CHARS}]{${4 * full}}${tail}$` };
}
function b64Any(description) {
  const s = { type: 'string', pattern: B64 };
  if (description) s.description = description;
  return s;
}
// Canonical padded base64 of a length in [min, max] bytes (expressed loosely:
// pattern for canonical base64 plus string length bounds).
function b64Range(min, max) {
  const s = { type: 'string', pattern: B64 };
  if (min !== undefined) s.minLength = 4 * Math.ceil(min / 3);
  if (max !== undefined) s.maxLength = 4 * Math.ceil(max / 3);
  return s;
}
const HEX = (n) => ({ type: 'string', pattern: `^[0-9a-f]{${2 * n}}$` });
const SHA256 = { type: 'string', pattern: '^[0-9a-f]{64}$', description: 'SHA-256, lowercase hex' };
const UINT = { type: 'integer', minimum: 0 };

function desc(s, d) {
  return { ...s, description: d };
}

const GENERATOR = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'version', 'libraries'],
  properties: {
    name: { const: 'e2ee-testdata-gen' },
    version: { type: 'string', pattern: '^[0-9]+\\.[0-9]+\\.[0-9]+$' },
    libraries: {
      type: 'object',
      additionalProperties: false,
      required: ['libsodium', 'libsodium-wrappers-sumo', 'bs58', 'bip39'],
      properties: {
        libsodium: { type: 'string' },
        'libsodium-wrappers-sumo': { type: 'string' },
        bs58: { type: 'string' },
        bip39: { type: 'string' },
      },
    },
  },
};

// A test object: common Wycheproof fields + specific properties.
// props: specific properties; required: always required specific props;
// validRequired / invalidRequired: extra required props by result;
// errors: allowed sentinel names.
function testSchema({ props, required = [], validRequired = [], invalidRequired = [], errors, flags }) {
  const s = {
    type: 'object',
    additionalProperties: false,
    required: ['tcId', 'comment', 'flags', 'result', ...required],
    properties: {
      tcId: { type: 'integer', minimum: 1 },
      comment: { type: 'string', minLength: 1 },
      flags: { type: 'array', uniqueItems: true, items: { enum: flags } },
      ...props,
      result: { enum: ['valid', 'invalid'] },
      error: { enum: errors },
    },
    allOf: [
      {
        if: { properties: { result: { const: 'valid' } } },
        then: { required: validRequired, properties: { error: false } },
        else: { required: ['error', ...invalidRequired] },
      },
    ],
  };
  if (errors.length === 0) {
    s.properties.result = { const: 'valid' };
    s.properties.error = false;
  }
  return s;
}

function groupSchema(type, props, required, test) {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['type', ...required, 'tests'],
    properties: {
      type: { const: type },
      ...props,
      tests: { type: 'array', minItems: 1, items: test },
    },
  };
}

// The whole file.
function fileSchema({ name, title, description, algorithm, groups, defs = {}, flags }) {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `https://github.com/e2eekit/e2ee/testdata/schema/${name}.schema.json`,
    title,
    description,
    type: 'object',
    additionalProperties: false,
    required: ['algorithm', 'schema', 'generator', 'numberOfTests', 'header', 'notes', 'testGroups'],
    properties: {
      algorithm: { const: algorithm },
      schema: { const: `${name}.schema.json` },
      generator: { $ref: '#/$defs/generator' },
      numberOfTests: { type: 'integer', minimum: 1 },
      header: { type: 'array', items: { type: 'string' } },
      notes: {
        type: 'object',
        propertyNames: { enum: flags },
        additionalProperties: { type: 'string', minLength: 1 },
      },
      testGroups: {
        type: 'array',
        minItems: 1,
        items: groups.length === 1 ? groups[0] : { oneOf: groups },
      },
    },
    $defs: { generator: GENERATOR, ...defs },
  };
}

module.exports = {
  B64,
  b64Len,
  b64Any,
  b64Range,
  HEX,
  SHA256,
  UINT,
  desc,
  testSchema,
  groupSchema,
  fileSchema,
};
