#include "chain/hex.h"

#include <algorithm>

#include "fhe/hash.h"

namespace chain {

namespace {

constexpr char kDigits[] = "0123456789abcdef";

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// At most 24 characters of untrusted input in an error message, without control bytes.
std::string excerpt(std::string_view s) {
  std::string out;
  for (char c : s.substr(0, 24)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  if (s.size() > 24) out += "...";
  return out;
}

[[noreturn]] void fail(const char* what, std::string_view input) {
  throw DecodeError(std::string(what) + ": \"" + excerpt(input) + "\"");
}

std::string_view strip_prefix(std::string_view s, const char* what) {
  if (s.size() < 2 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X')) fail(what, s);
  return s.substr(2);
}

void decode_digits(std::string_view digits, uint8_t* out, std::string_view input,
                   const char* what) {
  for (std::size_t i = 0; i < digits.size() / 2; ++i) {
    const int hi = hex_value(digits[2 * i]), lo = hex_value(digits[2 * i + 1]);
    if (hi < 0 || lo < 0) fail(what, input);
    out[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
}

// The digits of a quantity: non-empty, no leading zero unless exactly "0", at most max_digits.
std::string_view quantity_digits(std::string_view s, std::size_t max_digits) {
  const std::string_view d = strip_prefix(s, "quantity without 0x prefix");
  if (d.empty()) fail("empty quantity", s);
  if (d.size() > 1 && d[0] == '0') fail("quantity with a leading zero", s);
  if (d.size() > max_digits) fail("quantity out of range", s);
  for (char c : d) {
    if (hex_value(c) < 0) fail("invalid hex digit in quantity", s);
  }
  return d;
}

}  // namespace

std::string to_hex(ByteView bytes) {
  std::string s(2 + 2 * bytes.size(), '0');
  s[1] = 'x';
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    s[2 + 2 * i] = kDigits[bytes[i] >> 4];
    s[3 + 2 * i] = kDigits[bytes[i] & 15];
  }
  return s;
}

Bytes from_hex_unprefixed(std::string_view hex) {
  if (hex.size() % 2 != 0) fail("odd number of hex digits", hex);
  Bytes out(hex.size() / 2);
  decode_digits(hex, out.data(), hex, "invalid hex digit");
  return out;
}

Bytes from_hex(std::string_view hex) {
  const std::string_view d = strip_prefix(hex, "hex data without 0x prefix");
  if (d.size() % 2 != 0) fail("odd number of hex digits", hex);
  Bytes out(d.size() / 2);
  decode_digits(d, out.data(), hex, "invalid hex digit");
  return out;
}

std::string to_quantity(uint64_t v) {
  return to_quantity(fhe::U256(v));
}

std::string to_quantity(const fhe::U256& v) {
  if (v.is_zero()) return "0x0";
  std::string s = "0x";
  const unsigned digits = (v.bit_width() + 3) / 4;
  for (unsigned i = digits; i-- > 0;) s += kDigits[v.digit(i, 4)];
  return s;
}

uint64_t parse_quantity_u64(std::string_view s) {
  uint64_t v = 0;
  for (char c : quantity_digits(s, 16)) v = v << 4 | static_cast<uint64_t>(hex_value(c));
  return v;
}

fhe::U256 parse_quantity_u256(std::string_view s) {
  fhe::U256 v;
  for (char c : quantity_digits(s, 64))
    v = (v << 4) | fhe::U256(static_cast<uint64_t>(hex_value(c)));
  return v;
}

void detail::parse_fixed_hex(std::string_view hex, std::span<uint8_t> out) {
  const std::string_view d = strip_prefix(hex, "hex data without 0x prefix");
  if (d.size() != 2 * out.size()) {
    throw DecodeError("expected " + std::to_string(out.size()) + " bytes of hex, got \"" +
                      excerpt(hex) + "\"");
  }
  decode_digits(d, out.data(), hex, "invalid hex digit");
}

void detail::copy_fixed(ByteView b, std::span<uint8_t> out) {
  if (b.size() != out.size()) {
    throw DecodeError("expected " + std::to_string(out.size()) + " bytes, got " +
                      std::to_string(b.size()));
  }
  std::copy(b.begin(), b.end(), out.begin());
}

Address Address::from_hex(std::string_view hex) {
  Address a;
  detail::parse_fixed_hex(hex, a.bytes);
  const std::string_view d = hex.substr(2);
  const bool has_lower =
      std::any_of(d.begin(), d.end(), [](char c) { return c >= 'a' && c <= 'f'; });
  const bool has_upper =
      std::any_of(d.begin(), d.end(), [](char c) { return c >= 'A' && c <= 'F'; });
  if (has_lower && has_upper && a.checksum_hex().substr(2) != d) {
    fail("address with a wrong EIP-55 checksum", hex);
  }
  return a;
}

Address Address::from_span(ByteView b) {
  Address a;
  detail::copy_fixed(b, a.bytes);
  return a;
}

bool Address::is_zero() const {
  return bytes == std::array<uint8_t, 20>{};
}

// EIP-55: hex digit i is upper case when nibble i of keccak256(lower-case hex, as ASCII) is >= 8.
std::string Address::checksum_hex() const {
  std::string s = hex();
  const Hash32 h = keccak(std::string_view(s).substr(2));
  for (std::size_t i = 0; i < 40; ++i) {
    const unsigned nibble = (i % 2 == 0) ? h.bytes[i / 2] >> 4 : h.bytes[i / 2] & 15;
    char& c = s[2 + i];
    if (c >= 'a' && nibble >= 8) c = static_cast<char>(c - 'a' + 'A');
  }
  return s;
}

Hash32 keccak(ByteView data) {
  return Hash32{fhe::keccak256(data)};
}

Hash32 keccak(std::string_view text) {
  return keccak(ByteView(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
}

}  // namespace chain
