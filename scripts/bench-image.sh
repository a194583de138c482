#!/usr/bin/env bash
# Builds the benchmark images, skipping each that exists (unless --force), and prints its size and
# file count: layerscope-bench/big:latest (bench/big/Dockerfile, about 900 MB and 22,000 files) and
# layerscope-bench/many:latest (bench/many/Dockerfile, about 200,000 tar entries of small files).
set -euo pipefail

cd "$(dirname "$0")/.."
say() { echo "bench-image: $*" >&2; }

bash scripts/base-images.sh --debian
for name in big many; do
  image=layerscope-bench/$name:latest
  if [[ ${1:-} != --force ]] && docker image inspect "$image" >/dev/null 2>&1; then
    say "$image present"
  else
    say "building $image (a minute or two)"
    out=$(mktemp)
    DOCKER_BUILDKIT=0 docker build --network=host -q -t "$image" "bench/$name" >"$out" 2>&1 || { cat "$out" >&2; rm -f "$out"; exit 1; }
    rm -f "$out"
  fi
  size=$(docker image inspect -f '{{.Size}}' "$image")
  container=$(docker create "$image")
  files=$(docker export "$container" | tar -t | wc -l)
  docker rm "$container" >/dev/null
  echo "$image: $size bytes ($((size / 1000000)) MB), $files files in docker export"
done
