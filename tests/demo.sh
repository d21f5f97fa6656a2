#!/bin/bash
# The demo behind `make run`: a private mosquitto on a free loopback
# port, newsdigestd on config/demo.conf watching the sample feeds in
# config/samples/, and `newsdigest cat` showing the digests as they
# arrive. Ctrl-C stops all of it.
# Usage: bash tests/demo.sh BUILD_DIR (bash: the port check uses /dev/tcp)
set -eu
build=${1:-build}
top=$(pwd)
tmp=$(mktemp -d)
broker= daemon= cat=

# The daemon stops first (Ctrl-C reaches it: it says offline and
# disconnects), then the subscriber that shows that, then the broker.
cleanup() {
	trap - INT TERM EXIT
	set +e
	if [ -n "$daemon" ]; then
		kill -TERM "$daemon" 2>/dev/null
		wait "$daemon" 2>/dev/null
	fi
	if [ -n "$cat" ]; then
		sleep 0.3
		kill "$cat" 2>/dev/null
		wait "$cat" 2>/dev/null
	fi
	if [ -n "$broker" ]; then
		kill "$broker" 2>/dev/null
		wait "$broker" 2>/dev/null
	fi
	rm -rf "$tmp"
	echo
	echo "demo stopped"
}
trap cleanup INT TERM EXIT

# A port nothing listens on; mosquitto tells us if it is taken anyway.
port_free() {
	! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}
mosq=$(command -v mosquitto || echo /usr/sbin/mosquitto)
port=
for try in 1 2 3 4 5 6 7 8 9 10; do
	p=$(( (($$ * 7 + try * 7919) % 20000) + 30000 ))
	port_free "$p" || continue
	printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\n' "$p" > "$tmp/mosquitto.conf"
	# Its own session: Ctrl-C must not stop it before the daemon is done.
	setsid "$mosq" -c "$tmp/mosquitto.conf" > "$tmp/mosquitto.log" 2>&1 &
	broker=$!
	i=0
	while [ $i -lt 50 ] && port_free "$p"; do sleep 0.1; i=$((i + 1)); done
	if ! port_free "$p"; then port=$p; break; fi
	kill "$broker" 2>/dev/null || true
	broker=
done
[ -n "$port" ] || { echo "demo: could not start mosquitto (see $tmp/mosquitto.log)" >&2; exit 1; }

sed -e "s|@STATE@|$tmp/state|" -e "s|@PORT@|$port|" -e "s|@SAMPLES@|$top/config/samples|" \
	config/demo.conf > "$tmp/newsdigest.conf"

echo "broker:     mosquitto on 127.0.0.1:$port"
echo "daemon:     $build/newsdigestd -c $tmp/newsdigest.conf"
echo "subscriber: $build/newsdigest cat -p $port -t 'news/default/+/digest' -t news/status"
echo "also try:   mosquitto_sub -p $port -t 'news/#' -v    (Ctrl-C stops the demo)"
echo

"$build/newsdigest" cat -p "$port" -t 'news/default/+/digest' -t news/status &
cat=$!
sleep 0.5
"$build/newsdigestd" -c "$tmp/newsdigest.conf" &
daemon=$!
wait "$daemon" || true
daemon=
