// A small static file server for the demo, the end-to-end tests and the benchmarks.
// Usage: node scripts/serve.mjs [port] [urlPrefix=directory ...]
//   e.g. node scripts/serve.mjs 8080 /=www /pkg/=pkg
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ts': 'text/plain; charset=utf-8',
};

/**
 * Serves files from directories mounted at URL prefixes (longest prefix wins).
 * @param {{ mounts: Record<string, string>, port?: number, host?: string, headers?: Record<string, string> }} options
 * @returns {Promise<{ url: string, close: () => Promise<void> }>}
 */
export async function serveStatic({ mounts, port = 0, host = '127.0.0.1', headers = {} }) {
  const table = Object.entries(mounts)
    .map(([prefix, dir]) => [prefix, resolve(dir)])
    .sort((a, b) => b[0].length - a[0].length);
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url, 'http://x').pathname);
    const mount = table.find(([prefix]) => path.startsWith(prefix));
    if (!mount) return notFound(response);
    const [prefix, dir] = mount;
    let file = resolve(join(dir, path.slice(prefix.length)));
    if (file !== dir && !file.startsWith(dir + sep)) return notFound(response);
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      response.writeHead(200, {
        'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
        'Cache-Control': 'no-store',
        ...headers,
      });
      response.end(body);
    } catch {
      notFound(response);
    }
  });
  await new Promise((done) => server.listen(port, host, done));
  const url = `http://${host}:${server.address().port}`;
  return { url, close: () => new Promise((done) => server.close(() => done())) };
}

function notFound(response) {
  response.writeHead(404, { 'Content-Type': 'text/plain' });
  response.end('not found');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [port = '8080', ...pairs] = process.argv.slice(2);
  const mounts = Object.fromEntries(pairs.map((pair) => pair.split('=')));
  const { url } = await serveStatic({ mounts, port: Number(port) });
  console.log(`serving ${JSON.stringify(mounts)} on ${url}`);
}
