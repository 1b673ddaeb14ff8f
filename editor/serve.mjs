// Serves editor/dist on localhost only: `make serve-editor` (PORT=8080 by
// default). Static files, no directory listing, nothing outside dist.

import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), 'dist');
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.txt': 'text/plain; charset=utf-8', '.wasm': 'application/wasm' };

/** A server for `root`; `listen` it yourself. */
export function editorServer(dir = root) {
  return createServer(async (request, response) => {
    try {
      const pathname = decodeURIComponent(new URL(request.url, 'http://localhost').pathname);
      const file = normalize(join(dir, pathname === '/' ? 'index.html' : pathname));
      if (!file.startsWith(dir + sep) || request.method !== 'GET') throw new Error('not here');
      const body = await readFile(file);
      response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(process.env.PORT ?? 8080);
  editorServer().listen(port, '127.0.0.1', () => console.log(`canaria editor: http://127.0.0.1:${port}/`));
}
