#include "chain/rlp.h"

#include <string>

namespace chain::rlp {

namespace {

// Big-endian bytes of v without leading zeros (empty for 0).
Bytes minimal_be(const fhe::U256& v) {
  Bytes out;
  const unsigned n = (v.bit_width() + 7) / 8;
  out.reserve(n);
  for (unsigned i = n; i-- > 0;) out.push_back(static_cast<uint8_t>(v.digit(i, 8)));
  return out;
}

void append_header(Bytes& out, std::size_t len, uint8_t short_base) {
  if (len <= 55) {
    out.push_back(static_cast<uint8_t>(short_base + len));
    return;
  }
  const Bytes be = minimal_be(fhe::U256(static_cast<uint64_t>(len)));
  out.push_back(static_cast<uint8_t>(short_base + 55 + be.size()));
  out.insert(out.end(), be.begin(), be.end());
}

void encode_into(Bytes& out, const Item& item) {
  if (!item.is_list()) {
    const Bytes& b = item.as_bytes();
    if (b.size() == 1 && b[0] < 0x80) {
      out.push_back(b[0]);
      return;
    }
    append_header(out, b.size(), 0x80);
    out.insert(out.end(), b.begin(), b.end());
    return;
  }
  Bytes payload;
  for (const Item& child : item.as_list()) encode_into(payload, child);
  append_header(out, payload.size(), 0xc0);
  out.insert(out.end(), payload.begin(), payload.end());
}

[[noreturn]] void fail(const std::string& msg) {
  throw RlpError("RLP: " + msg);
}

struct Header {
  bool is_list;
  std::size_t header_len;
  std::size_t payload_len;
};

// Parses and checks the header at the start of data against data's size.
Header read_header(ByteView data) {
  if (data.empty()) fail("unexpected end of input");
  const uint8_t b0 = data[0];
  if (b0 < 0x80) return {false, 0, 1};
  const bool is_list = b0 >= 0xc0;
  const uint8_t base = is_list ? 0xc0 : 0x80;
  Header h{is_list, 1, 0};
  if (b0 - base <= 55) {
    h.payload_len = b0 - base;
  } else {
    const std::size_t len_len = b0 - base - 55;  // 1..8
    if (data.size() < 1 + len_len) fail("truncated length");
    if (data[1] == 0) fail("length with a leading zero byte");
    uint64_t len = 0;
    for (std::size_t i = 0; i < len_len; ++i) len = len << 8 | data[1 + i];
    if (len <= 55) fail("long form for a payload of 55 bytes or fewer");
    h.header_len = 1 + len_len;
    if (len > data.size() - h.header_len) fail("length past the end of the input");
    h.payload_len = static_cast<std::size_t>(len);
  }
  if (h.payload_len > data.size() - h.header_len) fail("length past the end of the input");
  if (!is_list && h.header_len == 1 && h.payload_len == 1 && data[1] < 0x80) {
    fail("single byte below 0x80 wrapped in a string header");
  }
  return h;
}

Item decode_item(ByteView data, std::size_t& consumed, std::size_t depth, std::size_t max_depth) {
  const Header h = read_header(data);
  consumed = h.header_len + h.payload_len;
  const ByteView payload = data.subspan(h.header_len, h.payload_len);
  if (!h.is_list) return Item::bytes(payload);
  if (depth >= max_depth) fail("nesting deeper than " + std::to_string(max_depth));
  std::vector<Item> items;
  std::size_t pos = 0;
  while (pos < payload.size()) {
    std::size_t n = 0;
    items.push_back(decode_item(payload.subspan(pos), n, depth + 1, max_depth));
    pos += n;
  }
  return Item::list(std::move(items));
}

}  // namespace

Item Item::bytes(ByteView b) {
  return bytes(Bytes(b.begin(), b.end()));
}

Item Item::bytes(Bytes&& b) {
  Item it;
  it.bytes_ = std::move(b);
  return it;
}

Item Item::text(std::string_view s) {
  return bytes(Bytes(s.begin(), s.end()));
}

Item Item::uint(uint64_t v) {
  return bytes(minimal_be(fhe::U256(v)));
}

Item Item::uint(const fhe::U256& v) {
  return bytes(minimal_be(v));
}

Item Item::list(std::vector<Item> items) {
  Item it;
  it.is_list_ = true;
  it.items_ = std::move(items);
  return it;
}

const Bytes& Item::as_bytes() const {
  if (is_list_) fail("expected a byte string, got a list");
  return bytes_;
}

const std::vector<Item>& Item::as_list() const {
  if (!is_list_) fail("expected a list, got a byte string");
  return items_;
}

uint64_t Item::as_u64() const {
  const Bytes& b = as_bytes();
  if (b.size() > 8) fail("integer above 64 bits");
  if (!b.empty() && b[0] == 0) fail("integer with a leading zero byte");
  uint64_t v = 0;
  for (uint8_t x : b) v = v << 8 | x;
  return v;
}

fhe::U256 Item::as_u256() const {
  const Bytes& b = as_bytes();
  if (b.size() > 32) fail("integer above 256 bits");
  if (!b.empty() && b[0] == 0) fail("integer with a leading zero byte");
  return fhe::U256::from_be_bytes(b);
}

Address Item::as_address() const {
  const Bytes& b = as_bytes();
  if (b.size() != 20)
    fail("expected a 20-byte address, got " + std::to_string(b.size()) + " bytes");
  return Address::from_span(b);
}

Bytes encode(const Item& item) {
  Bytes out;
  encode_into(out, item);
  return out;
}

Bytes encode_bytes(ByteView b) {
  Bytes out;
  if (b.size() == 1 && b[0] < 0x80) {
    out.push_back(b[0]);
    return out;
  }
  append_header(out, b.size(), 0x80);
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

Bytes encode_uint(const fhe::U256& v) {
  return encode_bytes(minimal_be(v));
}

Bytes encode_list_payload(ByteView payload) {
  Bytes out;
  append_header(out, payload.size(), 0xc0);
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

Item decode(ByteView data, std::size_t max_depth) {
  std::size_t consumed = 0;
  Item item = decode_item(data, consumed, 0, max_depth);
  if (consumed != data.size()) {
    fail(std::to_string(data.size() - consumed) + " trailing bytes after the item");
  }
  return item;
}

std::size_t item_length(ByteView data) {
  const Header h = read_header(data);
  return h.header_len + h.payload_len;
}

}  // namespace chain::rlp
