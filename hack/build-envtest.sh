#!/usr/bin/env bash
# Builds the envtest control plane (kube-apiserver, etcd) from the Go module proxy.
#
# The usual envtest download host is not reachable here, so we compile the binaries
# from source modules instead: a throwaway module requires k8s.io/kubernetes with every
# k8s.io staging module replaced by its published v0.x.y release, and another requires
# go.etcd.io/etcd/server/v3. Results are cached per version outside the work tree
# (a fresh clone in CI then finds them warm) and linked into the requested directory.
# Temporary names carry the PID, so two builds running at once (two worktrees) do not collide.
#
# usage: hack/build-envtest.sh K8S_VERSION ETCD_VERSION DEST_DIR
#   e.g. hack/build-envtest.sh 1.37.2 3.7.0 bin/k8s
set -euo pipefail

k8s_version=${1:?kubernetes version, e.g. 1.37.2}
etcd_version=${2:?etcd version, e.g. 3.7.0}
dest=${3:?destination directory}
cache_root=${CONTEST_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/contest-platform}
cache="$cache_root/envtest/k8s-$k8s_version-etcd-$etcd_version"
staging_version="0.${k8s_version#1.}"

log() { printf 'build-envtest: %s\n' "$*" >&2; }

# build_kubernetes_cmd builds one command of k8s.io/kubernetes (cmd/kube-apiserver,
# cmd/kubectl) in a throwaway module where every staging module k8s.io/kubernetes replaces
# with ./staging/... gets its published release instead.
build_kubernetes_cmd() {
  local name=$1 work
  work=$(mktemp -d)
  trap 'rm -rf "$work"' RETURN
  log "building $name v$k8s_version (staging modules at v$staging_version); this takes minutes cold"
  (
    cd "$work"
    go mod init "envtest-$name" >/dev/null 2>&1
    go mod edit -require="k8s.io/kubernetes@v$k8s_version"
    local gomod mods
    gomod=$(go mod download -json "k8s.io/kubernetes@v$k8s_version" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
    [ -n "$gomod" ] || { log "cannot download k8s.io/kubernetes@v$k8s_version"; exit 1; }
    mods=$(sed -n 's#^[[:space:]]*\(k8s\.io/[^[:space:]]*\) => \./staging/.*#\1#p' "$gomod")
    [ -n "$mods" ] || { log "found no staging replacements in $gomod"; exit 1; }
    for m in $mods; do
      go mod edit -replace="$m=$m@v$staging_version"
    done
    printf '//go:build tools\n\npackage tools\n\nimport _ "k8s.io/kubernetes/cmd/%s"\n' "$name" >tools.go
    go mod tidy -e >/dev/null 2>&1 || true
    CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$cache/$name.tmp.$$" "k8s.io/kubernetes/cmd/$name"
  )
  mv "$cache/$name.tmp.$$" "$cache/$name"
}

build_etcd() {
  local work
  work=$(mktemp -d)
  trap 'rm -rf "$work"' RETURN
  log "building etcd v$etcd_version"
  (
    cd "$work"
    go mod init envtest-etcd >/dev/null 2>&1
    go mod edit -require="go.etcd.io/etcd/server/v3@v$etcd_version"
    cat >tools.go <<'GO'
//go:build tools

package tools

import _ "go.etcd.io/etcd/server/v3"
GO
    go mod tidy -e >/dev/null 2>&1 || true
    CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$cache/etcd.tmp.$$" go.etcd.io/etcd/server/v3
  )
  mv "$cache/etcd.tmp.$$" "$cache/etcd"
}

mkdir -p "$cache" "$dest"
[ -x "$cache/etcd" ] || build_etcd
[ -x "$cache/kube-apiserver" ] || build_kubernetes_cmd kube-apiserver
# kubectl: `make demo` prints a kubectl command to watch the round, and it must work on a
# machine with nothing installed.
[ -x "$cache/kubectl" ] || build_kubernetes_cmd kubectl
for b in kube-apiserver etcd kubectl; do
  ln -sfn "$cache/$b" "$dest/$b"
done
log "ready: $dest (kube-apiserver v$k8s_version, etcd v$etcd_version)"
