#!/usr/bin/env bash
# The whole test suite: type check, lint, then unit, integration and end-to-end tests against the real
# PostgreSQL and Redis (each test makes its own database and Redis key prefix, and removes them).
set -euo pipefail
cd "$(dirname "$0")/.."

[ -d node_modules ] || { echo "Installing dependencies (npm ci)…"; npm ci --no-audit --no-fund; }
node scripts/check-services.js --test
npm run --silent typecheck
npm run --silent lint
npm run --silent build
# The suites wait on PostgreSQL, Redis and Chromium most of the time, so two run at once even on two cores (jest's
# default there is one): 349 s instead of 515 s for the whole suite on a 2-core machine.
workers=$(node -p "Math.max(2, require('node:os').availableParallelism() - 1)")
npx jest --ci --maxWorkers="$workers" "$@"
