// SPDX-License-Identifier: GPL-3.0-or-later
// Usage: node validate-instances.mjs FORM.xml INSTANCE.xml [INSTANCE.xml ...] [--verbose]
// Validates OpenRosa submission instances against an XForm using ODK's own
// engine (@getodk/xforms-engine restoreInstance), plus checks the engine does
// not report by itself (version, unknown elements, values the engine rejected).
// Exit code 0 = all valid, 1 = some invalid, 2 = form failed to load.
import './dom-env.mjs';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseXML, primaryInstanceRoot, flatten, stripIdx, show, engineNodes } from './xml-util.mjs';
const { loadForm, constants } = await import('@getodk/xforms-engine');

const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const [formPath, ...instancePaths] = args.filter((a) => a !== '--verbose');
const formXML = readFileSync(formPath, 'utf8');
const form = await loadForm(formXML);
if (form.status === 'failure') { console.log('FORM FAILED TO LOAD:', form.error.message); process.exit(2); }
const formRoot = primaryInstanceRoot(parseXML(formXML).doc);
const expect = { name: formRoot.localName, id: formRoot.getAttribute('id'), version: formRoot.getAttribute('version') };

async function validate(instanceXML) {
  const errors = [];
  const warnings = [];
  // -- 1. well-formed + root identity (engine checks only @id, and its message for
  //       malformed XML is "Expected a child element")
  const { doc, error } = parseXML(instanceXML);
  if (error) return { errors: [`XML not well-formed: ${error}`], warnings };
  const r = doc.documentElement;
  if (r.localName !== expect.name) errors.push(`root element <${r.localName}>, form expects <${expect.name}>`);
  if (r.getAttribute('id') !== expect.id) errors.push(`root @id="${r.getAttribute('id')}", form expects "${expect.id}"`);
  if (expect.version != null && r.getAttribute('version') !== expect.version) errors.push(`root @version="${r.getAttribute('version')}", form expects "${expect.version}" (engine does not check this)`);

  // -- 2. restore the instance in ODK's engine
  const data = new FormData();
  data.set(constants.INSTANCE_FILE_NAME, new File([instanceXML], constants.INSTANCE_FILE_NAME, { type: constants.INSTANCE_FILE_TYPE }));
  let inst;
  try {
    inst = await form.restoreInstance({ data: [data] });
  } catch (e) {
    errors.push(`engine restoreInstance: ${e.message}`);
    return { errors, warnings };
  }
  const root = inst.root;
  const nodes = [...engineNodes(root)];
  const byRef = new Map(nodes.map((n) => [n.currentState.reference, n]));
  const repeatPaths = new Set(nodes.filter((n) => n.nodeType.startsWith('repeat-range')).map((n) => stripIdx(n.currentState.reference)));
  const input = flatten(r, repeatPaths);

  // -- 3. per-node state from the engine
  const rows = [];
  for (const n of nodes) {
    const s = n.currentState;
    if (s.children) continue; // leaves only
    const v = n.validationState;
    rows.push(`${s.reference} ${n.nodeType}/${n.valueType} value=${show(s.instanceValue)}` +
      `${s.required ? ' required' : ''}${s.relevant ? '' : ' NON-RELEVANT'}${s.readonly ? ' readonly' : ''}` +
      ` required:${v.required.valid ? 'ok' : 'VIOLATED'} constraint:${v.constraint.valid ? 'ok' : 'VIOLATED'}`);
  }
  // -- 4. engine-reported violations (required/constraint)
  for (const { reference, violation } of root.validationState.violations) {
    errors.push(`${reference}: ${violation.condition} violated${violation.message ? ` (${violation.message.asString})` : ''}`);
  }
  // -- 5. select values must be among the choices (the engine silently drops them,
  //       and then does NOT report a required violation for them)
  for (const { path, value } of input) {
    const n = byRef.get(path);
    if (n?.nodeType !== 'select' || value.trim() === '') continue;
    const tokens = value.trim().split(/\s+/);
    if (n.selectType === 'select1' && tokens.length > 1) errors.push(`${path}: select_one has ${tokens.length} values "${value}"`);
    for (const t of tokens) if (!n.getValueOption(t)) errors.push(`${path}: "${t}" is not a choice (choices: ${n.currentState.valueOptions.map((o) => o.value).join(', ')})`);
  }
  // -- 6. round trip: what the engine re-serialises must equal the input
  const outXML = root.instanceState.instanceXML;
  const out = flatten(parseXML(outXML).doc.documentElement, repeatPaths);
  const outMap = new Map(out.map((e) => [e.path, e.value]));
  const inMap = new Map();
  const dup = new Set();
  for (const { path, value } of input) {
    if (inMap.has(path) && !dup.has(path)) { dup.add(path); errors.push(`${path}: element occurs more than once (engine keeps one)`); }
    if (!inMap.has(path)) inMap.set(path, value);
  }
  for (const [path, value] of inMap) {
    const n = byRef.get(path);
    if (!outMap.has(path)) {
      if (n && !n.currentState.relevant) warnings.push(`${path}: present but non-relevant (dropped from submission)`);
      else errors.push(`${path}: element not in form (engine drops it)`);
    } else if (outMap.get(path) !== value) {
      if (n && n.nodeType !== 'select') errors.push(`${path}: value ${show(value)} is not a valid ${n.valueType} (engine read it as ${show(outMap.get(path))})`);
      else if (!n) errors.push(`${path}: value changed ${show(value)} -> ${show(outMap.get(path))}`);
    }
  }
  for (const [path, value] of outMap) {
    if (!inMap.has(path)) warnings.push(`${path}: missing from submission (engine filled ${show(value)})`);
  }
  // ODK Central rejects submissions without meta/instanceID
  const idNode = nodes.find((n) => /\/meta\/instanceID$/.test(n.currentState.reference));
  if (idNode && !(inMap.get(idNode.currentState.reference) ?? '').trim()) errors.push(`${idNode.currentState.reference}: missing/empty (required by OpenRosa servers)`);
  const order = [...new Set(input.map((e) => e.path))].filter((p) => outMap.has(p));
  const outOrder = out.map((e) => e.path).filter((p) => inMap.has(p));
  if (order.join() !== outOrder.join()) warnings.push('element order differs from the form (engine reorders)');
  // -- 7. the submission payload, as ODK would send it
  const payload = await root.prepareInstancePayload();
  return { errors, warnings, rows, payloadStatus: payload.status, outXML };
}

let bad = 0;
for (const p of instancePaths) {
  const res = await validate(readFileSync(p, 'utf8'));
  const ok = res.errors.length === 0;
  if (!ok) bad++;
  console.log(`${ok ? 'VALID  ' : 'INVALID'} ${basename(p)}${res.payloadStatus ? ` (engine payload status: ${res.payloadStatus})` : ''}`);
  if (verbose && res.rows) for (const row of res.rows) console.log('    ' + row);
  if (verbose && res.outXML) console.log('    engine re-serialised: ' + res.outXML);
  for (const e of res.errors) console.log('    ERROR:', e);
  for (const w of res.warnings) console.log('    WARNING:', w);
}
console.log(`${instancePaths.length - bad} passed, ${bad} failed`);
process.exit(bad ? 1 : 0);
