#!/usr/bin/env bash
# Tools the suite needs beyond Node and the engine: the ssh:// tests start a second sshd on
# 127.0.0.1 and talk to it with the system ssh; the TLS tests make certificates with openssl.
set -euo pipefail

missing=()
command -v ssh >/dev/null || missing+=(openssh-client)
[ -x /usr/sbin/sshd ] || missing+=(openssh-server)
command -v ssh-keygen >/dev/null || missing+=(openssh-client)
command -v openssl >/dev/null || missing+=(openssl)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
