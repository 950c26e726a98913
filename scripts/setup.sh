#!/usr/bin/env bash
# Makes libsodium (and pkg-config, which cgo uses to find it) available.
# Installs it with apt-get when running as root on Debian/Ubuntu; otherwise
# prints the exact command for this platform and exits non-zero.
set -euo pipefail

if command -v pkg-config >/dev/null 2>&1 && pkg-config --exists libsodium; then
	exit 0
fi

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "setup: installing libsodium-dev and pkg-config with apt-get" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq libsodium-dev pkg-config >/dev/null
	if pkg-config --exists libsodium; then
		echo "setup: libsodium $(pkg-config --modversion libsodium) installed" >&2
		exit 0
	fi
	echo "setup: apt-get finished but pkg-config still cannot find libsodium" >&2
	exit 1
fi

cat >&2 <<'MSG'
setup: libsodium (>= 1.0.18) and pkg-config are required and were not found.
Install them, then run make again:
  Debian/Ubuntu:  sudo apt-get update && sudo apt-get install -y libsodium-dev pkg-config
  Fedora/RHEL:    sudo dnf install -y libsodium-devel pkgconf-pkg-config
  Alpine:         sudo apk add libsodium-dev pkgconf
  macOS:          brew install libsodium pkg-config
A libsodium installed elsewhere: point PKG_CONFIG_PATH at the directory holding libsodium.pc.
Or do without it: go build -tags purego (or CGO_ENABLED=0) selects the pure-Go backend,
byte-identical on the wire (make test itself needs libsodium: it tests both backends).
MSG
exit 1
