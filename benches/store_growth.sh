#!/usr/bin/env bash
# How the store grows: FEEDS file:// feeds, each carrying ITEMS new entries a "day" (one in
# MATCH_EVERY names a watched place, with a figure a claim is read from), DAYS days, one
# `newswatch once` (file transport) per day; the state_dir's size on disk after each day.
# Usage: benches/store_growth.sh [FEEDS] [ITEMS] [DAYS] [MATCH_EVERY]   (defaults 100 50 10 50)
# Needs a built binary (target/debug/newswatch or $NEWSWATCH). Results: docs/performance.md.
set -euo pipefail
FEEDS=${1:-100}; ITEMS=${2:-50}; DAYS=${3:-10}; MATCH_EVERY=${4:-50}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${NEWSWATCH:-${CARGO_TARGET_DIR:-$ROOT/target}/debug/newswatch}
W=$(mktemp -d)
# KEEP=1 leaves the folder (config/, state/) for a look with `newswatch export`.
[ -n "${KEEP:-}" ] && echo "kept in $W" >&2 || trap 'rm -rf "$W"' EXIT
mkdir -p "$W/config" "$W/watchlists" "$W/feeds"
cat > "$W/watchlists/places.toml" <<'TOML'
name = "Places"
[[entity]]
id = "kursk"
label = "Kursk region"
kind = "place"
aliases = ["Kursk"]
TOML
{
  printf 'state_dir = "../state"\nwatchlists_dir = "../watchlists"\n'
  printf '[fetch]\nfull_text = "never"\n[email]\nto = ["a@example.org"]\ntransport = "file"\noutbox_dir = "../outbox"\n'
  for f in $(seq 1 "$FEEDS"); do printf '[[feeds]]\nurl = "file://%s/feeds/%s.xml"\nname = "Feed %s"\n' "$W" "$f" "$f"; done
} > "$W/config/newswatch.toml"
printf 'day\titems_total\tstate_bytes\n'
for d in $(seq 1 "$DAYS"); do
  date_rfc=$(date -u -R)
  for f in $(seq 1 "$FEEDS"); do
    {
      printf '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Feed %s</title><link>http://feed%s.example/</link><description>d</description>' "$f" "$f"
      for i in $(seq 1 "$ITEMS"); do
        n=$(( (d * FEEDS + f) * ITEMS + i ))
        if (( n % MATCH_EVERY == 0 )); then
          body="Officials in the Kursk region said $((n % 900 + 100)) homes were destroyed on day $d, report $n; repairs would take weeks, according to the governor."
        else
          body="Story $n of feed $f on day $d: the council met, the weather was mild and the market closed higher, with nothing else of note to report today."
        fi
        printf '<item><title>Headline %s from feed %s</title><link>http://feed%s.example/news/%s-%s</link><guid>f%s-d%s-%s</guid><pubDate>%s</pubDate><description>%s</description></item>' \
          "$n" "$f" "$f" "$d" "$i" "$f" "$d" "$i" "$date_rfc" "$body"
      done
      printf '</channel></rss>'
    } > "$W/feeds/$f.xml"
  done
  "$BIN" -c "$W/config/newswatch.toml" once >/dev/null 2>"$W/log" || { echo "once failed:"; tail -5 "$W/log"; exit 1; }
  printf '%s\t%s\t%s\n' "$d" $((d * FEEDS * ITEMS)) "$(du -sb "$W/state" | cut -f1)"
done
