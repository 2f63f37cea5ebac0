#!/usr/bin/env bash
# Installs Debian's PostgreSQL if missing and starts a throwaway cluster on 127.0.0.1:54329 as the
# postgres user (Postgres refuses to run as root). Idempotent: a running cluster is reused.
set -euo pipefail
PORT=54329
DATA=/tmp/tap-bitrix24-pg
if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
if pg_isready -h 127.0.0.1 -p "$PORT" >/dev/null 2>&1; then
  echo "== postgres already running on $PORT"
  exit 0
fi
rm -rf "$DATA"
mkdir -p "$DATA"
chown postgres:postgres "$DATA"
su postgres -c "$BIN/initdb -D $DATA -A trust -U postgres" >/dev/null
su postgres -c "$BIN/pg_ctl -D $DATA -o '-p $PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off' -l $DATA/log -w start" >/dev/null
su postgres -c "$BIN/psql -h 127.0.0.1 -p $PORT -U postgres -c \"CREATE ROLE tap LOGIN SUPERUSER PASSWORD 'tap'\"" >/dev/null
su postgres -c "$BIN/psql -h 127.0.0.1 -p $PORT -U postgres -c 'CREATE DATABASE tap_test OWNER tap'" >/dev/null
echo "== postgres $($BIN/postgres --version) on 127.0.0.1:$PORT"
