// SPDX-License-Identifier: GPL-3.0-or-later
// Small helpers shared by the check scripts (need dom-env.mjs imported first).
export const XF = 'http://www.w3.org/2002/xforms';
export const JR = 'http://openrosa.org/javarosa';

/** Parse XML with the (jsdom) DOMParser; return {doc} or {error}. */
export function parseXML(text) {
  const doc = new DOMParser().parseFromString(text, 'application/xml');
  const pe = doc.getElementsByTagName('parsererror')[0];
  if (pe) return { error: pe.textContent.trim().split('\n')[0] };
  return { doc };
}

export const childElements = (el) => Array.from(el.children);

/** The primary instance root element of an XForm document. */
export function primaryInstanceRoot(formDoc) {
  const model = formDoc.getElementsByTagNameNS(XF, 'model')[0];
  if (!model) return null;
  const inst = childElements(model).find((e) => e.localName === 'instance' && !e.hasAttribute('id'));
  return inst ? childElements(inst)[0] ?? null : null;
}

/**
 * Flatten an instance tree into [{path, value}] in document order.
 * Elements under `repeatPaths` get a 1-based [n] index like the engine's
 * references (/data/finding[2]/rule). Template (jr:template) elements skipped.
 */
export function flatten(root, repeatPaths = new Set()) {
  const out = [];
  const walk = (el, path) => {
    const kids = childElements(el);
    if (kids.length === 0) { out.push({ path, value: el.textContent }); return; }
    const counters = new Map();
    for (const k of kids) {
      if (k.hasAttributeNS(JR, 'template')) continue;
      const generic = `${stripIdx(path)}/${k.localName}`;
      let p = `${path}/${k.localName}`;
      if (repeatPaths.has(generic)) {
        const n = (counters.get(k.localName) ?? 0) + 1;
        counters.set(k.localName, n);
        p += `[${n}]`;
      }
      walk(k, p);
    }
  };
  walk(root, `/${root.localName}`);
  return out;
}
export const stripIdx = (p) => p.replace(/\[\d+\]/g, '');

/** JSON.stringify that copes with the engine's BigInt (int) and Temporal values. */
export const show = (v) => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x));

/** Depth-first walk over engine nodes (root, groups, repeat ranges/instances, leaves). */
export function* engineNodes(node) {
  yield node;
  for (const c of node.currentState.children ?? []) yield* engineNodes(c);
}
