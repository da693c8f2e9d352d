#!/usr/bin/env bash
# Interop scenario between our CLI (build/bin/fhe) and node-tfhe@1.7.0 (the TFHE-rs client):
#   (a) node-tfhe makes a ClientKey (default config) and encrypts FheBool / FheUint2 / FheUint8;
#       `fhe keygen --tfhe-rs-client-key` imports the key and `fhe decrypt` prints every value.
#   (b) `fhe encrypt` writes files that node-tfhe decrypts.
#   (c) `fhe eval lut` bootstraps node-tfhe ciphertexts with our server keys; node-tfhe decrypts.
#   (d) `fhe export-client-key` is accepted by node-tfhe, decrypts our ciphertexts, and equals the
#       imported key byte for byte.
#   (e) a key of our own keygen, exported, is accepted by node-tfhe and decrypts our ciphertexts.
#
# Usage: tests/interop/run.sh PATH/TO/fhe TOOLS_DIR   (TOOLS_DIR holds node_modules/node-tfhe)
# Exit status: 0 all checks passed, 1 a check failed or a prerequisite is missing (`make test`
# installs node-tfhe; a missing one is a failure, never a silent skip).
set -uo pipefail

FHE=${1:?usage: run.sh PATH/TO/fhe TOOLS_DIR}
TOOLS=${2:?usage: run.sh PATH/TO/fhe TOOLS_DIR}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

if ! command -v node > /dev/null; then
  echo "interop: FAILED: node is not installed (scripts/install-deps.sh installs it)" >&2
  exit 1
fi
if [[ ! -d "$TOOLS/node_modules/node-tfhe" ]]; then
  echo "interop: FAILED: node-tfhe missing in $TOOLS/node_modules (run: npm ci --prefix $TOOLS)" >&2
  exit 1
fi
if [[ ! -x "$FHE" ]]; then
  echo "interop: FAILED: $FHE is not an executable" >&2
  exit 1
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/fhe-interop.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

failures=0
checks=0

node_tfhe() { node "$HERE/tfhe.js" "$TOOLS" "$@"; }

pass() {
  checks=$((checks + 1))
  echo "  ok    $*"
}
fail() {
  checks=$((checks + 1))
  failures=$((failures + 1))
  echo "  FAIL  $*"
}
# Runs a command; on failure prints its stderr and returns 1.
run() {
  local err="$TMP/stderr"
  if ! "$@" 2> "$err"; then
    echo "  FAIL  command failed: $*" >&2
    sed 's/^/        /' "$err" >&2
    return 1
  fi
}
# expect LABEL WANT GOT
expect() {
  if [[ "$3" == "$2" ]]; then pass "$1: $3"; else fail "$1: got '$3', expected '$2'"; fi
}
# A fatal step: stop here (later checks depend on it).
fatal() {
  echo "interop: FAILED: $*" >&2
  exit 1
}

echo "interop: node-tfhe <-> $FHE (work dir $TMP)"

# ---- (a) node-tfhe key and ciphertexts -> fhe decrypt ----
echo "(a) node-tfhe ClientKey and ciphertexts, decrypted by fhe"
mkdir -p "$TMP/node" || fatal "cannot create $TMP/node"
run node_tfhe keygen "$TMP/node" || fatal "node-tfhe keygen failed"
start=$(date +%s)
run "$FHE" keygen --out "$TMP/keys" --tfhe-rs-client-key "$TMP/node/ck.bin" > /dev/null ||
  fatal "fhe keygen --tfhe-rs-client-key failed"
echo "      (fhe keygen from the node-tfhe key: $(($(date +%s) - start)) s)"
while read -r file type value; do
  got=$(run "$FHE" decrypt --keys "$TMP/keys" --type "$type" "$TMP/node/$file") || got="<error>"
  expect "fhe decrypt --type $type $file" "$value" "$got"
  got=$(run "$FHE" decrypt --keys "$TMP/keys" "$TMP/node/$file") || got="<error>"
  expect "fhe decrypt $file (no --type)" "$value" "$got"
done < "$TMP/node/expected.txt"
# Guard against a short or empty list silently passing: 2 bool, 4 uint2 and 5 uint8 values.
lines=$(wc -l < "$TMP/node/expected.txt")
if [[ "$lines" -ge 11 ]]; then pass "node-tfhe wrote $lines ciphertexts"; else fail "node-tfhe wrote only $lines ciphertexts"; fi
# The type check: a FheUint2 blob is not a uint8, a FheBool is not a uint2.
if "$FHE" decrypt --keys "$TMP/keys" --type uint8 "$TMP/node/uint2_3.bin" > /dev/null 2>&1; then
  fail "fhe decrypt --type uint8 of a FheUint2 was accepted"
else
  pass "fhe decrypt --type uint8 of a FheUint2 is rejected"
