// Minifies the package's JavaScript in place (pkg/): the modules carry every doc comment and
// long internal names; what a page downloads should not. Declarations (.d.ts) keep
// the documentation.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { minifySync } from 'rolldown/experimental';

const pkg = join(import.meta.dirname, '..', 'pkg');

function scripts(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return scripts(path);
    return name.endsWith('.js') ? [path] : [];
  });
}

for (const file of scripts(pkg)) {
  const source = readFileSync(file, 'utf8');
  // loader.js is a classic script; everything else is an ES module.
  const module = !file.endsWith('loader.js');
  const result = minifySync(file, source, { compress: true, mangle: true, module });
  if (result.errors?.length) {
    throw new Error(`${file}: ${result.errors.map((e) => e.message).join('; ')}`);
  }
  // Bundlers find the .wasm through `new URL('…', import.meta.url)`; keep its argument a plain
  // string literal, which every bundler recognises (the minifier prefers backticks).
  const code = result.code.replace(/new URL\(`([^`$]+)`,\s*import\.meta\.url\)/g, "new URL('$1',import.meta.url)");
  writeFileSync(file, code);
}
