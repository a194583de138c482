#!/usr/bin/env bash
# Builds the fixture images of test/engine/fixtures (one directory each) with the classic builder,
# skipping any whose directory has not changed since it was built (a content hash in a label).
set -euo pipefail

cd "$(dirname "$0")/.."
# Rebuild on a new base image too.
base=$(docker image inspect -f '{{.Id}}' layerscope-test/busybox:latest layerscope-test/debian:bookworm)
for dir in test/engine/fixtures/*/; do
  name=$(basename "$dir")
  image="layerscope-fixture/$name:latest"
  hash=$(cd "$dir" && { echo "$base"; find . -type f -print0 | sort -z | xargs -0 sha256sum; } | sha256sum | cut -c1-16)
  built=$(docker image inspect -f '{{index .Config.Labels "layerscope.fixture-hash"}}' "$image" 2>/dev/null || true)
  [ "$built" = "$hash" ] && continue
  printf 'fixtures: building %s\n' "$image" >&2
  if ! out=$(DOCKER_BUILDKIT=0 docker build --network=host -q --label "layerscope.fixture-hash=$hash" -t "$image" "$dir" 2>&1); then
    printf "%s\n" "$out" >&2
    exit 1
  fi
done
