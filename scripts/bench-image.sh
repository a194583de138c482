#!/usr/bin/env bash
# Builds layerscope-bench/big:latest (bench/big/Dockerfile, about 900 MB and 20,000 files) for the
# report benchmark, skipping it when it exists (unless --force); prints its size and file count.
set -euo pipefail

cd "$(dirname "$0")/.."
image=layerscope-bench/big:latest
say() { echo "bench-image: $*" >&2; }

bash scripts/base-images.sh --debian
if [[ ${1:-} != --force ]] && docker image inspect "$image" >/dev/null 2>&1; then
  say "$image present"
else
  say "building $image (about half a minute)"
  out=$(mktemp)
  DOCKER_BUILDKIT=0 docker build --network=host -q -t "$image" bench/big >"$out" 2>&1 || { cat "$out" >&2; rm -f "$out"; exit 1; }
  rm -f "$out"
fi

size=$(docker image inspect -f '{{.Size}}' "$image")
container=$(docker create "$image")
trap 'docker rm "$container" >/dev/null' EXIT
files=$(docker export "$container" | tar -t | wc -l)
echo "$image: $size bytes ($((size / 1000000)) MB), $files files in docker export"
