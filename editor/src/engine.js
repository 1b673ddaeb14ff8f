// The WebAssembly engine, inside the bundle: esbuild inlines the .wasm bytes
// (the `binary` loader), so loading the engine makes no request and the
// page's CSP keeps `connect-src 'none'`.

import * as glue from '../../bindings-wasm/pkg/web/canaria_wasm.js';
import wasmBytes from '../../bindings-wasm/pkg/web/canaria_wasm_bg.wasm';
import { wrap } from '../../bindings-wasm/wrapper.js';

/** Compiles the module off the main thread's critical path, then instantiates it. */
export async function loadEngine() {
  const module = await WebAssembly.compile(wasmBytes);
  glue.initSync({ module });
  return wrap(glue);
}
