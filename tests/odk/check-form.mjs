// SPDX-License-Identifier: GPL-3.0-or-later
// Usage: node check-form.mjs FORM.xml
// Loads an XForm in ODK's engine (@getodk/xforms-engine), creates a blank
// instance, adds a repeat instance, prints the node tree with labels in every
// itext language, plus lint checks the engine itself does NOT do.
// Exit code 0 = OK, 1 = errors.
import './dom-env.mjs';
import { readFileSync } from 'node:fs';
import { parseXML, primaryInstanceRoot, flatten, show, engineNodes, XF } from './xml-util.mjs';
const { loadForm } = await import('@getodk/xforms-engine');

const errors = [];
const warnings = [];
const formXML = readFileSync(process.argv[2], 'utf8');

// 1. Well-formedness. (Engine's own message for malformed XML is useless:
//    "Failed to evaluate node for expression /h:html".)
const { doc, error } = parseXML(formXML);
if (error) errors.push(`XML not well-formed: ${error}`);

// 2. ODK engine: parse + compile the form.
const result = await loadForm(formXML);
console.log('loadForm status:', result.status);
if (result.status === 'failure') {
  errors.push(`engine: ${result.error.message}`);
  for (const c of result.error.errors ?? []) if (c?.message !== result.error.message) errors.push(`engine cause: ${c?.message}`);
} else {
  if (result.warnings) warnings.push(`engine warnings: ${show(result.warnings)}`);
  // 3. Instantiate. Some errors (e.g. unknown XPath functions) only surface here.
  try {
    const { root } = await result.createInstance();
    console.log('languages:', root.languages.map((l) => `${l.language}${l.isDefault ? '(default)' : ''}`).join(', '));
    // add one instance to each repeat so its children get instantiated too
    for (const n of engineNodes(root)) if (n.nodeType === 'repeat-range:uncontrolled' && n.currentState.children.length === 0) n.addInstances();
    for (const lang of root.languages) {
      if (lang.language === '') continue;   // synthetic "no language" entry when no itext
      root.setLanguage(lang);
      console.log(`--- tree [${lang.language}]`);
      for (const n of engineNodes(root)) {
        const s = n.currentState;
        const depth = s.reference.split('/').length - 2;
        const label = s.label?.asString ?? '';
        let line = `${'  '.repeat(depth)}${n.nodeType} ${s.reference}`;
        if (n.valueType) line += ` type=${n.valueType}`;
        if (s.required) line += ' required';
        if (s.readonly) line += ' readonly';
        if (label) line += ` label=${show(label)}`;
        if (n.nodeType === 'select') line += ` choices=${s.valueOptions.map((o) => `${o.value}:${o.label?.asString}`).join('|')}`;
        console.log(line);
        if (['input', 'select'].includes(n.nodeType) && !label) warnings.push(`[${lang.language}] ${s.reference}: control has no label text`);
      }
    }
    const blank = await root.prepareInstancePayload();
    console.log('blank instance (payload status %s):', blank.status);
    console.log(await blank.data[0].get('xml_submission_file').text());
  } catch (e) {
    errors.push(`engine createInstance: ${e.constructor.name}: ${e.message}`);
  }
}

// 4. Lint what the engine silently tolerates.
if (doc) {
  const root = primaryInstanceRoot(doc);
  if (!root) errors.push('no primary <instance>');
  else {
    if (!root.getAttribute('id')) errors.push('primary instance root has no id');
    if (!root.getAttribute('version')) warnings.push('primary instance root has no version');
    const paths = new Set();
    (function walk(el, p) { paths.add(p); for (const k of el.children) walk(k, `${p}/${k.localName}`); })(root, `/${root.localName}`);
    const TYPES = new Set(['string', 'int', 'integer', 'boolean', 'decimal', 'date', 'time', 'dateTime', 'geopoint', 'geotrace', 'geoshape', 'binary', 'barcode', 'intent', 'select', 'select1', 'rank', 'odk:rank']);
    for (const b of doc.getElementsByTagNameNS(XF, 'bind')) {
      const ns = b.getAttribute('nodeset');
      if (/^\/[\w.:/-]+$/.test(ns) && !paths.has(ns)) errors.push(`<bind nodeset="${ns}"> matches no instance node (engine ignores it)`);
      const t = b.getAttribute('type');
      if (t && !TYPES.has(t.replace(/^xsd:/, ''))) errors.push(`<bind nodeset="${ns}" type="${t}">: unknown type (engine falls back to string)`);
    }
    const body = doc.getElementsByTagNameNS('http://www.w3.org/1999/xhtml', 'body')[0];
    for (const el of body ? body.querySelectorAll('[ref], [nodeset]') : []) {
      const ref = el.getAttribute('ref') ?? el.getAttribute('nodeset');
      if (el.localName === 'label' || el.localName === 'hint') continue;
      if (/^\/[\w.:/-]+$/.test(ref) && !paths.has(ref)) errors.push(`<${el.localName} ref="${ref}"> matches no instance node (engine drops the control)`);
    }
    // itext: every jr:itext('id') used must exist in every translation
    const translations = Array.from(doc.getElementsByTagNameNS(XF, 'translation'));
    const used = new Set([...formXML.matchAll(/jr:itext\('([^']+)'\)/g)].map((m) => m[1]));
    for (const tr of translations) {
      const ids = new Set(Array.from(tr.getElementsByTagNameNS(XF, 'text')).map((t) => t.getAttribute('id')));
      for (const id of used) if (!ids.has(id)) errors.push(`itext id "${id}" missing in translation lang="${tr.getAttribute('lang')}" (engine shows empty label)`);
    }
  }
}

for (const w of warnings) console.log('WARNING:', w);
for (const e of errors) console.log('ERROR:', e);
console.log(errors.length ? 'FORM INVALID' : 'FORM OK');
process.exit(errors.length ? 1 : 0);
