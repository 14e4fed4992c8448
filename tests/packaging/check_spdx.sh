#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# check_spdx.sh SOURCE_DIR [--fix]
# Every source file (C++, CMake, shell, JavaScript, Python) says its licence in an SPDX line
# within its first three lines. --fix adds "SPDX-License-Identifier: GPL-3.0-or-later" where
# it is missing (after a #! line), in the file's comment syntax.
set -eu
src=$1 fix=${2:-}
cd "$src"
if [ -d .git ] || [ -f .git ]; then
  files=$(git ls-files)
else
  files=$(find . -path ./build -prune -o -type f -print | sed 's|^\./||')
fi
line="SPDX-License-Identifier: GPL-3.0-or-later"
missing=0 n=0
for f in $files; do
  case $f in
    *.cpp|*.h|*.mjs|*.js) mark="//" ;;
    *.cmake|*CMakeLists.txt|*.sh|*.py|.ci/run|*/debian/postinst|*/debian/prerm|*/debian/postrm) mark="#" ;;
    *) continue ;;
  esac
  case $f in tests/data/*|*/corpus/*) continue ;; esac
  n=$((n + 1))
  head -n 3 "$f" | grep -q "SPDX-License-Identifier:" && continue
  if [ "$fix" = "--fix" ]; then
    if head -n 1 "$f" | grep -q '^#!'; then
      sed -i "1a $mark $line" "$f"
    else
      sed -i "1i $mark $line" "$f"
    fi
  else
    echo "$f:1: no SPDX-License-Identifier line (tests/packaging/check_spdx.sh . --fix adds it)" >&2
    missing=$((missing + 1))
  fi
done
[ $missing -eq 0 ] || { echo "check_spdx: $missing of $n source files lack an SPDX line" >&2; exit 1; }
echo "check_spdx: all $n source files carry an SPDX-License-Identifier line"
