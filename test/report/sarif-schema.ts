// Validates SARIF logs against the official SARIF 2.1.0 JSON schema shipped as test data.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';

// The official SARIF 2.1.0 (rtm.5) schema is draft-04; its draft-04 parts we rely on read the same under draft-07,
// so the schema id keywords are dropped and Ajv's default dialect validates it. One of its patterns is not valid
// under the `u` flag (a stray `]`), hence unicodeRegExp: false.
function sarifValidator() {
  const schema = JSON.parse(
    readFileSync(join(import.meta.dirname, '..', 'fixtures', 'sarif-schema-2.1.0.json'), 'utf8'),
  ) as Record<string, unknown>;
  delete schema.$schema;
  delete schema.id;
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  const addFormats = addFormatsModule as unknown as (instance: Ajv) => Ajv;
  addFormats(ajv);
  return ajv.compile(schema);
}

export const validateSarif = sarifValidator();
