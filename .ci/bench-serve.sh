#!/usr/bin/env bash
# The author's loop: how long `mandat serve` takes to rebuild a 1,000-body organisation
# after a one-file edit. Starts serve, edits one body 10 times, prints each rebuild and
# the median.   usage: .ci/bench-serve.sh [BODIES]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000}
cargo build --release -q
tmp=$(mktemp -d)
trap 'kill -INT "$pid" 2>/dev/null || true; rm -rf "$tmp"' EXIT
target/release/mandat synth --bodies "$n" "$tmp/site" 2>/dev/null
target/release/mandat serve --root "$tmp/site" --port 0 >/dev/null 2>"$tmp/log" &
pid=$!
sleep 3
file=$(find "$tmp/site/content/bodies" -name "*.md" -print -quit)
for i in $(seq 10); do
  python3 -c 'import sys; p = sys.argv[1]; s = open(p).read(); open(p, "w").write(s.replace("meetings = \"", "meetings = \"x", 1))' "$file"
  sleep 1.5
done
grep -o 'rebuilt [0-9]* files in [0-9]* ms' "$tmp/log" | tail -n +2 | awk '{print $5}' >"$tmp/ms"
echo "rebuilds after an edit (ms): $(tr '\n' ' ' <"$tmp/ms")"
sort -n "$tmp/ms" | awk '{a[NR]=$1} END {printf "median: %s ms over %d edits of a %s-body site\n", (NR % 2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2), NR, "'"$n"'"}'
