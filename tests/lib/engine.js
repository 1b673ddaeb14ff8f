'use strict';

// The engine the tests run on: the native addon (canaria-node) by default,
// the WebAssembly build (canaria-wasm) with CANARIA_ENGINE=wasm. Both expose
// the same functions with the same results, so the same tests run on both;
// `make test` runs the engine tests once per engine.

const ENGINES = { native: 'canaria-node', wasm: 'canaria-wasm' };

const name = process.env.CANARIA_ENGINE || 'native';
if (!Object.hasOwn(ENGINES, name)) {
  throw new Error(`CANARIA_ENGINE=${name}: expected one of ${Object.keys(ENGINES).join(', ')}`);
}

module.exports = { name, engine: require(ENGINES[name]), load: (other) => require(ENGINES[other]) };
