#!/usr/bin/env bash
# Make a PostgreSQL + PostGIS server reachable for the tests and print a connection URL
# for an administrative database (the tests create and drop their own databases).
set -euo pipefail
if [ -n "${AIGUILLAGE_TEST_POSTGRES_ADMIN_URL:-}" ]; then
  echo "$AIGUILLAGE_TEST_POSTGRES_ADMIN_URL"
  exit 0
fi
version=15
if ! pg_lsclusters -h 2>/dev/null | grep -q "^$version "; then
  pg_createcluster "$version" main >&2
fi
if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $4}' | grep -q online; then
  echo "Démarrage de PostgreSQL $version…" >&2
  pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2
fi
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p 5432 && break
  sleep 1
done
if psql -h 127.0.0.1 -U postgres -d postgres -tAc "select 1" >/dev/null 2>&1; then
  echo "postgresql://postgres@127.0.0.1:5432/postgres"
  exit 0
fi
# Fresh Debian: no trust on TCP. Use the Unix socket with a superuser role named after us.
me="$(id -un)"
if ! runuser -u postgres -- psql -tAc "select 1 from pg_roles where rolname = '$me'" | grep -q 1; then
  runuser -u postgres -- createuser --superuser "$me" >&2
fi
echo "postgresql://$me@/postgres?host=/var/run/postgresql"
