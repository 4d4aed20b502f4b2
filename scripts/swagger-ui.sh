#!/usr/bin/env bash
# Refreshes the Swagger UI assets embedded in internal/openapi/ui from npm's swagger-ui-dist
# (the served files are committed; nothing is fetched at run time).
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=${1:-5.17.14}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack "swagger-ui-dist@$VERSION" >/dev/null && tar xzf swagger-ui-dist-*.tgz)
for f in swagger-ui-bundle.js swagger-ui-standalone-preset.js swagger-ui.css favicon-16x16.png favicon-32x32.png LICENSE NOTICE; do
  cp "$tmp/package/$f" internal/openapi/ui/
done
echo "$VERSION" > internal/openapi/ui/VERSION
echo "swagger-ui-dist $VERSION in internal/openapi/ui"
