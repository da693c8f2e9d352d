// Recursive Length Prefix (Ethereum Yellow Paper, appendix B).
//
//   byte string s, |s| = 1 and s[0] < 0x80   ->  s
//   byte string s, |s| <= 55                 ->  0x80 + |s|, s
//   byte string s, |s| > 55                  ->  0xb7 + |BE(|s|)|, BE(|s|), s
//   list of items with payload p (concatenated encodings), same rule with 0xc0 / 0xf7
//   integers are byte strings: big-endian without leading zeros, 0 -> empty string (0x80)
//
// Decoding accepts only the canonical form and throws chain::RlpError (a DecodeError) otherwise:
// a single byte < 0x80 wrapped as 0x81 xx, a long form for a payload <= 55 bytes, length bytes
// with a leading zero, lengths past the end of the input, list items that do not exactly fill
// the list, trailing bytes after the top item, nesting deeper than the limit. Hostile input never
// crashes, and memory use stays proportional to its size.
//
// Thread safety: pure functions and value types.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "chain/hex.h"
#include "fhe/u256.h"

namespace chain {

class RlpError : public DecodeError {
 public:
  using DecodeError::DecodeError;
};

namespace rlp {

// A decoded (or to-be-encoded) item: a byte string or a list of items.
class Item {
 public:
  Item() = default;  // the empty byte string
  static Item bytes(ByteView b);
  static Item bytes(Bytes&& b);
  static Item text(std::string_view s);
  static Item uint(uint64_t v);  // minimal big-endian
  static Item uint(const fhe::U256& v);
  static Item list(std::vector<Item> items);

  bool is_list() const { return is_list_; }
  // The byte string; throws RlpError for a list.
  const Bytes& as_bytes() const;
  // The items; throws RlpError for a byte string.
  const std::vector<Item>& as_list() const;
  // Canonical integers: no leading zero byte, at most 8 (32) bytes; throws RlpError otherwise.
  uint64_t as_u64() const;
  fhe::U256 as_u256() const;
  // Exactly 20 bytes.
  Address as_address() const;

  friend bool operator==(const Item&, const Item&) = default;

 private:
  bool is_list_ = false;
  Bytes bytes_;
  std::vector<Item> items_;
};

Bytes encode(const Item& item);

// Building blocks for encoders that assemble payloads themselves.
Bytes encode_bytes(ByteView b);
Bytes encode_uint(const fhe::U256& v);
// Wraps an already-concatenated list payload in its list header.
Bytes encode_list_payload(ByteView payload);

// Nesting depth 0 is a byte string; each list adds one.
constexpr std::size_t kDefaultMaxDepth = 64;

// Decodes exactly one item that spans the whole input.
Item decode(ByteView data, std::size_t max_depth = kDefaultMaxDepth);

// The length of the first item of data (header + payload), checking only its header; for
// splitting concatenations. Throws RlpError.
std::size_t item_length(ByteView data);

}  // namespace rlp
}  // namespace chain
