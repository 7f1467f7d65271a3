#!/usr/bin/env bash
# Runs every test file under test/ with node:test (Node 20 has no glob for .ts files).
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(find test -name '*.test.ts' | sort)
exec node --import tsx --test "${files[@]}" "$@"
