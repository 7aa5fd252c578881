#!/usr/bin/env bash
# Build the studio page into engine/service/static/ (committed: pip install needs no Node):
#   studio/build.sh            # npm ci (pinned by package-lock.json), then esbuild
#   studio/build.sh OUTDIR     # build elsewhere (the test compares that with the committed files)
# Needs node >= 18 and npm, reaching the npm registry.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --loglevel=error
node build.mjs "$@"
