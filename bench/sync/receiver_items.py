#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Items/s into kiosk-receiver: N small items (default 10,000) POSTed over C concurrent
kept-alive connections (default 1 and 8), then the database is counted: every item stored
exactly once. Prints items/s per concurrency and what the receiver spent its time on.

  bench/sync/receiver_items.py RECEIVER_BIN [N] [CONCURRENCY...]
  bench/sync/receiver_run.sh [N]        (builds an optimised receiver first)
"""
import http.client
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time


def start(binary, db):
    p = subprocess.Popen([binary, "--port", "0", "--db", db], stdout=subprocess.PIPE, text=True)
    line = p.stdout.readline()
    if not line.startswith("listening on"):
        raise SystemExit("receiver did not start: " + line)
    return p, int(line.rsplit(":", 1)[1])


def post_all(port, keys, body, errors):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for key in keys:
        conn.request("POST", "/v1/outbox", body=body,
                     headers={"Idempotency-Key": key, "X-Kiosk-Item-Kind": "bench",
                              "Content-Type": "application/octet-stream"})
        r = conn.getresponse()
        r.read()
        if r.status != 201:
            errors.append(r.status)
    conn.close()


def run(binary, n, concurrency):
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "items.db")
        proc, port = start(binary, db)
        try:
            body = os.urandom(200)  # about the size of a sealed counts item
            keys = ["%032x" % (concurrency << 64 | i) for i in range(n)]
            errors = []
            threads = [threading.Thread(target=post_all, args=(port, keys[i::concurrency], body, errors))
                       for i in range(concurrency)]
            cpu0 = os.times()
            t0 = time.monotonic()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            took = time.monotonic() - t0
            cpu1 = os.times()
            # The receiver's own CPU time (utime + stime, clock ticks) before it stops.
            fields = open(f"/proc/{proc.pid}/stat").read().rsplit(")", 1)[1].split()
            receiver_cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        finally:
            proc.terminate()
            proc.wait()
        stored = sqlite3.connect(db).execute("SELECT COUNT(*), COUNT(DISTINCT idem_key) FROM items").fetchone()
        client_cpu = (cpu1.user - cpu0.user) + (cpu1.system - cpu0.system)
        print(f"{concurrency:3d} connection(s): {n} items in {took:.2f} s = {n / took:7.0f} items/s; "
              f"stored {stored[0]} ({stored[1]} distinct), errors {len(errors)}; "
              f"CPU: receiver {receiver_cpu:.1f} s, this client {client_cpu:.1f} s")
        if stored != (n, n) or errors:
            sys.exit(1)


def main():
    binary = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
    for c in [int(x) for x in sys.argv[3:]] or [1, 8]:
        run(binary, n, c)


if __name__ == "__main__":
    main()
