'use strict';

// The JavaScript face of canaria's WebAssembly build: the same functions,
// names and results as the N-API addon (canaria-node), over the glue that
// wasm-bindgen generates. Shared by the Node.js entry (index.js) and the
// browser editor.
//
// The wasm build aborts on panic, which traps the instance (`unreachable`).
// A trapped instance must not be called again: its stack and heap are left
// mid-call. So every call goes through `guard`: on a trap it reads the panic
// message from the dead instance, replaces the instance with a fresh one
// (wasm-bindgen's `__wbg_reset_state`, generated with
// --experimental-reset-state-function) and throws an ordinary Error. The
// next call runs on the new instance.

const EXPORTS = ['alertsPass', 'canaryPass', 'compile', 'describeDeploymentType', 'loadYaml', 'resolveConfig', 'toYaml', 'trafficShift', 'validate', 'version'];

function wrap(glue) {
  if (typeof glue.__wbg_reset_state !== 'function') {
    throw new Error('canaria-wasm: the glue was generated without --experimental-reset-state-function');
  }
  let restarts = 0;

  function recover(error) {
    let message = '';
    try {
      message = glue.__takePanic();
    } catch {
      // The dead instance could not even say why; the trap's own message stands.
    }
    glue.__wbg_reset_state();
    restarts += 1;
    const detail = message || (error && error.message) || String(error);
    const wrapped = new Error(`canaria: internal error (the WebAssembly engine was restarted): ${detail}`);
    wrapped.code = 'CANARIA_INTERNAL';
    wrapped.cause = error;
    return wrapped;
  }

  function guard(name) {
    const fn = glue[name];
    return function (...args) {
      try {
        return fn(...args);
      } catch (error) {
        // A trap (a panic is `unreachable`) or a stack overflow inside wasm:
        // the instance is unusable.
        if (error instanceof WebAssembly.RuntimeError || error instanceof RangeError) throw recover(error);
        throw error;
      }
    };
  }

  const api = {};
  for (const name of EXPORTS) api[name] = guard(name);
  // For the tests of the recovery path: how many times an instance was replaced,
  // and a way to make the engine panic on purpose.
  Object.defineProperty(api, '__restarts', { get: () => restarts });
  api.__panicForTests = guard('__panicForTests');
  return api;
}

module.exports = { wrap };
