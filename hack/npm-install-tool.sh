#!/usr/bin/env bash
# Installs an npm package at the version its lock file pins (`npm ci`, so the registry's
# tarball must match the lock's integrity hash) into a per-version cache outside the work
# tree, and links one of its files into bin/, so a fresh clone (CI) finds what an earlier
# run already fetched and node_modules never lands in the tree.
#
# usage: hack/npm-install-tool.sh DIR PACKAGE FILE TARGET
#   DIR holds package.json and package-lock.json; FILE is a path inside the package.
#   e.g. hack/npm-install-tool.sh test/a11y axe-core axe.min.js bin/axe.min.js
set -euo pipefail

dir=${1:?directory with package.json and package-lock.json}
package=${2:?npm package}
file=${3:?file inside the package}
target=${4:?target path, e.g. bin/axe.min.js}
cache_root=${CONTEST_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/contest-platform}

for tool in node npm; do
  command -v "$tool" >/dev/null 2>&1 || { echo "$0: $tool is not installed (Debian: apt-get install -y nodejs npm)" >&2; exit 1; }
done
version=$(node -p "require(process.argv[1]).packages['node_modules/$package'].version" "$(realpath "$dir/package-lock.json")")
cached="$cache_root/npm/$package-$version"

if [ ! -f "$cached/$file" ]; then
  echo "installing $package@$version (npm ci in $dir)" >&2
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  cp "$dir/package.json" "$dir/package-lock.json" "$work/"
  (cd "$work" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
  got=$(node -p "require(process.argv[1]).version" "$work/node_modules/$package/package.json")
  if [ "$got" != "$version" ]; then
    echo "$0: npm installed $package $got, the lock pins $version" >&2
    exit 1
  fi
  test -f "$work/node_modules/$package/$file"
  # Into place in one step: a run stopped half-way leaves no partial cache behind.
  mkdir -p "$(dirname "$cached")"
  mv "$work/node_modules/$package" "$cached.tmp.$$"
  rm -rf "$cached"
  mv "$cached.tmp.$$" "$cached"
fi
mkdir -p "$(dirname "$target")"
ln -sfn "$cached/$file" "$target"
