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
# npm ci when node_modules is missing or lacks a package the pins name (a
# checkout that gained a dependency since its last install).
if ! (cd testdata/gen && node -e 'const p = require("./package.json"); for (const d of Object.keys({...p.dependencies, ...p.devDependencies})) require.resolve(d + "/package.json");') >/dev/null 2>&1; then
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
# And each must refuse an SRP exchange whose client proof M1 was changed.
flipM1() { # flipM1 DIR NAME
	node -e 'const fs = require("fs"); const f = process.argv[1] + "/manifest.json"; const m = JSON.parse(fs.readFileSync(f));
const o = m.objects.find((o) => o.name === process.argv[2]); const b = Buffer.from(o.M1, "base64"); b[0] ^= 1; o.M1 = b.toString("base64");
fs.writeFileSync(f, JSON.stringify(m));' "$1" "$2"
}
srpControl() { # srpControl NAME OPENER...
	local name="$1" out
	shift
	if out="$("$@" 2>&1)" || ! grep -q "srpExchange $name.M1" <<<"$out"; then
		echo "crosscheck: FAILED negative control: a changed M1 in $name was not named:" >&2
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
	flipM1 "$d/node" node-srp-1
	srpControl node-srp-1 "$d/crosscheck" open "$d/node"
	flipM1 "$d/go" go-srp-1
	srpControl go-srp-1 node testdata/gen/crosscheck.js open "$d/go"
	[ "$status" -eq 0 ] && echo "crosscheck ($backend): negative controls caught (a flipped bit and a changed SRP M1, both openers)"
done

if [ "$status" -ne 0 ]; then
	echo "crosscheck: FAILED (see MISMATCH lines above)" >&2
	exit 1
fi
echo "crosscheck: OK, both backends, both directions ($((SECONDS - start))s)"
