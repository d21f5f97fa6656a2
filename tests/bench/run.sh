#!/bin/sh
# The make bench driver: parser throughput against raw expat, and peak
# memory, on the shared benchmark feeds; payload sizes per window and
# dictionary on the sample feeds; the daemon's footprint with 100 feeds;
# a two-minute soak (memory, descriptors and state files over time);
# its memory with 10,000 digests queued while the broker is away;
# summarise + tag throughput beside Open Text Summarizer's on the BBC articles.
# Builds nothing (make does).
#   sh tests/bench/run.sh [-v] BUILD_DIR
# -v prints every real-world feed, not only the set's total.
#
# Peak memory is the resident high-water mark, read two ways:
#   CLI   build/newsdigest feed FILE under GNU time (-f %M: wait4's
#         ru_maxrss of the child, exact, no polling race). The CLI keeps
#         the default max_items (500), so on a large feed it parses only
#         the first 500 items and skips the rest.
#   full  parse_bench -m FILE: the same 64 KiB streaming with no item cap,
#         so the whole feed goes through the parser (getrusage RUSAGE_SELF).
set -u

verbose=0
if [ "${1:-}" = "-v" ]; then
	verbose=1
	shift
fi
build=${1:-build}
data=../shared/data/bench
out=$build/bench-data
bench=$build/bench/parse_bench
cli=$build/newsdigest
target_kib=4096

for b in "$bench" "$cli" "$build/bench/payload_bench" "$build/bench/summary_bench" \
    "$build/newsdigestd"; do
	if [ ! -x "$b" ]; then
		echo "bench: $b not built (run make bench)" >&2
		exit 1
	fi
done

start=$(date +%s.%N)
cpu=$(sed -n 's/^model name[[:space:]]*: *//p' /proc/cpuinfo 2>/dev/null | head -n 1)
echo "== newsdigest bench: $(nproc) CPUs, ${cpu:-unknown CPU}, $(uname -sm)," \
    "expat $(pkg-config --modversion expat 2>/dev/null || echo '?')," \
    "zlib $(pkg-config --modversion zlib 2>/dev/null || echo '?'), $(date '+%Y-%m-%d %H:%M %Z')"

# Print how long the bench took.
took() {
	echo
	awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "bench took %.1f s\n", e - s }'
}

echo
echo "== payload: digests of the sample feeds per window_bits, without and with the" \
    "built-in dictionary"
