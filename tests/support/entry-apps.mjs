// The package as an application installs it: `npm pack` of pkg/, unpacked into a fresh
// node_modules, and one Vite app per entry (tests/apps/<entry>) built against it. Used by the
// entry tests and by `npm run size`.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';

const ROOT = join(import.meta.dirname, '../..');

/** The package entries: name, import specifier, and the app that uses it. */
export const ENTRIES = [
  { name: 'collector', specifier: 'wasm-telemetry/collector', budgetKb: 30 },
  { name: 'web', specifier: 'wasm-telemetry/web', budgetKb: 40 },
  { name: 'full', specifier: 'wasm-telemetry', budgetKb: 64 },
];

/**
 * Packs pkg/ with `npm pack` and unpacks it into `<work>/node_modules/wasm-telemetry`; returns
 * `work`, a directory in which apps resolve `wasm-telemetry` as an installed package.
 */
export function installPackedPackage() {
  const work = mkdtempSync(join(tmpdir(), 'wt-entries-'));
  execFileSync('npm', ['pack', join(ROOT, 'pkg'), '--pack-destination', work, '--silent'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const tarball = readdirSync(work).find((name) => name.endsWith('.tgz'));
  const target = join(work, 'node_modules', 'wasm-telemetry');
  mkdirSync(target, { recursive: true });
  execFileSync('tar', ['-xzf', join(work, tarball), '-C', target, '--strip-components=1']);
  // React, the bindings' peer dependency, as the app would have it installed.
  for (const peer of ['react', 'react-dom', 'scheduler']) {
    symlinkSync(join(ROOT, 'node_modules', peer), join(work, 'node_modules', peer));
  }
  return work;
}

/**
 * Builds `tests/apps/<app>` with Vite (production mode, minified) inside `work`; returns the
 * output directory.
 */
export async function buildApp(work, app) {
  const root = join(work, 'apps', app);
  cpSync(join(ROOT, 'tests/apps', app), root, { recursive: true });
  return viteBuild(root);
}

/**
 * Builds the app whose index.html is in `root` with the settings `buildApp` uses; returns the
 * output directory (`<root>/dist`). `npm run size` builds its peer apps with it.
 */
export async function viteBuild(root) {
  const outDir = join(root, 'dist');
  await build({ root, logLevel: 'warn', configFile: false, build: { outDir, emptyOutDir: true } });
  return outDir;
}
