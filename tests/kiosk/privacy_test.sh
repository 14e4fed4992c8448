#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Privacy (issue 5.5): run a scripted session with marker answers, then search every file
# the kiosk could have written (its XDG/state dirs, the working directory, new files in
# /tmp) and its stdout/stderr logs for the markers. Expected hits: zero.
set -u
KIOSK=$1 SCRIPT=$2
root=$(mktemp -d); trap 'rm -rf "$root"' EXIT
mkdir -p "$root/home" "$root/cwd"
touch "$root/start"
( cd "$root/cwd" && HOME="$root/home" XDG_CONFIG_HOME="$root/home/.config" \
    XDG_STATE_HOME="$root/home/.local/state" XDG_CACHE_HOME="$root/home/.cache" \
    XDG_RUNTIME_DIR="$root/run" TMPDIR="$root/tmp" \
    "$KIOSK" --script "$SCRIPT" --today 2026-11-27 >"$root/stdout.log" 2>"$root/stderr.log" )
rc=$?
if [ $rc -ne 0 ]; then echo "FAIL: the scripted session failed (rc=$rc)"; cat "$root/stderr.log"; exit 1; fi
markers='2029-08-17|2029/08/17|20290817|August 17|17 August|Aug 17|2029年8月17日'
# Files in the sandbox, plus files anyone created in /tmp during the run.
files=$(find "$root" -type f ! -name start; find /tmp -xdev -type f -newer "$root/start" ! -path "$root/*" 2>/dev/null)
hits=$(printf '%s\n' "$files" | xargs -r -d '\n' grep -l -a -E "$markers" 2>/dev/null)
lines=$(wc -l <"$root/stderr.log")
echo "searched $(printf '%s\n' "$files" | grep -c .) files ($lines log lines) for the marker answers"
if [ -n "$hits" ]; then echo "FAIL: marker answers found in: $hits"; exit 1; fi
echo "0 hits"
