#!/usr/bin/env bash
# Build the VS Code extension into kinerja-<version>.vsix (not committed):
#   editors/vscode/build.sh
# Needs node >= 20 and npm. Installs the pinned dependencies (package-lock.json) from the npm
# registry, then packages with vsce (@vscode/vsce, a dev dependency). Install the result with
#   code --install-extension editors/vscode/kinerja-<version>.vsix
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund
version="$(node -p "require('./package.json').version")"
npx --no-install vsce package --skip-license --allow-missing-repository --out "kinerja-${version}.vsix"
echo "built $(pwd)/kinerja-${version}.vsix"
