#!/usr/bin/env bash
# Runs every fuzz target for SECONDS seconds (default 60) on a corpus seeded from the sample
# site and the test fixtures. Needs nightly Rust; installs cargo-fuzz when it is missing.
# usage: bash .ci/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
seeds="$work/seeds"
mkdir -p "$seeds"
i=0
while IFS= read -r -d '' file; do
  i=$((i + 1))
  cp "$file" "$seeds/seed-$i"
done < <(find content tests/fixtures -name '*.md' -print0)
for target in frontmatter check site fmt import; do
  corpus="$work/$target"
  cp -r "$seeds" "$corpus"
  # Import reads documents: its corpus starts from the kommissorier in every format too.
  [ "$target" = import ] && cp tests/fixtures/import/docs/*.{docx,html,txt} tests/fixtures/import/seeds/*.txt "$corpus"/
  echo "fuzzing $target for ${seconds}s"
  status=0
  cargo +nightly fuzz run --fuzz-dir tests/fuzz "$target" "$corpus" -- \
    -max_total_time="$seconds" -rss_limit_mb=4096 -max_len=65536 -print_final_stats=1 \
    >"$work/$target.log" 2>&1 || status=$?
  grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|==[0-9]+==|SUMMARY|thread .* panicked)' "$work/$target.log" || true
  if [ "$status" -ne 0 ]; then
    tail -40 "$work/$target.log"
    echo "fuzz target $target failed (exit $status); a crash input is under tests/fuzz/artifacts/$target"
    exit 1
  fi
done
echo "fuzzing: no crash in any target"