fi
if "$FHE" decrypt --keys "$TMP/keys" --type uint2 "$TMP/node/bool_true.bin" > /dev/null 2>&1; then
  fail "fhe decrypt --type uint2 of a FheBool was accepted"
else
  pass "fhe decrypt --type uint2 of a FheBool is rejected"
fi

# ---- (b) fhe encrypt -> node-tfhe decrypt ----
echo "(b) fhe encrypt, decrypted by node-tfhe"
mkdir -p "$TMP/ours"
for tv in bool:true bool:false uint2:0 uint2:1 uint2:2 uint2:3 uint8:0 uint8:1 uint8:77 \
  uint8:200 uint8:255 uint16:65535 uint32:4000000000 uint64:18446744073709551615; do
  type=${tv%%:*}
  value=${tv#*:}
  f="$TMP/ours/${type}_${value}.bin"
  if ! run "$FHE" encrypt --keys "$TMP/keys" --type "$type" --value "$value" > "$f"; then
    fail "fhe encrypt --type $type --value $value"
    continue
  fi
  got=$(run node_tfhe decrypt "$TMP/node/ck.bin" "$type" "$f") || got="<error>"
  expect "node-tfhe decrypts fhe encrypt $type $value" "$value" "$got"
done

# ---- (c) fhe eval lut on node-tfhe ciphertexts -> node-tfhe decrypt ----
echo "(c) fhe eval lut (our server keys) on node-tfhe ciphertexts, decrypted by node-tfhe"
# type fn input-file expected
while read -r type fn file want; do
  out="$TMP/ours/lut_${fn}_${file}"
  if ! run "$FHE" eval lut --keys "$TMP/keys" --type "$type" --fn "$fn" "$TMP/node/$file" > "$out"; then
    fail "fhe eval lut --fn $fn $file"
    continue
  fi
  got=$(run node_tfhe decrypt "$TMP/node/ck.bin" "$type" "$out") || got="<error>"
  expect "node-tfhe decrypts $fn($file)" "$want" "$got"
done << 'EOF'
uint2 square uint2_3.bin 1
uint2 square uint2_2.bin 0
uint2 double uint2_3.bin 2
uint2 double uint2_1.bin 2
uint2 identity uint2_2.bin 2
bool not bool_true.bin false
EOF

# ---- (d) fhe export-client-key -> node-tfhe ----
echo "(d) fhe export-client-key, used by node-tfhe"
if run "$FHE" export-client-key "$TMP/keys" > "$TMP/ck2.bin"; then
  if cmp -s "$TMP/ck2.bin" "$TMP/node/ck.bin"; then
    pass "exported key is byte-identical to the imported node-tfhe key ($(wc -c < "$TMP/ck2.bin") bytes)"
  else
    fail "exported key differs from the imported node-tfhe key"
  fi
  for f in bool_true uint2_3 uint8_200 uint64_18446744073709551615; do
    type=${f%%_*}
    value=${f#*_}
    got=$(run node_tfhe decrypt "$TMP/ck2.bin" "$type" "$TMP/ours/$f.bin") || got="<error>"
    expect "node-tfhe with the exported key decrypts fhe encrypt $type $value" "$value" "$got"
  done
  got=$(run node_tfhe decrypt "$TMP/ck2.bin" uint2 "$TMP/ours/lut_square_uint2_3.bin") ||
    got="<error>"
  expect "node-tfhe with the exported key decrypts square(3)" "1" "$got"
else
  fail "fhe export-client-key"
fi

# ---- (e) a key of our own keygen -> node-tfhe ----
echo "(e) our own keygen, exported and used by node-tfhe"
if run "$FHE" keygen --out "$TMP/own" --seed 20240607 > /dev/null &&
  run "$FHE" export-client-key "$TMP/own" > "$TMP/own_ck.bin"; then
  for tv in bool:true uint2:2 uint8:123; do
    type=${tv%%:*}
    value=${tv#*:}
    f="$TMP/own/${type}_${value}.bin"
    if run "$FHE" encrypt --keys "$TMP/own" --type "$type" --value "$value" > "$f"; then
      got=$(run node_tfhe decrypt "$TMP/own_ck.bin" "$type" "$f") || got="<error>"
    else
      got="<error>"
    fi
    expect "node-tfhe with our own exported key decrypts $type $value" "$value" "$got"
  done
  run node_tfhe encrypt "$TMP/own_ck.bin" uint8 42 "$TMP/own/node_uint8_42.bin" &&
    got=$(run "$FHE" decrypt --keys "$TMP/own" --type uint8 "$TMP/own/node_uint8_42.bin") ||
    got="<error>"
  expect "fhe decrypts node-tfhe encrypt under our own exported key" "42" "$got"
else
  fail "fhe keygen --seed / export-client-key"
fi

if ((failures > 0)); then
  echo "interop: FAILED: $failures of $checks checks failed" >&2
  exit 1
fi
echo "interop: all $checks checks passed"
