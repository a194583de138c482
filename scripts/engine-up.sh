#!/usr/bin/env bash
# Makes a Docker Engine reachable (CI on a fresh Debian machine, or a developer's box): installs
# the packages the engine tests need and starts a detached dockerd unless `docker info` already works.
set -euo pipefail

log=/var/log/layerscope-dockerd.log
say() { echo "engine-up: $*" >&2; }
installed() { [[ $(dpkg-query -W -f='${Status}' "$1" 2>/dev/null) == 'install ok installed' ]]; }
available() { [[ $(apt-cache policy "$1" 2>/dev/null) == *'Candidate: '[0-9]* ]]; }
apt_quiet() { # apt-get with its chatter kept in a file that is shown only on failure
  local out; out=$(mktemp)
  DEBIAN_FRONTEND=noninteractive apt-get "$@" >"$out" 2>&1 || { tail -n 20 "$out" >&2; rm -f "$out"; return 1; }
  rm -f "$out"
}

# Packages: docker.io only when there is no dockerd; skopeo (OCI layouts, the two-platform registry image) only when apt has it.
missing=()
command -v dockerd >/dev/null && command -v docker >/dev/null || missing+=(docker.io)
# docker-registry (Distribution v2), apache2-utils (htpasswd) and openssl: the registry tests' registries.
for pkg in busybox-static debootstrap tmux docker-registry apache2-utils openssl; do installed "$pkg" || missing+=("$pkg"); done
if ! installed skopeo && { ((${#missing[@]})) || available skopeo; }; then want_skopeo=1; else want_skopeo=0; fi
if ((${#missing[@]} + want_skopeo)); then
  say "installing ${missing[*]} $( ((want_skopeo)) && echo skopeo)"
  apt_quiet update
  ((${#missing[@]} == 0)) || apt_quiet install -y "${missing[@]}"
  if ((want_skopeo)); then
    if available skopeo; then apt_quiet install -y skopeo || say "skopeo did not install; continuing"
    else say "skopeo is not available from apt; continuing without it"; fi
  fi
fi

if timeout 20 docker info >/dev/null 2>&1; then exit 0; fi

# Start dockerd in its own session, on /dev/null and the log only, with no other inherited fds,
# so that it outlives this script and a caller that captures our output does not wait for it.
say "starting dockerd (log: $log)"
(
  cd /
  for fd in "/proc/$BASHPID/fd/"*; do fd=${fd##*/}; ((fd > 2)) && eval "exec $fd>&-"; done
  exec setsid nohup dockerd --iptables=false --bridge=none </dev/null >>"$log" 2>&1
) &
pid=$! # dockerd itself: setsid and nohup exec into it
for _ in $(seq 60); do
  timeout 5 docker info >/dev/null 2>&1 && { say "engine ready"; exit 0; }
  kill -0 "$pid" 2>/dev/null || break
  sleep 1
done
say "no engine (dockerd $(kill -0 "$pid" 2>/dev/null && echo 'still starting after 60 s' || echo exited)); last lines of $log:"
tail -n 20 "$log" >&2
exit 1
