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

names="worker,api"
commands=("node --enable-source-maps dist/apps/worker/src/main.js 2>&1${pretty}" \
  "node --enable-source-maps dist/apps/api/src/main.js 2>&1${pretty}")
# No SMTP server listening on a local SMTP_URL: run the development mail catcher so reminders have somewhere to go.
if node scripts/smtp-free.js; then
  names="$names,mail"
  commands+=("node scripts/mail-catcher.js")
fi

# All run until one stops or Ctrl-C; then all are stopped (SIGTERM: the worker finishes in-flight work).
exec node_modules/.bin/concurrently --kill-others --names "$names" --prefix-colors cyan,magenta,yellow "${commands[@]}"
