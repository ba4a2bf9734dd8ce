// A large OpenAPI document in block YAML read by plain-yaml (src/domain/plain-yaml.ts) and by the yaml package, once
// each, in-process, checking both give the same value. Run after `npm run build`: node bench/yaml-read.mjs [paths]
import { stringify } from 'yaml';
import { readPlainYaml } from '../dist/src/domain/plain-yaml.js';
import { parseYamlWithPackage } from '../dist/src/domain/yaml-text.js';

const count = Number(process.argv[2] ?? 20_000);
const paths = {};
for (let index = 0; index < count; index += 1) {
  paths[`/v1/items${index}/{id}:do`] = {
    get: {
      operationId: `op${index}`,
      security: [{ api_key: [] }],
      parameters: [{ in: 'path', name: 'id', type: 'string', required: true }],
      responses: { 200: { description: 'ok' } },
    },
  };
}
const text = stringify({ swagger: '2.0', schemes: ['https'], paths }, { flowCollectionPadding: false });
const timed = (read) => {
  const start = performance.now();
  const value = read();
  return { value, ms: performance.now() - start };
};
const plain = timed(() => readPlainYaml(text, 128));
const yaml = timed(() => parseYamlWithPackage(text, { maxAliasCount: 100, maxDepth: 128 }));
if (plain.value === undefined) throw new Error('plain-yaml declined the document');
const same = JSON.stringify(plain.value) === JSON.stringify(yaml.value.value);
console.log(
  `${(text.length / 1048576).toFixed(1)} MB, ${count} paths: plain-yaml ${plain.ms.toFixed(0)} ms, ` +
    `yaml package ${yaml.ms.toFixed(0)} ms, same value: ${same}`,
);
