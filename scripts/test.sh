#!/usr/bin/env bash
# `npm test`: installs what the tests need, type-checks, lints, builds and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --no-audit --no-fund
bash scripts/install-test-deps.sh
export PATH="$PATH:/usr/sbin:/sbin"
npx tsc -p tsconfig.json
npx eslint --max-warnings 0 --report-unused-disable-directives .
node scripts/run-tests.mjs "$@"
