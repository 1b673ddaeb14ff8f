// Builds the editor into editor/dist: index.html, editor.css, and editor.js
// (CodeMirror, the page's code and the WebAssembly engine, inlined).
// Needs the web flavour of the wasm build: `make wasm` first.

import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');
const glue = join(here, '..', 'bindings-wasm', 'pkg', 'web', 'canaria_wasm.js');
if (!existsSync(glue)) {
  console.error(`${glue} is missing: run \`make wasm\` first`);
  process.exit(1);
}

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist);
const result = await build({
  entryPoints: [join(here, 'src', 'main.js')],
  outfile: join(dist, 'editor.js'),
  bundle: true,
  format: 'iife',
  target: 'es2022',
  minify: true,
  legalComments: 'linked',
  metafile: true,
  loader: { '.wasm': 'binary', '.yml': 'text' },
  logLevel: 'warning',
});
copyFileSync(join(here, 'index.html'), join(dist, 'index.html'));
copyFileSync(join(here, 'style.css'), join(dist, 'editor.css'));
const bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
console.log(`editor built into ${dist} (${(bytes / 1024).toFixed(0)} KiB of script)`);
