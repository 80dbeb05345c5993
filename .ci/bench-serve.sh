#!/usr/bin/env bash
# The author's loop: how long `mandat serve` takes to rebuild an organisation of N bodies
# after a one-file edit of a mandate's text. For each size: starts serve, edits one body's
# text 10 times, prints each rebuild and the median.
#   usage: .ci/bench-serve.sh [BODIES ...]        (default: 1000 10000)
# Sites go to /dev/shm when it is there: this machine's disk time swings several-fold.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)
cargo build --release -q
base=/tmp; [ -d /dev/shm ] && base=/dev/shm
tmp=$(mktemp -d "$base/bench-serve.XXXXXX")
pid=
trap '[ -n "$pid" ] && kill -INT "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
for n in "${sizes[@]}"; do
  site=$tmp/s$n
  target/release/mandat synth --bodies "$n" "$site" >/dev/null 2>&1
  target/release/mandat serve --root "$site" --port 0 >/dev/null 2>"$tmp/log$n" &
  pid=$!
  until grep -q 'rebuilt' "$tmp/log$n" 2>/dev/null; do sleep 0.5; done
  first=$(grep -o 'in [0-9]* ms' "$tmp/log$n" | head -1)
  file=$(find "$site/content/bodies" -name "*.md" | sort | sed -n 2p)
  for i in $(seq 10); do
    printf '\nEt afsnit mere, nummer %s.\n' "$i" >>"$file"
    sleep 1.5
  done
  kill -INT "$pid"; wait "$pid" 2>/dev/null || true; pid=
  grep 'rebuilt' "$tmp/log$n" | tail -n +2 >"$tmp/lines"
  grep -o 'in [0-9]* ms' "$tmp/lines" | awk '{print $2}' >"$tmp/ms"
  echo "$n bodies: first build $first; after an edit (ms): $(tr '\n' ' ' <"$tmp/ms")"
  echo "  $(tail -1 "$tmp/lines")"
  sort -n "$tmp/ms" | awk -v n="$n" '{a[NR]=$1} END {printf "  median: %s ms over %d edits of a %s-body site\n", (NR % 2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2), NR, n}'
done
