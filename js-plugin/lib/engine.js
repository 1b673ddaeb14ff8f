'use strict';

// The compiled core. The native addon is the engine for the plugin.
module.exports = require('canaria-node');
