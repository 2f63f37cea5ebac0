#!/usr/bin/env bash
# `npm test`: makes sure the servers the suite talks to are there (a real Postgres, Debian's
# Chromium for the console's browser tests), then runs every test file through node:test.
# On a fresh Debian machine as root it installs them; elsewhere set TAP_BITRIX24_TEST_PG_URL to a
# Postgres you run and CHROMIUM_PATH to a Chromium binary.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${TAP_BITRIX24_TEST_PG_URL:-}" ]; then
  bash .ci/start-postgres.sh
  export TAP_BITRIX24_TEST_PG_URL="postgres://tap:tap@127.0.0.1:54329/tap_test"
fi
if [ -z "${CHROMIUM_PATH:-}" ] && ! command -v chromium >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

# Node 20's test runner does not expand globs: pass the files explicitly.
mapfile -t files < <(find test -name '*.test.ts' | sort)
exec node --import tsx --test --test-concurrency="${TEST_CONCURRENCY:-2}" "$@" "${files[@]}"
