// Byte strings as Ethereum writes them: 0x-prefixed hex data, JSON-RPC quantities, 20-byte
// addresses with EIP-55 checksums, 32-byte hashes.
//
// Parsing is strict and throws chain::DecodeError (a std::runtime_error) with a one-line message
// that never quotes more than a short prefix of the input:
//   data      "0x" then an even number of hex digits (either case); "0x" alone is empty
//   quantity  "0x0", or "0x" then hex digits without a leading zero (the JSON-RPC spec)
//   address   "0x" then 40 hex digits; all lower case, all upper case, or mixed case that is
//   exactly
//             the EIP-55 checksum (a wrong checksum is rejected: it signals a mistyped address)
//
// Thread safety: pure functions and value types.
#pragma once

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "fhe/u256.h"

namespace chain {

using Bytes = std::vector<uint8_t>;
using ByteView = std::span<const uint8_t>;

// Malformed external input: hex, RLP, ABI data, signatures, transactions. Callers that read from
// the network catch this one type and treat the input as invalid (never retry it).
class DecodeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// "0x" followed by lower-case hex.
std::string to_hex(ByteView bytes);
// Strict 0x-prefixed data (see above).
Bytes from_hex(std::string_view hex);
// Hex digits without the prefix, even length.
Bytes from_hex_unprefixed(std::string_view hex);

// JSON-RPC quantities: minimal hex, "0x0" for zero.
std::string to_quantity(uint64_t v);
std::string to_quantity(const fhe::U256& v);
uint64_t parse_quantity_u64(std::string_view s);  // also rejects values above 2^64 - 1
fhe::U256 parse_quantity_u256(std::string_view s);

namespace detail {
// Exactly out.size() bytes of 0x-prefixed hex into out; throws DecodeError.
void parse_fixed_hex(std::string_view hex, std::span<uint8_t> out);
// b.size() must equal out.size(); throws DecodeError.
void copy_fixed(ByteView b, std::span<uint8_t> out);
}  // namespace detail

// N bytes with value semantics, ordered and hashable (for map keys).
template <std::size_t N>
struct FixedBytes {
  std::array<uint8_t, N> bytes{};

  // Exactly N bytes of 0x-prefixed hex.
  static FixedBytes from_hex(std::string_view hex) {
    FixedBytes r;
    detail::parse_fixed_hex(hex, r.bytes);
    return r;
  }
  static FixedBytes from_span(ByteView b) {  // b.size() must be N
    FixedBytes r;
    detail::copy_fixed(b, r.bytes);
    return r;
  }
  std::string hex() const { return to_hex(bytes); }
  ByteView view() const { return bytes; }
  bool is_zero() const { return bytes == std::array<uint8_t, N>{}; }
  friend auto operator<=>(const FixedBytes&, const FixedBytes&) = default;
};

using Hash32 = FixedBytes<32>;

// A 20-byte account address.
struct Address {
  std::array<uint8_t, 20> bytes{};

  // Checked parsing (see above).
  static Address from_hex(std::string_view hex);
  static Address from_span(ByteView b);              // b.size() must be 20
  std::string hex() const { return to_hex(bytes); }  // lower case
  std::string checksum_hex() const;                  // EIP-55 mixed case
  ByteView view() const { return bytes; }
  bool is_zero() const;
  friend auto operator<=>(const Address&, const Address&) = default;
};

// keccak256 of bytes, as a Hash32.
Hash32 keccak(ByteView data);
Hash32 keccak(std::string_view text);

}  // namespace chain

template <std::size_t N>
struct std::hash<chain::FixedBytes<N>> {
  std::size_t operator()(const chain::FixedBytes<N>& h) const noexcept {
    std::size_t v = 0;
    for (uint8_t b : h.bytes) v = v * 131 + b;
    return v;
  }
};

template <>
struct std::hash<chain::Address> {
  std::size_t operator()(const chain::Address& a) const noexcept {
    std::size_t v = 0;
    for (uint8_t b : a.bytes) v = v * 131 + b;
    return v;
  }
};
