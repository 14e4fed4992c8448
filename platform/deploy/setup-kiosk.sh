#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# setup-kiosk.sh: turns a Debian 12 machine with the migrant-kiosk package into a kiosk.
# Installed as /usr/share/migrant-kiosk/setup-kiosk.sh; docs/deploy.md lists the same steps
# by hand. Idempotent: running it twice changes nothing more.
#   --tty ttyN        console for the kiosk (default tty1)
#   --no-hardening    skip the logind/sysctl/ctrl-alt-del/CUPS changes (test benches)
set -eu

TTY=tty1
HARDEN=yes
while [ $# -gt 0 ]; do
  case "$1" in
    --tty) TTY="$2"; shift 2 ;;
    --no-hardening) HARDEN=no; shift ;;
    *) echo "setup-kiosk: unknown option $1 (see the top of this script)" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" -eq 0 ] || { echo "setup-kiosk: run as root" >&2; exit 1; }
SHARE=/usr/share/migrant-kiosk

say() { echo "setup-kiosk: $*"; }

# 1. The unprivileged kiosk user (no password, no shell, no home): the package made it from
# its sysusers.d file; made again here if someone deleted it.
if ! id kiosk >/dev/null 2>&1; then
  say "creating system user kiosk"
  systemd-sysusers migrant-kiosk.conf
fi

# 2. Hardening: no spare consoles, no SysRq, no core dumps, no Ctrl-Alt-Del reboot.
if [ "$HARDEN" = yes ]; then
  install -D -m 0644 "$SHARE/hardening/logind-migrant-kiosk.conf" \
    /etc/systemd/logind.conf.d/migrant-kiosk.conf
  install -D -m 0644 "$SHARE/hardening/sysctl-migrant-kiosk.conf" /etc/sysctl.d/90-migrant-kiosk.conf
  sysctl --quiet --load /etc/sysctl.d/90-migrant-kiosk.conf || true
  systemctl mask ctrl-alt-del.target
  # CUPS keeps printed documents for a day by default; a checklist is personal.
  if [ -f /etc/cups/cupsd.conf ]; then
    for directive in "PreserveJobFiles No" "PreserveJobHistory No"; do
      key=${directive%% *}
      if grep -q "^$key " /etc/cups/cupsd.conf; then
        sed -i "s/^$key .*/$directive/" /etc/cups/cupsd.conf
      else
        echo "$directive" >>/etc/cups/cupsd.conf
      fi
    done
    systemctl try-restart cups.service || true
  fi
  say "hardening applied (takes full effect after a reboot)"
fi

# 3. Start the kiosk on the console at boot instead of a login prompt.
systemctl daemon-reload
systemctl enable "cage-kiosk@$TTY.service"
systemctl set-default graphical.target
say "done: reboot, or run: systemctl start cage-kiosk@$TTY.service"
