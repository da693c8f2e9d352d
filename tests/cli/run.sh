#!/usr/bin/env bash
# Command-line checks of `fhe` on the INSECURE toy set (fast): round trips for every type, the
# lookup-table bootstrap, and bad input (one-line error, non-zero exit, never a crash).
# Usage: tests/cli/run.sh path/to/fhe
set -u
FHE=${1:?usage: run.sh path/to/fhe}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fails=0
pass=0
ok() { pass=$((pass + 1)); echo "ok   $*"; }
bad() { fails=$((fails + 1)); echo "FAIL $*"; }

expect_eq() {  # name, got, want
  if [ "$2" == "$3" ]; then ok "$1"; else bad "$1: got '$2', want '$3'"; fi
}

# A failing command must exit with 1 (not a signal, not 0) and print exactly one line on stderr
# that starts with "fhe: error:".
expect_error() {  # name, command...
  local name=$1
  shift
  "$@" >"$work/out" 2>"$work/err"
  local rc=$?
  local lines
  lines=$(wc -l <"$work/err")
  if [ "$rc" -eq 1 ] && [ "$lines" -eq 1 ] && grep -q '^fhe: error: ' "$work/err"; then
    ok "$name -> $(cat "$work/err")"
  else
    bad "$name: rc=$rc, stderr: $(head -c 300 "$work/err")"
  fi
}

"$FHE" keygen --out "$work/toy" --params toy --seed 7 2>"$work/keygen.log" || {
  cat "$work/keygen.log"
  bad "keygen"
}
grep -q 'keygen: \[1/5\] bootstrap key' "$work/keygen.log" && ok "keygen prints progress" ||
  bad "keygen progress lines"

# Round trips, with the extremes of every width.
while read -r type value; do
  got="<error>"
  "$FHE" encrypt --keys "$work/toy" --type "$type" --value "$value" >"$work/ct" &&
    got=$("$FHE" decrypt --keys "$work/toy" --type "$type" "$work/ct")
  expect_eq "round trip $type $value" "$got" "$value"
done <<'ROWS'
bool true
bool false
uint2 0
uint2 3
uint4 9
uint8 0
uint8 255
uint16 65535
uint32 4294967295
uint64 18446744073709551615
uint128 340282366920938463463374607431768211455
uint160 1461501637330902918203684832716283019655932542975
uint256 115792089237316195423570985008687907853269984665640564039457584007913129639935
uint256 1
ROWS

# One bootstrap through a table.
"$FHE" encrypt --keys "$work/toy" --type uint2 --value 3 >"$work/u2"
"$FHE" eval lut --keys "$work/toy" --type uint2 --fn square "$work/u2" >"$work/sq" 2>/dev/null
expect_eq "eval lut square 3" "$("$FHE" decrypt --keys "$work/toy" "$work/sq")" "1"
"$FHE" encrypt --keys "$work/toy" --type bool --value true >"$work/b"
"$FHE" eval lut --keys "$work/toy" --type bool --fn not "$work/b" >"$work/nb" 2>/dev/null
expect_eq "eval lut not true" "$("$FHE" decrypt --keys "$work/toy" "$work/nb")" "false"

# The client key is readable by its owner only, whatever the umask.
expect_eq "client key mode" "$(stat -c %a "$work/toy/client_key.bin")" "600"

# Operators on ciphertext files and scalars.
"$FHE" encrypt --keys "$work/toy" --type uint8 --value 200 >"$work/a8"
"$FHE" encrypt --keys "$work/toy" --type uint8 --value 100 >"$work/b8"
"$FHE" encrypt --keys "$work/toy" --type uint8 --value 3 >"$work/s3"
while read -r op rhs want wtype; do
  [ "$rhs" == "-" ] && rhs=""
  got="<error>"
  "$FHE" eval --keys "$work/toy" --op "$op" --type uint8 "$work/a8" $rhs >"$work/r" 2>/dev/null &&
    got=$("$FHE" decrypt --keys "$work/toy" --type "$wtype" "$work/r")
  expect_eq "eval --op $op uint8 200 ${rhs##*/}" "$got" "$want"
