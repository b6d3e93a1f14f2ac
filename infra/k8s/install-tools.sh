#!/usr/bin/env bash
# Installs the Debian packages the local Kubernetes cluster needs (idempotent): containerd, runc and
# the CNI plugins (the node), buildah and mmdebstrap (images), iptables and conntrack (kube-proxy),
# libseccomp-dev and gcc (the k3s build), socat (the host's 127.0.0.1 ports into the cluster).
set -euo pipefail
LOG_TAG=k8s-tools
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PKGS=(containerd runc containernetworking-plugins buildah mmdebstrap iptables conntrack libseccomp-dev gcc libc6-dev socat iproute2 util-linux)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [[ ${#missing[@]} -gt 0 ]]; then
  [[ "$(id -u)" == 0 ]] || die "run as root to apt-get install ${missing[*]}"
  log "apt-get install ${missing[*]}"
  APT=(env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 -qq)
  "${APT[@]}" update >&2
  # Debian's containerd would start as a service where systemd runs; the cluster runs its own.
  "${APT[@]}" install -y --no-install-recommends "${missing[@]}" >&2
fi
log "tools ready"
