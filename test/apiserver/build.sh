#!/usr/bin/env bash
# Builds test/apiserver/cmd/control-plane (kube-apiserver from k8s.io/kubernetes + embedded etcd) once per
# go.mod/go.sum content and prints the binary's path. The binary lives outside the repository in
# ${XDG_CACHE_HOME:-$HOME/.cache}/minio-sse-azure/apiserver-<k8s version>-<hash of go.mod+go.sum>/.
# Needs Go >= 1.26 (k8s.io/kubernetes v1.36.3's go.mod says "go 1.26.0") and the Go module proxy.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
version=$(awk '$1 == "k8s.io/kubernetes" { print $2; exit }' "$here/go.mod")
hash=$(cat "$here/go.mod" "$here/go.sum" "$here"/cmd/control-plane/*.go | sha256sum | cut -c1-16)
out="${XDG_CACHE_HOME:-$HOME/.cache}/minio-sse-azure/apiserver-$version-$hash"
bin="$out/control-plane"
if [ -x "$bin" ]; then
  echo "$bin"
  exit 0
fi
command -v go >/dev/null || { echo "build.sh: go not found (Go >= 1.26 is needed to build kube-apiserver $version)" >&2; exit 1; }
mkdir -p "$out"
start=$(date +%s)
echo "build.sh: building kube-apiserver $version + etcd into $out (cold: tens of minutes on 2 cores)" >&2
(cd "$here" && GOFLAGS="${GOFLAGS:-} -mod=mod -buildvcs=false" go build -trimpath -ldflags='-s -w' -o "$bin.tmp" ./cmd/control-plane) >&2
mv "$bin.tmp" "$bin"
echo "build.sh: built in $(( $(date +%s) - start )) s" >&2
# older builds of other versions/hashes are removed to save disk
find "$(dirname "$out")" -maxdepth 1 -name 'apiserver-*' ! -path "$out" -exec rm -rf {} + 2>/dev/null || true
echo "$bin"
