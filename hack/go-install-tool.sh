#!/usr/bin/env bash
# Installs a Go tool at a pinned version into a per-version cache outside the work tree and
# links it into bin/, so a fresh clone (CI) finds tools that an earlier run already built.
#
# usage: hack/go-install-tool.sh BIN_PATH PACKAGE VERSION
#   e.g. hack/go-install-tool.sh bin/controller-gen sigs.k8s.io/controller-tools/cmd/controller-gen v0.23.0
set -euo pipefail

target=${1:?target path, e.g. bin/controller-gen}
package=${2:?go package}
version=${3:?version}
cache_root=${CONTEST_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/contest-platform}
name=$(basename "$target")
cached="$cache_root/tools/$name-$version/$name"

if [ ! -x "$cached" ]; then
  echo "installing $package@$version" >&2
  mkdir -p "$(dirname "$cached")"
  GOBIN="$(dirname "$cached")" CGO_ENABLED=0 go install "$package@$version"
fi
mkdir -p "$(dirname "$target")"
ln -sfn "$cached" "$target"
