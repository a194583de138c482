#!/usr/bin/env bash
# The whole test suite, as `npm test` runs it: start (or install) a Docker Engine, build the fixture
# images, then run the unit and engine tests. Engine tests are required: no engine, no pass.
set -euo pipefail

cd "$(dirname "$0")/.."
bash scripts/test-tools.sh
bash scripts/engine-up.sh
bash scripts/base-images.sh --debian
bash scripts/fixtures.sh
exec npx vitest run "$@"