done <<ROWS
add $work/b8 44 uint8
sub $work/b8 100 uint8
sub 0x10 184 uint8
bitxor 255 55 uint8
gt $work/b8 true bool
le 200 true bool
min $work/b8 100 uint8
mul $work/b8 32 uint8
div $work/b8 2 uint8
rem 7 4 uint8
shl 3 64 uint8
rotr 9 100 uint8
shl $work/s3 64 uint8
neg - 56 uint8
not - 55 uint8
ROWS
"$FHE" eval --keys "$work/toy" --op lt --type uint8 "$work/a8" "$work/b8" >"$work/c" 2>/dev/null
"$FHE" eval --keys "$work/toy" --op if_then_else --type uint8 "$work/c" "$work/a8" "$work/b8" >"$work/r" 2>/dev/null
expect_eq "eval --op if_then_else" "$("$FHE" decrypt --keys "$work/toy" "$work/r")" "100"
"$FHE" eval --keys "$work/toy" --op cast --type uint8 --to uint4 "$work/a8" >"$work/r" 2>/dev/null
expect_eq "eval --op cast uint8 200 to uint4" "$("$FHE" decrypt --keys "$work/toy" --type uint4 "$work/r")" "8"
"$FHE" eval --keys "$work/toy" --op sum --type uint8 "$work/a8" "$work/b8" "$work/a8" >"$work/r" 2>/dev/null
expect_eq "eval --op sum 200 100 200" "$("$FHE" decrypt --keys "$work/toy" "$work/r")" "244"
"$FHE" eval --keys "$work/toy" --op is_in --type uint8 "$work/a8" "$work/b8" "$work/a8" >"$work/r" 2>/dev/null
expect_eq "eval --op is_in 200 {100, 200}" "$("$FHE" decrypt --keys "$work/toy" --type bool "$work/r")" "true"
# FHEVM's scalar-only operators and MulDiv.
"$FHE" eval --keys "$work/toy" --op trivial --type bool 256 >"$work/r" 2>/dev/null
expect_eq "eval --op trivial bool 256 (last byte decides)" "$("$FHE" decrypt --keys "$work/toy" "$work/r")" "false"
"$FHE" eval --keys "$work/toy" --op trivial --type uint8 0x1234 >"$work/r" 2>/dev/null
expect_eq "eval --op trivial uint8 0x1234" "$("$FHE" decrypt --keys "$work/toy" "$work/r")" "52"
"$FHE" eval --keys "$work/toy" --op rand --type uint16 99 >"$work/r1" 2>/dev/null
"$FHE" eval --keys "$work/toy" --op rand --type uint16 99 >"$work/r2" 2>/dev/null
cmp -s "$work/r1" "$work/r2" && ok "eval --op rand is deterministic" || bad "eval --op rand differs"
"$FHE" eval --keys "$work/toy" --op rand_bounded --type uint16 4 99 >"$work/r" 2>/dev/null
v=$("$FHE" decrypt --keys "$work/toy" --type uint16 "$work/r")
[ -n "$v" ] && [ "$v" -lt 4 ] && ok "eval --op rand_bounded 4 -> $v" || bad "rand_bounded 4 gave '$v'"
"$FHE" eval --keys "$work/toy" --op muldiv --type uint8 "$work/a8" "$work/b8" 7 >"$work/r" 2>/dev/null
expect_eq "eval --op muldiv 200*100/7" "$("$FHE" decrypt --keys "$work/toy" "$work/r")" "$((200 * 100 / 7 % 256))"
expect_error "muldiv by zero" "$FHE" eval --keys "$work/toy" --op muldiv --type uint8 "$work/a8" 3 256
expect_error "rand seed over 128 bits" "$FHE" eval --keys "$work/toy" --op rand --type uint8 0x100000000000000000000000000000000
# Storage form: compress and decompress.
"$FHE" compress --keys "$work/toy" --type uint8 "$work/a8" >"$work/z" 2>/dev/null
"$FHE" decompress --keys "$work/toy" "$work/z" >"$work/r" 2>/dev/null
expect_eq "compress, decompress uint8 200" "$("$FHE" decrypt --keys "$work/toy" --type uint8 "$work/r")" "200"
head -c 90 "$work/z" >"$work/z_short"
expect_error "truncated compressed list" "$FHE" decompress --keys "$work/toy" "$work/z_short"
expect_error "a ciphertext is not a compressed list" "$FHE" decompress --keys "$work/toy" "$work/a8"
expect_error "eval: unknown operator" "$FHE" eval --keys "$work/toy" --op frobnicate --type uint8 "$work/a8"
expect_error "eval: wrong arity" "$FHE" eval --keys "$work/toy" --op add --type uint8 "$work/a8"
expect_error "eval: scalar as first operand" "$FHE" eval --keys "$work/toy" --op add --type uint8 5 "$work/a8"
expect_error "eval: operand of another type" "$FHE" eval --keys "$work/toy" --op add --type uint16 "$work/a8" "$work/b8"
expect_error "eval: cast without --to" "$FHE" eval --keys "$work/toy" --op cast --type uint8 "$work/a8"

