// SPDX-License-Identifier: GPL-3.0-or-later
// Install a jsdom window as the global DOM *before* importing @getodk/xforms-engine.
// The engine touches DOMParser/document at module top level, so this must run first.
import { JSDOM } from 'jsdom';

const { window } = new JSDOM('<!doctype html><html><body></body></html>', {
  url: 'http://localhost/',
  pretendToBeVisual: false,
});

// Keep Node's own Blob/File/FormData/fetch/URL/crypto/etc. (the engine's
// `instanceof Blob` checks and FormData round-trips must all use one realm).
const keep = new Set(['Blob', 'File', 'FormData', 'fetch', 'Request', 'Response', 'Headers',
  'URL', 'URLSearchParams', 'crypto', 'TextEncoder', 'TextDecoder', 'AbortController',
  'AbortSignal', 'Event', 'EventTarget', 'performance', 'setTimeout', 'clearTimeout',
  'setInterval', 'clearInterval', 'queueMicrotask', 'structuredClone', 'console',
  'ReadableStream', 'WritableStream', 'TransformStream', 'navigator', 'location']);

for (const key of Object.getOwnPropertyNames(window)) {
  if (keep.has(key) || key in globalThis) continue;
  try { globalThis[key] = window[key]; } catch { /* read-only */ }
}
globalThis.window = window;
globalThis.document = window.document;
export { window };

// The bundled emscripten loader for web-tree-sitter (XPath parser) detects Node
// and reads `__dirname`, which does not exist in ES modules. The WASM itself is
// inlined as a data: URL, so any value works; without this, import fails with
// "ReferenceError: __dirname is not defined in ES module scope".
if (typeof globalThis.__dirname === 'undefined') globalThis.__dirname = process.cwd();
