#!/usr/bin/env bash
# Live cross-implementation check (issue 6), both directions, through a temp dir:
#   Node (libsodium.js, bs58, bip39 pinned in testdata/gen) produces fresh random
#   objects of every kind and the Go SDK opens them; the Go SDK produces the same
#   kinds and libsodium.js opens them. Any mismatch fails, naming the object kind,
#   name and field. Needs Node 20 + npm (installs testdata/gen's pinned packages
#   with `npm ci` if node_modules is missing). Takes a few seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v node >/dev/null 2>&1; then
	echo "crosscheck: FAILED: node is not installed (Node 20 and npm are needed)" >&2
	exit 1
fi
if [ ! -d testdata/gen/node_modules ]; then
	echo "crosscheck: installing the pinned npm packages (npm ci in testdata/gen)"
	(cd testdata/gen && npm ci --no-audit --no-fund)
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
start=$SECONDS
status=0

# Negative control: each opener must catch one flipped ciphertext bit, naming
# the object and field, or the checks above prove nothing.
flip() {
	node -e 'const fs = require("fs"); const b = fs.readFileSync(process.argv[1]); b[b.length >> 1] ^= 1; fs.writeFileSync(process.argv[1], b);' "$1"
}
control() { # control NAME OPENER... : the opener must fail and name file NAME's data
	local name="$1" out
	shift
	if out="$("$@" 2>&1)"; then
		echo "crosscheck: FAILED negative control: a tampered $name was accepted" >&2
		status=1
	elif ! grep -q "file $name.data" <<<"$out"; then
		echo "crosscheck: FAILED negative control: no mismatch named file $name.data:" >&2
		echo "$out" >&2
		status=1
	fi
}

# Both backends: libsodium (cgo) and pure Go (CGO_ENABLED=0, x/crypto's
# assembly on), each in both directions.
for backend in libsodium go; do
	d="$tmp/$backend"
	mkdir -p "$d/node" "$d/go"
	cgo=1
	[ "$backend" = go ] && cgo=0
	CGO_ENABLED=$cgo go build -o "$d/crosscheck" ./conformance/internal/crosscheck

	echo "crosscheck ($backend): Node produces, Go opens"
	node testdata/gen/crosscheck.js produce "$d/node"
	"$d/crosscheck" open "$d/node" || status=1

	echo "crosscheck ($backend): Go produces, Node opens"
	"$d/crosscheck" produce "$d/go"
	node testdata/gen/crosscheck.js open "$d/go" || status=1

	flip "$d/node/node-file-2.bin"
	control node-file-2 "$d/crosscheck" open "$d/node"
	flip "$d/go/go-file-2.bin"
	control go-file-2 node testdata/gen/crosscheck.js open "$d/go"
	[ "$status" -eq 0 ] && echo "crosscheck ($backend): negative controls caught (a flipped bit, both openers)"
done

if [ "$status" -ne 0 ]; then
	echo "crosscheck: FAILED (see MISMATCH lines above)" >&2
	exit 1
fi
echo "crosscheck: OK, both backends, both directions ($((SECONDS - start))s)"
