#!/usr/bin/env bash
# Creates the registry-free base images the fixtures and benchmarks build FROM:
# layerscope-test/busybox:latest (busybox-static rootfs) and, with --debian, layerscope-test/debian:bookworm.
set -euo pipefail

say() { echo "base-images: $*" >&2; }
exists() { docker image inspect "$1" >/dev/null 2>&1; }
import_rootfs() { docker import -c 'CMD ["/bin/sh"]' - "$1" >/dev/null; } # rootfs tar on stdin
work=$(mktemp -d /var/tmp/layerscope-base.XXXXXX)
trap 'rm -rf --one-file-system "$work"' EXIT # never into a leftover /proc or /dev mount

busybox=layerscope-test/busybox:latest
if exists "$busybox"; then
  say "$busybox present"
else
  say "importing $busybox from $(command -v busybox)"
  root=$work/busybox
  mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,root,tmp}
  chmod 1777 "$root/tmp"; chmod 700 "$root/root"
  cp "$(command -v busybox)" "$root/bin/busybox"
  for applet in $(busybox --list-full); do # e.g. bin/sh, usr/bin/awk
    [[ $applet == */* && $applet != bin/busybox ]] || continue
    ln -sf "/bin/busybox" "$root/$applet"
  done
  echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
  echo 'root:x:0:' >"$root/etc/group"
  tar -C "$root" --numeric-owner -c . | import_rootfs "$busybox"
  [[ $(docker run --rm --network=none "$busybox" sh -c 'echo ok') == ok ]] || { say "/bin/sh does not run in $busybox"; exit 1; }
fi

[[ ${1:-} == --debian ]] || exit 0
debian=layerscope-test/debian:bookworm
cache=/var/cache/layerscope/debian-bookworm-minbase.tar
if exists "$debian"; then
  say "$debian present"
  exit 0
fi
if [[ ! -s $cache ]]; then
  say "debootstrap --variant=minbase bookworm (cached at $cache)"
  mkdir -p "${cache%/*}"
  debootstrap --variant=minbase bookworm "$work/debian" >"$work/debootstrap.log" 2>&1 \
    || { tail -n 20 "$work/debootstrap.log" >&2; exit 1; }
  rm -rf "$work/debian"/var/cache/apt/archives/*.deb "$work/debian"/var/lib/apt/lists/*
  tar -C "$work/debian" --numeric-owner -c . >"$cache.part"
  mv "$cache.part" "$cache"
fi
say "importing $debian from $cache"
import_rootfs "$debian" <"$cache"
