// The editor's state lives in the URL hash, so a link reproduces it with no
// server: `#v1=` then the state's JSON, deflated and base64url-encoded.

const PREFIX = '#v1=';
// A link can hold at most this much text once inflated; more is refused.
const MAX_INFLATED = 4 * 1024 * 1024;

function toBase64Url(bytes) {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text) {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

async function pipe(bytes, stream) {
  const reader = new Blob([bytes]).stream().pipeThrough(stream).getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > MAX_INFLATED) throw new Error('the link holds too much text');
    chunks.push(value);
  }
  return new Uint8Array(await new Blob(chunks).arrayBuffer());
}

/** The hash for a state object. */
export async function encode(state) {
  const json = new TextEncoder().encode(JSON.stringify(state));
  return PREFIX + toBase64Url(await pipe(json, new CompressionStream('deflate-raw')));
}

/** The state in a hash, or null when the hash holds none (or a broken one). */
export async function decode(hash) {
  if (!hash.startsWith(PREFIX)) return null;
  try {
    const json = await pipe(fromBase64Url(hash.slice(PREFIX.length)), new DecompressionStream('deflate-raw'));
    const state = JSON.parse(new TextDecoder().decode(json));
    return state && typeof state === 'object' && typeof state.text === 'string' ? state : null;
  } catch {
    return null;
  }
}
