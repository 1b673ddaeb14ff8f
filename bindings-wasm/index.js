'use strict';

// canaria's WebAssembly build for Node.js: the same API as canaria-node.
// Build it with `make wasm`; tests choose it with CANARIA_ENGINE=wasm.

const path = require('node:path');
const { wrap } = require('./wrapper');

let glue;
try {
  glue = require('./pkg/node/canaria_wasm.js');
} catch (error) {
  if (error.code !== 'MODULE_NOT_FOUND' || !String(error.message).includes('canaria_wasm')) throw error;
  throw new Error(`canaria-wasm is not built (${path.join(__dirname, 'pkg')} is missing): run \`make wasm\``);
}

module.exports = wrap(glue);
