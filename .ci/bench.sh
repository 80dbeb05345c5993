#!/usr/bin/env bash
# Whole-process benchmarks: builds synthetic organisations of N bodies with mandat (with
# and without diagrams) and with Hugo (the same pages, plain templates), median of 5 runs,
# and prints wall time, bodies per second, pages per second and peak RSS.
#   usage: .ci/bench.sh [N ...]        (default: 100 1000 10000)
# Installs Hugo from Debian if missing. Zola is not on crates.io or in Debian, so it is
# reported as unavailable. Figures are recorded in BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100 1000 10000)
runs=5

cargo build --release -q
bin=$PWD/target/release/mandat
if ! command -v hugo >/dev/null 2>&1; then
  sudo_cmd=(); [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo -n)
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -q install -y --no-install-recommends hugo >/dev/null 2>&1 \
    || echo "hugo could not be installed; its column is left empty"
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# median of the first field of N lines ("seconds rss_kb")
median() { sort -n | awk '{a[NR]=$0} END {print a[int((NR+1)/2)]}'; }

# measure KIND LABEL CMD...: "seconds rss_kb pages" of the median of $runs builds; @OUT@ in
# CMD is the output folder.
#   fresh:   every build into a new folder (the first build, as in CI)
#   rebuild: builds into the same folder after two untimed ones (the author's machine)
measure() {
  local kind=$1 label=$2; shift 2
  local base out args=()
  base=$(mktemp -u "$tmp/out.XXXXXX")
  if [ "$kind" = rebuild ]; then
    args=("${@//@OUT@/$base}")
    "${args[@]}" >/dev/null 2>&1 && "${args[@]}" >/dev/null 2>&1 || { echo "$label failed" >&2; return 1; }
  fi
  for i in $(seq $runs); do
    out=$base; [ "$kind" = fresh ] && out=$base-$i
    args=("${@//@OUT@/$out}")
    /usr/bin/time -f "%e %M" -o "$tmp/time" "${args[@]}" >/dev/null 2>&1 || { echo "$label failed" >&2; return 1; }
    echo "$(cat "$tmp/time") $(find "$out" -name '*.html' | wc -l)"
  done | median
}
hugo_site() { # hugo_site SRC DEST: the same content as plain Hugo pages
  local src=$1 dest=$2
  mkdir -p "$dest/layouts/_default" "$dest/content"
  cp -r "$src/content/bodies" "$dest/content/bodies"
  cp -r "$src/content/organisations" "$dest/content/organisations"
  cat >"$dest/hugo.toml" <<'TOML'
baseURL = "https://example.org/"
title = "Synthetic"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT"]
TOML
  cat >"$dest/layouts/_default/single.html" <<'HTML'
<!DOCTYPE html><html lang="da"><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body>
<h1>{{ .Title }}</h1>
{{ with .Params.tasks }}<h2>Opgaver</h2><ul>{{ range . }}<li>{{ if reflect.IsMap . }}{{ .text }}{{ else }}{{ . }}{{ end }}</li>{{ end }}</ul>{{ end }}
{{ with .Params.competences }}<h2>Kompetencer</h2><ul>{{ range . }}<li>{{ if reflect.IsMap . }}{{ .text }}{{ else }}{{ . }}{{ end }}</li>{{ end }}</ul>{{ end }}
{{ with .Params.members }}<h2>Sammensætning</h2><table>{{ range . }}{{ if reflect.IsMap . }}<tr><td>{{ .from }}</td><td>{{ .count }}</td><td>{{ .role }}</td></tr>{{ else }}<tr><td>{{ . }}</td></tr>{{ end }}{{ end }}</table>{{ end }}
{{ .Content }}
</body></html>
HTML
  cat >"$dest/layouts/_default/list.html" <<'HTML'
<!DOCTYPE html><html lang="da"><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body>
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></body></html>
HTML
}

row() { # row BODIES TOOL KIND "seconds rss_kb pages"
  local secs rss pages
  read -r secs rss pages <<<"$4"
  printf '%-8s %-22s %-8s %9.2f %10.0f %10.0f %9.0f\n' "$1" "$2" "$3" "$secs" \
    "$(echo "$1 / $secs" | bc -l)" "$(echo "$pages / $secs" | bc -l)" "$(echo "$rss / 1024" | bc -l)"
}

printf '%-8s %-22s %-8s %9s %10s %10s %9s\n' bodies tool build "wall (s)" "bodies/s" "pages/s" "RSS (MB)"
for n in "${sizes[@]}"; do
  site=$tmp/s$n
  "$bin" synth --bodies "$n" "$site" 2>/dev/null
  for mode in diagrams plain; do
    if [ $mode = plain ]; then printf 'diagrams = false\n' >>"$site/mandat.toml"; fi
    for kind in fresh rebuild; do
      result=$(measure $kind "mandat $mode" "$bin" build --root "$site" --output @OUT@)
      row "$n" "mandat ($mode)" $kind "$result"
      [ $mode = diagrams ] && [ $kind = fresh ] && without_people=$result
    done
  done
  # The same site with every seat naming its holders (issue #14: within 1.3x).
  "$bin" synth --people --bodies "$n" "$tmp/p$n" 2>/dev/null
  with_people=$(measure fresh "mandat people" "$bin" build --root "$tmp/p$n" --output @OUT@)
  row "$n" "mandat (diagrams+people)" fresh "$with_people"
  printf '%-8s %-22s %s\n' "$n" "people/no people" \
    "$(echo "${with_people%% *} / ${without_people%% *}" | bc -l | xargs printf '%.2fx (goal <= 1.3x)')"
  if command -v hugo >/dev/null 2>&1; then
    hugo_site "$site" "$tmp/hugo$n"
    for kind in fresh rebuild; do
      row "$n" "hugo $(hugo version | awk '{print $2}')" $kind \
        "$(measure $kind hugo hugo --quiet -s "$tmp/hugo$n" -d @OUT@)"
    done
  fi
  printf '%-8s %-22s %s\n' "$n" "zola" "not available (not on crates.io or in Debian)"
done
