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
npx jest --ci "$@"
