#!/usr/bin/env bash
# Copy the front-end libraries from their npm packages into web/static/vendor/, with their
# licences. The copies are committed, so `make run` needs neither Node.js nor the network;
# run `make assets` after changing a version in package.json.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --silent --no-audit --no-fund 2>/dev/null || npm install --silent --no-audit --no-fund
vendor=web/static/vendor
rm -rf "$vendor"
mkdir -p "$vendor/leaflet" "$vendor/leaflet.markercluster"
cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css "$vendor/leaflet/"
cp -r node_modules/leaflet/dist/images "$vendor/leaflet/"
cp node_modules/leaflet/LICENSE "$vendor/leaflet/LICENSE"
cp node_modules/leaflet.markercluster/dist/leaflet.markercluster.js \
   node_modules/leaflet.markercluster/dist/MarkerCluster.css \
   node_modules/leaflet.markercluster/dist/MarkerCluster.Default.css "$vendor/leaflet.markercluster/"
cp node_modules/leaflet.markercluster/MIT-LICENCE.txt "$vendor/leaflet.markercluster/LICENSE"
node -e '
const fs = require("fs");
const lock = JSON.parse(fs.readFileSync("package-lock.json"));
const out = {};
for (const name of ["leaflet", "leaflet.markercluster"]) {
  const p = lock.packages["node_modules/" + name];
  out[name] = {version: p.version, integrity: p.integrity, license: p.license};
}
fs.writeFileSync("web/static/vendor/VERSIONS.json", JSON.stringify(out, null, 2) + "\n");
'
echo "Bibliothèques copiées dans $vendor"
