'use strict';

// The compiled core. The native addon is the engine for the plugin;
// CANARIA_ENGINE=wasm runs the plugin on the WebAssembly build instead (the
// same API), which the tests use to run `sls package` on both.
module.exports = process.env.CANARIA_ENGINE === 'wasm' ? require('canaria-wasm') : require('canaria-node');
