#!/usr/bin/env bash
# Runs every test file under test/ with node:test (Node 20 has no glob for .ts files).
set -euo pipefail
cd "$(dirname "$0")/.."
# The tests read the shared, read-only test material (logs, cases, security_content) from ../shared.
if [ ! -f ../shared/spec/SEMANTICS.md ]; then
  echo "winnow tests: the tests need the shared data folder beside the repository, as ../shared (no $(cd .. && pwd)/shared/spec/SEMANTICS.md)" >&2
  exit 1
fi
mapfile -t files < <(find test -name '*.test.ts' | sort)
exec node --import tsx --test "${files[@]}" "$@"
