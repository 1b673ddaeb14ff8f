'use strict';

// RFC 6901 JSON pointers over parsed templates.

function tokens(pointer) {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new Error(`not a JSON pointer: ${pointer}`);
  return pointer.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function get(document, pointer) {
  let node = document;
  for (const token of tokens(pointer)) {
    if (node === null || typeof node !== 'object' || !(token in node)) return undefined;
    node = node[token];
  }
  return node;
}

/** Sets the value at `pointer` in place; an existing key keeps its position. */
function set(document, pointer, value) {
  const path = tokens(pointer);
  const last = path.pop();
  const parent = path.reduce((node, token) => node[token], document);
  if (value === undefined) delete parent[last];
  else parent[last] = value;
}

module.exports = { get, set };
