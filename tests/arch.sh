#!/bin/sh
# Build newsdigest for another machine and test it there, under qemu-user:
#   sh tests/arch.sh armhf|i386|s390x        (make check-arch ARCH=...)
# armhf is 32-bit ARM (Raspberry Pi OS, routers: 32-bit long, size_t and
# pointers, unsigned char); i386 is 32-bit x86; s390x is big-endian (64-bit:
# Debian 12 has no 32-bit big-endian MIPS).
#
# 1. Debian packages on this machine: the cross compiler and qemu-user
#    (tests/deps.sh arch-ARCH: installed as root, else the apt-get line).
# 2. build-ARCH/sysroot: the target's -dev packages and what they need,
#    fetched with apt-get from this machine's Debian sources into a
#    private package state (build-ARCH/apt: nothing is installed on this
#    machine, no dpkg --add-architecture) and unpacked.
# 3. Build the binaries, the unit tests and tests/arch/probe.c into
#    build-ARCH/, and the same here into build/.
# 4. Run the unit tests under qemu, then compare, byte for byte, what the
#    two builds print for the same feeds: `newsdigest feed --json` on
#    every feed (config/samples, tests/fixtures/feeds, and ../shared/data
#    when it is there), `newsdigest digest` and `digest --json` on the
#    samples, `newsdigestd -n` on config/*.conf, and the probe (digest
#    JSON, payloads, journal records) on all the feeds.
# The last line is "N passed, N failed": cmocka's tests and the files
# compared. Every phase prints how long it took.
set -u
arch=${1:-}
case "$arch" in
armhf) gnu=arm-linux-gnueabihf ma=arm-linux-gnueabihf qemu=qemu-arm ;;
i386)  gnu=i686-linux-gnu ma=i386-linux-gnu qemu=qemu-i386 ;;
s390x) gnu=s390x-linux-gnu ma=s390x-linux-gnu qemu=qemu-s390x ;;
*) echo "usage: $0 armhf|i386|s390x" >&2; exit 2 ;;
esac
top=$(pwd)
out=$top/build-$arch
sysroot=$out/sysroot
apt=$out/apt
# The target's packages: what the Makefile links, and cmocka.
pkgs="libc6-dev libevent-dev libmosquitto-dev libcurl4-openssl-dev libexpat1-dev zlib1g-dev
	libcjson-dev libstemmer-dev libcmocka-dev"
start=$(date +%s)
t0=$start
passed=0
failed=0

# Print how long the phase that just ended took.
phase() {
	t=$(date +%s)
	echo "== $arch: $1 in $((t - t0)) s"
	t0=$t
}

