// `npm run prices`: regenerates the bundled LLM price table (prices/src/table.rs) from the pinned
// genai-prices dataset. The provider data comes from the npm package's own `findProvider`; the
// conversion is the Rust reader `setPricing` uses (prices/examples/generate.rs).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findProvider } from '@pydantic/genai-prices';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// The dataset: the version package.json pins and the date that version was published.
const dataset = { name: '@pydantic/genai-prices', version: '0.1.8', published: '2026-09-23' };
const installed = JSON.parse(
  readFileSync(join(root, 'node_modules', '@pydantic', 'genai-prices', 'package.json'), 'utf8'),
).version;
if (installed !== dataset.version) {
  throw new Error(`@pydantic/genai-prices ${installed} is installed; the table is pinned to ${dataset.version}`);
}

const providers = ['anthropic', 'google', 'openai'].map((providerId) => findProvider({ providerId }));
mkdirSync(join(root, 'target'), { recursive: true });
const extracted = join(root, 'target', 'genai-prices.json');
writeFileSync(extracted, JSON.stringify(providers));
const table = join(root, 'prices', 'src', 'table.rs');
const run = (command, args) => execFileSync(command, args, { cwd: root, stdio: 'inherit' });
run('cargo', ['run', '--quiet', '-p', 'wasm-telemetry-prices', '--features', 'serde_json', '--example', 'generate', '--',
  extracted, table, dataset.name, dataset.version, dataset.published]);
run('rustfmt', ['--edition', '2021', table]);
