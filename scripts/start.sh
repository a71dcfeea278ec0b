#!/usr/bin/env bash
# Runs the whole system: installs what is missing, migrates, loads the demo story on an empty database,
# then runs the API (with the web UI) and the worker until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."

[ -d node_modules ] || { echo "Installing dependencies (npm ci)…"; npm ci --no-audit --no-fund; }
if [ ! -f .env ]; then cp .env.example .env; echo "Created .env from .env.example"; fi
set -a
# shellcheck disable=SC1091
source .env
set +a

node scripts/check-services.js
echo "Building…"
npm run --silent build
node dist/libs/database/src/migrate.js up

if [ "${LOG_FORMAT:-pretty}" = "json" ]; then pretty=""; else pretty=" | node_modules/.bin/pino-pretty --singleLine --ignore pid,hostname,service"; fi

# Both processes run until either stops or Ctrl-C; then both are stopped (SIGTERM: they finish in-flight work).
exec node_modules/.bin/concurrently --kill-others --names worker,api --prefix-colors cyan,magenta \
  "node --enable-source-maps dist/apps/worker/src/main.js 2>&1${pretty}" \
  "node --enable-source-maps dist/apps/api/src/main.js 2>&1${pretty}"
