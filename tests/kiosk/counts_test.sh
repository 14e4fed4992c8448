#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Anonymous counts end to end on the real binary (issue 12): a day of five visits with marker
# answers (scripts/counts-day.kscript), then the kiosk starts the next day and releases the
# closed day into the outbox. Checks: the day's counts reached the disk only as one row per
# cell (no row per visit) while the day was open; the next start queued exactly one sealed
# "counts" item and deleted the day's rows; and no file the kiosk wrote, nor its logs, holds a
# marker answer (the card expiry 2029-08-17 in any spelling).
#   counts_test.sh KIOSK KIOSKCTL SQLITE3 SCRIPT_DIR
set -u
KIOSK=$1 KIOSKCTL=$2 SQLITE3=$3 SCRIPTS=$4
root=$(mktemp -d); trap 'rm -rf "$root"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
mkdir -p "$root/home" "$root/keys"
"$KIOSKCTL" outbox keygen --out "$root/keys" >/dev/null || fail "keygen"
run() {  # run TODAY SCRIPT
  HOME="$root/home" XDG_STATE_HOME="$root/home/.local/state" XDG_CACHE_HOME="$root/home/.cache" \
  TMPDIR="$root/tmp" KIOSK_COUNTS=on KIOSK_OFFICE=test-office \
  KIOSK_OUTBOX_URL=http://127.0.0.1:9/v1/outbox KIOSK_AGENCY_KEY="$(cat "$root/keys/agency.pub")" \
    "$KIOSK" --script "$2" --today "$1" >>"$root/stdout.log" 2>>"$root/stderr.log"
}
mkdir -p "$root/tmp"
touch "$root/start"
run 2026-11-27 "$SCRIPTS/counts-day.kscript" || { cat "$root/stderr.log"; fail "the day's visits"; }
db="$root/home/.local/state/migrant-kiosk/sync.db"
rows=$("$SQLITE3" "$db" "SELECT count(*), count(DISTINCT cell), coalesce(max(n), 0) FROM counts WHERE day = '2026-11-27'")
IFS='|' read -r n distinct biggest <<<"$rows"
[ "$n" -gt 0 ] || fail "no counts on disk after five visits"
[ "$n" = "$distinct" ] || fail "more than one row per cell: $rows"
visits=$("$SQLITE3" "$db" "SELECT n FROM counts WHERE day = '2026-11-27' AND cell = 'visits'")
[ "$visits" = "5" ] || fail "visits counted: '$visits', want 5"
echo "day open: $n cells on disk, one row each, 5 visits"

printf 'expect-screen welcome\n' > "$root/next-day.kscript"
run 2026-11-28 "$root/next-day.kscript" || { cat "$root/stderr.log"; fail "the next day's start"; }
left=$("$SQLITE3" "$db" "SELECT count(*) FROM counts WHERE day = '2026-11-27'")
[ "$left" = "0" ] || fail "$left rows of the closed day left after its release"
items=$("$SQLITE3" "$db" "SELECT kind || ' ' || dest FROM outbox")
[ "$items" = "counts box" ] || fail "outbox holds '$items', want one sealed counts item"
grep -q "counts: 1 closed day(s) queued" "$root/stderr.log" || fail "no log line for the release"
echo "next day: the closed day left as one sealed counts item; its rows deleted"

markers='2029-08-17|2029/08/17|20290817|August 17|17 August|Aug 17|2029年8月17日'
files=$(find "$root" -type f ! -name start ! -name '*.kscript')
hits=$(printf '%s\n' "$files" | xargs -r -d '\n' grep -l -a -E "$markers" 2>/dev/null)
echo "searched $(printf '%s\n' "$files" | grep -c .) files for the marker answers"
[ -z "$hits" ] || fail "marker answers found in: $hits"
echo "0 hits"