# Fetch the target's packages into a private state and unpack them.
make_sysroot() {
	o="-o APT::Architecture=$arch -o APT::Architectures::=$arch
	    -o Dir::State::Lists=$apt/lists -o Dir::State::status=$apt/status
	    -o Dir::Cache=$apt/cache -o Dir::Etc::preferencesparts=$apt/prefs
	    -o APT::Install-Recommends=0 -o Debug::NoLocking=1"
	rm -rf "$apt" "$sysroot"
	mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/prefs" "$sysroot"
	: >"$apt/status"
	# An index that fails (a mirror mid-sync) is left out: the others do.
	apt-get $o update >"$apt/update.log" 2>&1 || grep -E '^(E|W):' "$apt/update.log" >&2
	# shellcheck disable=SC2086
	if ! apt-get $o install -y --download-only $pkgs >"$apt/install.log" 2>&1; then
		tail -n 20 "$apt/install.log" >&2
		echo "newsdigest: cannot fetch the $arch packages; the commands were:" >&2
		echo "  apt-get $o update" | tr -s ' \n\t' ' ' >&2
		echo >&2
		echo "  apt-get $o install -y --download-only $pkgs" | tr -s ' \n\t' ' ' >&2
		echo >&2
		return 1
	fi
	for d in "$apt"/cache/archives/*.deb; do
		dpkg-deb -x "$d" "$sysroot" || return 1
	done
	# Links to absolute paths (libm.so -> /lib/...) lead into the sysroot.
	find "$sysroot" -type l -lname '/*' | while read -r l; do
		ln -sfn "$sysroot$(readlink "$l")" "$l"
	done
	touch "$sysroot/.complete"
}

# Count one comparison: name, then the two files.
compare() {
	if cmp -s "$2" "$3"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "DIFFERS: $1"
		diff "$2" "$3" | cut -c 1-300 | head -n 12
	fi
}

# Run a program of both builds (build/PROG, build-ARCH/PROG under qemu) with
# the same arguments; compare what they print and their exit status.
both() {
	prog=$1
	shift
	"build/$prog" "$@" >"$cmpdir/host" 2>&1
	echo "exit $?" >>"$cmpdir/host"
	$run "$out/$prog" "$@" >"$cmpdir/$arch" 2>&1
	echo "exit $?" >>"$cmpdir/$arch"
	compare "$(echo "$prog $*" | cut -c 1-120)" "$cmpdir/host" "$cmpdir/$arch"
}

sh tests/deps.sh build && sh tests/deps.sh "arch-$arch" || exit 1
if [ ! -f "$sysroot/.complete" ]; then
	make_sysroot || exit 1
fi
phase "packages and sysroot"

# pkg-config reads the target's .pc files and puts the sysroot before paths.
export PKG_CONFIG_LIBDIR="$sysroot/usr/lib/$ma/pkgconfig:$sysroot/usr/share/pkgconfig"
export PKG_CONFIG_SYSROOT_DIR="$sysroot"
units=$(ls tests/unit/*_test.c | sed "s|tests/unit/\(.*\)\.c|$out/tests/\1|")
# shellcheck disable=SC2086
make -j2 BUILD="$out" CC="$gnu-gcc --sysroot=$sysroot" AR="$gnu-ar" \
    "$out/newsdigestd" "$out/newsdigest" "$out/arch/probe" $units >"$out/make.log" 2>&1 || {
	tail -n 30 "$out/make.log"
	echo "newsdigest: the $arch build failed ($out/make.log)"
	echo "0 passed, 1 failed"
	exit 1
}
unset PKG_CONFIG_LIBDIR PKG_CONFIG_SYSROOT_DIR
make -j2 build/newsdigestd build/newsdigest build/arch/probe >"$out/make-host.log" 2>&1 || {
	tail -n 30 "$out/make-host.log"
	echo "0 passed, 1 failed"
	exit 1
}
for b in newsdigestd newsdigest; do
	"$gnu-strip" -o "$out/$b.stripped" "$out/$b"
	echo "$arch $b: $(wc -c <"$out/$b.stripped") bytes stripped"
done
phase "build"

run="$qemu -L $sysroot -E LD_LIBRARY_PATH=/lib/$ma:/usr/lib/$ma"
ND_RUN=$run sh tests/run.sh "$out" unit >"$out/unit.log" 2>&1
grep -E '^\[  (FAILED|ERROR) +\]|exited with status' "$out/unit.log"
line=$(tail -n 1 "$out/unit.log")
echo "$arch unit tests: $line ($out/unit.log)"
case "$line" in
*" passed, "*" failed")
	passed=$((passed + ${line%% passed*}))
	f=${line#* passed, }
	failed=$((failed + ${f%% failed}))
	;;
*) failed=$((failed + 1)) ;;
esac
phase "unit tests"

# The feeds: ours, and the data beside the repository when it is there.
feeds=$out/feeds.txt
ls config/samples/* tests/fixtures/feeds/*.rss tests/fixtures/feeds/*.atom >"$feeds"
if [ -d ../shared/data ]; then
	find ../shared/data/realworld ../shared/data/feedparser-cases ../shared/data/bench \
	    -type f \( -name '*.xml' -o -name '*.rss' -o -name '*.atom' -o -name '*.json' \) |
	    LC_ALL=C sort >>"$feeds"
else
	echo "../shared/data not found: only the repository's feeds are compared"
fi
cmpdir=$out/compare
rm -rf "$cmpdir"
mkdir -p "$cmpdir"
n=0
while read -r f; do
	n=$((n + 1))
	both newsdigest feed --json "$f"
done <"$feeds"
echo "$arch: feed --json compared on $n feeds"
# digest stamps an item without a date with the clock: the samples have dates.
for f in config/samples/*; do
	both newsdigest digest --json "$f"
	both newsdigest digest "$f"
done
# The daemon reading its configuration: one file sound, one full of errors.
for f in config/*.conf; do
	both newsdigestd -n -c "$f"
done
# shellcheck disable=SC2046
both arch/probe $(cat "$feeds")
grep '^MISMATCH' "$cmpdir/$arch" | head -n 5
echo "$arch probe: $(grep -c '^item ' "$cmpdir/host") items, $(grep -c '^put ' "$cmpdir/host") journal records"
phase "comparisons"

echo "== $arch: $(( $(date +%s) - start )) s in all"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
