'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { hello } = require('./handler');

test('hello answers 200 with a JSON body', async () => {
  const response = await hello({});
  assert.equal(response.statusCode, 200);
  assert.equal(typeof JSON.parse(response.body).message, 'string');
});
