#!/usr/bin/env bash
# Prints the SHA-256 of every file the user paths synthesize: the seed (npm run synth) and the platform example
# (npm run synth:platform) for both operator releases, and the README's cdk8s snippet. Used to prove a refactor
# changes no output byte: run it before and after, and diff the two listings.
set -euo pipefail
cd "$(dirname "$0")/../.."
top=$PWD
fixtures=${MINIO_SSE_CRDS_DIR:-$(cd .. && pwd)/shared/fixtures/minio-operator}
out=$(mktemp -d -p "$top" .fingerprint.XXXXXX)
trap 'rm -rf "$out"' EXIT
for r in v5.0.4 v7.1.1; do
  MINIO_SSE_CRDS_DIR=$fixtures MINIO_SSE_RELEASE=$r CDK8S_OUTDIR="$out/seed-$r" npm run -s synth >/dev/null
  MINIO_SSE_CRDS_DIR=$fixtures MINIO_SSE_RELEASE=$r CDK8S_OUTDIR="$out/platform-$r" npm run -s synth:platform >/dev/null
done
# The README's "Using the library with cdk8s" snippet, with the package name pointed at this tree and the CRDs read
# from the fixtures (the snippet itself downloads them).
mkdir -p "$out/readme"
awk '/^## Using the library with cdk8s/{s=1} s&&/^```ts/{c=1;next} c&&/^```/{exit} c{print}' README.md |
  sed -e "s#from 'minio-sse-azure'#from '../../lib'#" -e "s#OperatorCrds.fromRelease()#OperatorCrds.fromDirectory('$fixtures')#" \
  >"$out/readme/snippet.ts"
(cd "$out/readme" && TS_NODE_PROJECT="$top/tsconfig.json" "$top/node_modules/.bin/ts-node" --transpile-only snippet.ts >/dev/null)
rm "$out/readme/snippet.ts"
(cd "$out" && find . -type f -name '*.yaml' | LC_ALL=C sort | xargs sha256sum)
