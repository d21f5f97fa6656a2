#!/bin/sh
# Check that the Debian packages a make step needs are installed; install
# the missing ones when run as root, else print the exact command.
#   sh tests/deps.sh build|check|run|bench|eval|arch-armhf|arch-i386|arch-s390x
# On a system without dpkg (not Debian) it checks nothing: pkg-config and
# the compiler will say what is missing.
set -eu

build="gcc make pkg-config libevent-dev libmosquitto-dev libcurl4-openssl-dev libexpat1-dev zlib1g-dev libcjson-dev libstemmer-dev python3 wordnet-base"
case "${1:-build}" in
build) want="$build" ;;
check) want="libcmocka-dev mosquitto mosquitto-clients openssl python3 clang libclang-rt-14-dev valgrind" ;;
run)   want="mosquitto mosquitto-clients" ;;
bench) want="time python3 mosquitto mosquitto-clients binutils ots" ;;
eval)  want="python3" ;;
# make check-arch: a cross compiler and qemu-user (tests/arch.sh makes the
# target's libraries itself, in build-ARCH/sysroot).
arch-armhf) want="gcc-arm-linux-gnueabihf qemu-user" ;;
arch-i386)  want="gcc-i686-linux-gnu qemu-user" ;;
arch-s390x) want="gcc-s390x-linux-gnu qemu-user" ;;
*) echo "usage: $0 build|check|run|bench|eval|arch-armhf|arch-i386|arch-s390x" >&2; exit 2 ;;
esac

command -v dpkg-query >/dev/null 2>&1 || exit 0

missing=
for p in $want; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$st" in
	*"install ok installed"*) ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "newsdigest: missing Debian packages:$missing" >&2
	echo "install them with:" >&2
	echo "  sudo apt-get install -y$missing" >&2
	exit 1
fi
echo "newsdigest: installing missing Debian packages:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
# A fresh machine has no package lists yet.
if ! apt-get install -y --no-install-recommends $missing; then
	apt-get update
	apt-get install -y --no-install-recommends $missing
fi
# The Debian package starts a system broker on port 1883; our tests and the
# demo start their own on free ports and need nothing from it.
