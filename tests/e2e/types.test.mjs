// The package's TypeScript declarations: every README example type-checks against the built
// package with `tsc --strict --noEmit`, a wrong call does not, and the public declarations use
// no `any`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ROOT } from '../support/harness.mjs';

const dir = mkdtempSync(join(tmpdir(), 'wt-types-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The application values README examples refer to without defining them. */
const CONTEXT = `
import type { LlmTelemetry, TelemetryCollector } from 'wasm-telemetry';
declare global {
  const telemetry: TelemetryCollector;
  const llm: LlmTelemetry;
  const error: unknown;
  const response: { usage: Record<string, unknown> };
  const completion: { usage: Record<string, unknown> };
}
export {};
`;

function tsconfig(files) {
  return JSON.stringify({
    compilerOptions: {
      strict: true,
      noEmit: true,
      target: 'es2022',
      module: 'esnext',
      moduleResolution: 'bundler',
      jsx: 'react-jsx',
      lib: ['es2022', 'dom', 'dom.iterable'],
      skipLibCheck: false,
      types: [],
      typeRoots: [join(ROOT, 'node_modules/@types')],
      baseUrl: ROOT,
      paths: {
        'wasm-telemetry': ['pkg/index.d.ts'],
        'wasm-telemetry/web': ['pkg/web.d.ts'],
        'wasm-telemetry/collector': ['pkg/collector.d.ts'],
        'wasm-telemetry/react': ['pkg/react.d.ts'],
        react: ['node_modules/@types/react/index.d.ts'],
        'react/jsx-runtime': ['node_modules/@types/react/jsx-runtime.d.ts'],
        'react-dom/client': ['node_modules/@types/react-dom/client.d.ts'],
      },
    },
    files,
  });
}

function typeCheck(name, sources) {
  const root = join(dir, name);
  spawnSync('mkdir', ['-p', root]);
  const files = [];
  for (const [file, text] of Object.entries(sources)) {
    writeFileSync(join(root, file), text);
    files.push(file);
  }
  writeFileSync(join(root, 'tsconfig.json'), tsconfig(files));
  return spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.json')], { encoding: 'utf8' });
}

test('every README example type-checks with tsc --strict against the built package', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```(js|ts|tsx|jsx)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1], code: m[2] }));
  assert.ok(blocks.length >= 7, `found ${blocks.length} examples`);
  const sources = { 'context.d.ts': CONTEXT };
  blocks.forEach(({ lang, code }, i) => {
    const jsx = lang === 'tsx' || lang === 'jsx';
    // Each example is its own module (a trailing export makes a script into one).
    sources[`example${i}.${jsx ? 'tsx' : 'ts'}`] = `${code}\nexport {};\n`;
  });
  const run = typeCheck('readme', sources);
  assert.equal(run.status, 0, `${run.stdout}${run.stderr}`);
});

test('a wrong call does not type-check (the check bites)', () => {
  const run = typeCheck('wrong', {
    'wrong.ts': `
      import { TelemetryCollector, LlmTelemetry } from 'wasm-telemetry';
      const c = new TelemetryCollector({ samplingRate: 'high' });
      const llm = new LlmTelemetry(c, { budgets: { weekly: 3 } });
      const total: string = llm.getSummary().total.totalCost;
      export {};
    `,
  });
  assert.notEqual(run.status, 0);
  const errors = run.stdout.split('\n').filter((line) => line.includes('error TS'));
  assert.equal(errors.length, 3, run.stdout);
});

test('the public declarations name every shape: no any', () => {
  const files = readdirSync(join(ROOT, 'pkg')).filter((name) => name.endsWith('.d.ts'));
  assert.ok(files.includes('module-types.d.ts') && files.includes('collector.d.ts'), `${files}`);
  for (const file of files) {
    const text = readFileSync(join(ROOT, 'pkg', file), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
    const found = text.split('\n').filter((line) => /\bany\b/.test(line));
    assert.deepEqual(found, [], file);
  }
});
