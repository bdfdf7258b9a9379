#!/usr/bin/env bash
# Install the Debian packages Aiguillage needs, only when they are missing.
#   scripts/ensure-system-packages.sh run   -> what `make run` needs
#   scripts/ensure-system-packages.sh test  -> plus PostgreSQL/PostGIS (server, and the client
#                                             tools pg_dump/pg_restore of `db backup`) and
#                                             Chromium for the tests
set -euo pipefail
mode="${1:-run}"
packages=(python3.11 python3.11-venv libsqlite3-mod-spatialite libsqlite3-dev)
if [ "$mode" = "test" ]; then
  packages+=(postgresql-15 postgresql-client-15 postgresql-15-postgis-3 chromium chromium-driver poppler-utils)
fi
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "Installation des paquets système manquants : ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
