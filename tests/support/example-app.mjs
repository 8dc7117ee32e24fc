// The example React app (examples/react-app) as a user installs it: copied without its
// node_modules and dist, with the packed package installed from the tarball `npm pack` makes.
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './harness.mjs';

/** Copies the example into `<work>/app` and installs the packed package there; returns the app. */
export function installExampleApp(work) {
  const app = join(work, 'app');
  cpSync(join(ROOT, 'examples/react-app'), app, { recursive: true, filter: (path) => !path.includes('node_modules') && !path.includes('/dist') });
  execFileSync('npm', ['pack', join(ROOT, 'pkg'), '--pack-destination', work, '--silent'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const tarball = readdirSync(work).find((name) => name.endsWith('.tgz'));
  execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', join(work, tarball)], { cwd: app, stdio: ['ignore', 'ignore', 'inherit'] });
  return app;
}

/** Builds the app with Vite (`args` added, `env` beside the process's); returns nothing. */
export function viteBuildApp(app, args, env = {}) {
  execFileSync(join(app, 'node_modules/.bin/vite'), ['build', '--logLevel', 'warn', ...args], {
    cwd: app,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}
