#!/usr/bin/env bash
# npm run test:apiserver: builds the control plane (cached, see build.sh), then runs suite.ts against it.
# Whatever happens (success, failure, Ctrl-C, kill), the trap stops every etcd/kube-apiserver the suite started
# (their pids are in $work/pids) and deletes the temporary folder. Output ends with "N passed, N failed".
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)

counting=
work=$(mktemp -d "${TMPDIR:-/tmp}/minio-sse-apiserver.XXXXXX")
# shellcheck disable=SC2317 # called by the trap
cleanup() {
  local f pid
  for f in "$work"/pids/*.pid; do
    [ -e "$f" ] || continue
    pid=$(cat "$f")
    kill -TERM "$pid" 2>/dev/null || true
  done
  for f in "$work"/pids/*.pid; do
    [ -e "$f" ] || continue
    pid=$(cat "$f")
    for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  if [ -n "$counting" ] && [ ! -e "$work/done" ]; then
    # the suite did not reach its own count line (it died, or a signal stopped it): count what it did, plus one
    local p=0 f=0
    [ -s "$work/counts" ] && read -r p f < "$work/counts"
    echo "not ok - the suite ran to its end"
    echo "$p passed, $((f + 1)) failed"
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if ! command -v kubectl >/dev/null 2>&1; then
  echo "not ok - kubectl is on PATH (the suite runs the README's kubectl commands)"
  echo "0 passed, 1 failed"
  exit 1
fi
start=$(date +%s)
if ! bin=$("$here/build.sh"); then
  echo "not ok - build kube-apiserver and etcd (test/apiserver/build.sh)"
  echo "0 passed, 1 failed"
  exit 1
fi
echo "# control plane binary $bin (ready after $(( $(date +%s) - start )) s)"

cd "$repo" || exit 1
# in the background, so that a signal runs the trap at once instead of after the suite
mkdir -p "$work/pids"
counting=1
"$repo/node_modules/.bin/ts-node" --transpile-only "$here/suite.ts" "$bin" "$work" &
echo $! > "$work/pids/suite.pid"
wait $!
rc=$?
[ -e "$work/done" ] || [ "$rc" -ne 0 ] || rc=1
exit "$rc"
