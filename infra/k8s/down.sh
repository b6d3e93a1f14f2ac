#!/usr/bin/env bash
# Removes everything infra/k8s/up.sh made: the relays, k3s, containerd and every container it ran,
# their mounts and cgroups, the network namespaces (the node's, with the pod bridge and kube-proxy's
# iptables chains, and the pods'), and the state directory (images, volumes, logs). Idempotent.
# Keeps the caches (~/.cache/dueflow: k3s, images). Env: DUEFLOW_K8S_DIR.
set -euo pipefail
LOG_TAG=k8s-down
. "$(dirname "${BASH_SOURCE[0]}")/cluster.sh"
[[ "$(id -u)" == 0 ]] || die "run as root"

stop_pid() {  # name, signal: stops a process up.sh recorded, and waits for it
  local f="$K8S_DIR/run/$1.pid" pid i
  [[ -f "$f" ]] || return 0
  pid="$(cat "$f")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "-${2:-TERM}" "$pid" 2>/dev/null || true
    for i in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$f"
}

for r in web apiserver; do stop_pid "$r-out"; stop_pid "$r-in"; done

# The pods first (through the CRI, while containerd runs), so their shims and netns go with them.
if [[ -S "$CONTAINERD_SOCK" ]] && [[ -x "$CACHE_ROOT/k3s/$K3S_MODULE_VERSION/crictl" ]]; then
  stop_pid k3s
  CRICTL=("$CACHE_ROOT/k3s/$K3S_MODULE_VERSION/crictl" --runtime-endpoint "unix://$CONTAINERD_SOCK" --timeout 30s)
  "${CRICTL[@]}" stopp $("${CRICTL[@]}" pods -q 2>/dev/null) >/dev/null 2>&1 || true
  "${CRICTL[@]}" rmp -f $("${CRICTL[@]}" pods -q 2>/dev/null) >/dev/null 2>&1 || true
fi
stop_pid k3s
stop_pid containerd

# Shims left behind belong to this containerd (their -address is its socket).
for p in /proc/[0-9]*; do
  cmd="$(tr '\0' ' ' 2>/dev/null <"$p/cmdline" || true)"
  if [[ "$cmd" == *containerd-shim* && "$cmd" == *"$CONTAINERD_SOCK"* ]]; then kill -KILL "${p#/proc/}" 2>/dev/null || true; fi
done
sleep 0.5

# Mounts under the state dir (overlay rootfs, volumes, pod netns handles), deepest first.
unmount_under() {
  local prefix="$1" m
  for _ in 1 2 3; do
    mapfile -t ms < <(awk -v p="$prefix" 'index($2, p) == 1 {print $2}' /proc/self/mounts | sort -r)
    [[ ${#ms[@]} -gt 0 ]] || return 0
    for m in "${ms[@]}"; do umount -l "$m" 2>/dev/null || true; done
  done
}
unmount_under "$K8S_DIR/"

# The pods' network namespaces (made by the CNI plugins for this containerd) and the node's.
if [[ -d /run/netns ]]; then
  for ns in /run/netns/cni-*; do
    [[ -e "$ns" ]] || continue
    # Only namespaces whose interfaces sit on this cluster's pod subnet.
    if ip netns exec "$(basename "$ns")" ip -4 addr 2>/dev/null | grep -q "inet ${POD_SUBNET%.*/*}\."; then
      umount -l "$ns" 2>/dev/null || true; rm -f "$ns"
    fi
  done
fi
if [[ -e "/run/netns/$NETNS" ]]; then ip netns del "$NETNS"; fi

# Pod cgroups (cgroupfs driver: kubepods under each controller).
for ctl in /sys/fs/cgroup/*/; do
  [[ -d "$ctl/kubepods" ]] || [[ -d "$ctl/kubepods.slice" ]] || continue
  find "$ctl/kubepods" -depth -type d -exec rmdir {} + 2>/dev/null || true
done

# Paths outside the state dir that did not exist before up.sh.
if [[ -f "$K8S_DIR/created-paths" ]]; then
  while read -r p; do [[ -n "$p" ]] && rm -rf "$p"; done <"$K8S_DIR/created-paths"
fi
rm -rf "$K8S_DIR"
log "removed the local cluster (state dir $K8S_DIR, namespace $NETNS)"