"$build/bench/payload_bench" config/samples/*.rss config/samples/*.atom \
    tests/fixtures/feeds/*.rss tests/fixtures/feeds/*.atom || exit 1

echo
echo "== footprint: the daemon with 100 feeds (local HTTP server and mosquitto)"
python3 tests/bench/footprint.py "$build" || exit 1
echo
echo "== soak: 20 feeds every 1 s for 120 s, the broker away 10 s half-way" \
    "(tests/bench/soak.py --seconds N for longer)"
python3 tests/bench/soak.py "$build" || exit 1
echo
echo "== nothing lost: 10,000 digests queued while the broker is away (make check: 3,000)"
if ! queued=$(ND_QUEUE_ITEMS=10000 python3 tests/integration/test_outage.py "$build" \
    MemoryWhileBrokerAway 2>&1); then
	echo "$queued"
	exit 1
fi
echo "$queued" | sed -n 's/^ *memory: \(.*\) ok$/\1/p'
echo
echo "== summarise + tag: one core, 280 characters, 5 tags (target >= 5,000 BBC articles/s)"
nlp=../shared/data/nlp/dev_bbc.jsonl
if [ ! -f "$nlp" ]; then
	echo "$nlp not found: skipped"
else
	"$build/bench/summary_bench" -c 280 "$nlp" || exit 1
	# Open Text Summarizer on the same articles, one process per article as
	# it is used; 200 of them are enough for a rate.
	if command -v ots >/dev/null 2>&1; then
		mkdir -p "$out/bbc"
		python3 -c '
import json, sys
for i, line in enumerate(open(sys.argv[1])):
    if i == 200:
        break
    d = json.loads(line)
    open("%s/%03d.txt" % (sys.argv[2], i), "w").write(d["title"] + "\n\n" + d["text"])
' "$nlp" "$out/bbc"
		t0=$(date +%s.%N)
		for f in "$out"/bbc/*.txt; do ots -r 20 "$f" >/dev/null 2>&1; done
		t1=$(date +%s.%N)
		awk -v s="$t0" -v e="$t1" -v n="$(ls "$out"/bbc/*.txt | wc -l)" \
		    'BEGIN { printf "ots %s: %d articles in %.2f s: %.0f articles/s (a process each)\n", "'"$(dpkg-query -W -f='${Version}' ots 2>/dev/null)"'", n, e - s, n / (e - s) }'
	else
		echo "ots not found (Debian package ots): no comparison"
	fi
fi


if [ ! -d "$data" ]; then
	echo
	echo "$data not found: parser throughput skipped"
	took
	exit 0
fi

# The large feeds are generated once; the one-item feed is ours.
mkdir -p "$out"
sizes="5 50"
missing=0
for mb in $sizes; do
	for kind in rss20 atom10; do
		[ -s "$out/large_${kind}_${mb}MB.xml" ] || missing=1
	done
done
if [ "$missing" -eq 1 ]; then
	echo "generating the large feeds into $out (once)"
	if ! python3 "$data/gen_large.py" "$out" $sizes >/dev/null; then
		echo "bench: gen_large.py failed" >&2
		exit 1
	fi
fi
if [ ! -s "$out/one.xml" ]; then
	cat >"$out/one.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
<channel>
<title>One item</title>
<link>https://example.com/</link>
<description>A feed with a single item, the baseline for peak memory.</description>
<item>
<title>The only item</title>
<link>https://example.com/1</link>
<guid isPermaLink="false">one-1</guid>
<pubDate>Sat, 01 Jun 2024 12:00:00 +0000</pubDate>
<description>&lt;p&gt;Hello &amp;amp; welcome.&lt;/p&gt;</description>
</item>
</channel>
</rss>
EOF
fi

echo
echo "== throughput: best of 3-20 runs (>= 0.5 s per file), 64 KiB chunks, MB = 10^6 bytes"
echo "   MB/s, items/s: feed_parser (no item cap); expat MB/s: raw expat, empty handlers"
set -- "$data"/realworld/*
echo "-- realworld: $# feeds in $data/realworld"
if [ "$verbose" -eq 1 ]; then q=; else q=-q; fi
"$bench" $q -n realworld "$data"/realworld/* || exit 1
echo "-- generated: gen_large.py $sizes"
large=
for mb in $sizes; do
	large="$large $out/large_rss20_${mb}MB.xml $out/large_atom10_${mb}MB.xml"
done
"$bench" -n generated $large || exit 1

echo
echo "== peak memory: resident high-water mark, KiB"
if [ -x /usr/bin/time ] && /usr/bin/time -f %M -o /dev/null true 2>/dev/null; then
	gnutime=1
else
	gnutime=0
	echo "GNU time not found (Debian package time): no CLI column"
fi
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT

# Print the CLI's peak RSS on file $1, or "-".
cli_peak() {
	if [ "$gnutime" -eq 1 ] && /usr/bin/time -f %M -o "$tmp" "$cli" feed "$1" >/dev/null 2>&1; then
		tail -n 1 "$tmp"
	else
		echo -
	fi
}

# Print the full parse's peak RSS on file $1, or "-".
full_peak() {
	"$bench" -m "$1" 2>/dev/null | awk '{ print $1 }' | grep . || echo -
}

echo "   CLI: newsdigest feed FILE (default cap: parses the first 500 items);" \
    "full: parse_bench -m FILE (every item)"
printf '%-24s %10s %10s\n' "feed" "CLI" "full"
files="$out/one.xml"
for mb in $sizes; do
	files="$files $out/large_rss20_${mb}MB.xml $out/large_atom10_${mb}MB.xml"
done
base_cli=- base_full=- worst=0 dcli='' dfull=''

# Print "+DIFF", $1 minus $2; print "?" and fail when either is missing.
over() {
	if [ "$1" = - ] || [ "$2" = - ]; then
		echo "?"
		return 1
	fi
	echo "+$(($1 - $2))"
}

for f in $files; do
	c=$(cli_peak "$f")
	u=$(full_peak "$f")
	printf '%-24s %10s %10s\n' "$(basename "$f")" "$c" "$u"
	case $f in
	*/one.xml) base_cli=$c base_full=$u ;;
	*_50MB.xml)
		kind=$(basename "$f" | sed 's/^large_\([a-z0-9]*\)_.*/\1/')
		d=$(over "$c" "$base_cli") || worst=-1
		dcli="$dcli $kind $d"
		[ "$worst" -ge 0 ] && [ "${d#+}" -gt "$worst" ] && worst=${d#+}
		d=$(over "$u" "$base_full") || worst=-1
		dfull="$dfull $kind $d"
		[ "$worst" -ge 0 ] && [ "${d#+}" -gt "$worst" ] && worst=${d#+}
		;;
	esac
done
echo "50 MB minus one item, KiB: CLI$dcli; full$dfull"
if [ "$worst" -lt 0 ]; then
	echo "target <= 4 MiB: not measured"
elif [ "$worst" -le "$target_kib" ]; then
	echo "target <= 4 MiB: met (largest +$worst KiB)"
else
	echo "target <= 4 MiB: not met (largest +$worst KiB)"
fi

took