# Bad input.
"$FHE" encrypt --keys "$work/toy" --type uint8 --value 77 >"$work/u8"
head -c 1000 "$work/u8" >"$work/trunc"
expect_error "truncated ciphertext" "$FHE" decrypt --keys "$work/toy" "$work/trunc"
expect_error "wrong type (uint8 read as uint16)" "$FHE" decrypt --keys "$work/toy" --type uint16 "$work/u8"
expect_error "wrong type (uint8 read as bool)" "$FHE" decrypt --keys "$work/toy" --type bool "$work/u8"
printf 'not a ciphertext at all' >"$work/garbage"
expect_error "garbage file" "$FHE" decrypt --keys "$work/toy" "$work/garbage"
expect_error "missing file" "$FHE" decrypt --keys "$work/toy" "$work/nope"
expect_error "missing keys" "$FHE" decrypt --keys "$work/nokeys" "$work/u8"
expect_error "value too large" "$FHE" encrypt --keys "$work/toy" --type uint8 --value 256
expect_error "not a number" "$FHE" encrypt --keys "$work/toy" --type uint8 --value 12x
expect_error "unknown type" "$FHE" encrypt --keys "$work/toy" --type uint7 --value 1
expect_error "eval on a multi-block type" "$FHE" eval lut --keys "$work/toy" --type uint8 --fn square "$work/u8"
expect_error "unknown function" "$FHE" eval lut --keys "$work/toy" --type uint2 --fn cube "$work/u2"
head -c 100000 "$work/toy/server_key.bin" >"$work/sk_trunc"
mkdir -p "$work/broken" && cp "$work/toy/client_key.bin" "$work/broken/" && cp "$work/sk_trunc" "$work/broken/server_key.bin"
expect_error "truncated server key" "$FHE" eval lut --keys "$work/broken" --type uint2 --fn square "$work/u2"
# A ciphertext of another parameter set: a real-parameter FheUint8 from the node-tfhe fixtures.
data=$(cd "$(dirname "$0")/../data" && pwd)
expect_error "ciphertext of another parameter set" "$FHE" decrypt --keys "$work/toy" "$data/tfhers_fheuint2_2.bin"
expect_error "a directory as ciphertext" "$FHE" decrypt --keys "$work/toy" "$work/toy"
truncate -s 20M "$work/huge"
expect_error "a file over the 16 MiB ciphertext limit" "$FHE" decrypt --keys "$work/toy" "$work/huge"
expect_error "a value with a newline" "$FHE" encrypt --keys "$work/toy" --type uint8 --value $'1\n2'
expect_error "a seed over 128 bits" "$FHE" keygen --out "$work/k2" --params toy \
  --seed 340282366920938463463374607431768211456
"$FHE" --help >/dev/null && ok "--help" || bad "--help"
for sub in keygen export-client-key encrypt decrypt eval compress decompress demo; do
  "$FHE" "$sub" --help | grep -q -i usage && ok "$sub --help" || bad "$sub --help"
done
"$FHE" >/dev/null 2>&1
[ $? -eq 2 ] && ok "no subcommand -> usage error (2)" || bad "no subcommand exit status"

echo "$pass passed, $fails failed"
[ "$fails" -eq 0 ]
