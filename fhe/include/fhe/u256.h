// Unsigned 256-bit integers for cleartexts: scalars, trivial encryptions, decryption results and
// the reference semantics in tests. Arithmetic wraps mod 2^256; `truncate(bits)` reduces mod
// 2^bits.
//
// Thread safety: a value type.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <span>
#include <string>

namespace fhe {

struct U256 {
  std::array<uint64_t, 4> w{};  // little-endian 64-bit limbs

  constexpr U256() = default;
  constexpr U256(uint64_t v) : w{v, 0, 0, 0} {}  // NOLINT: implicit from small values

  static U256 max() { return ~U256{}; }
  // Big-endian bytes; longer inputs keep their last 32 bytes (left truncation, as FHEVM scalars).
  static U256 from_be_bytes(std::span<const uint8_t> bytes);
  // Decimal, or hexadecimal with 0x; throws std::invalid_argument (not a number, above 2^256-1).
  static U256 parse(const std::string& s);
  std::string to_string() const;  // decimal

  uint64_t low() const { return w[0]; }
  bool bit(unsigned i) const { return i < 256 && ((w[i / 64] >> (i % 64)) & 1) != 0; }
  bool is_zero() const { return (w[0] | w[1] | w[2] | w[3]) == 0; }
  unsigned bit_width() const;          // 0 for zero
  U256 truncate(unsigned bits) const;  // mod 2^bits
  // The i-th base-2^k digit (k <= 64).
  uint64_t digit(unsigned i, unsigned k) const;

  friend U256 operator+(const U256& a, const U256& b);
  friend U256 operator-(const U256& a, const U256& b);
  friend U256 operator*(const U256& a, const U256& b);
  friend U256 operator&(const U256& a, const U256& b);
  friend U256 operator|(const U256& a, const U256& b);
  friend U256 operator^(const U256& a, const U256& b);
  friend U256 operator~(const U256& a);
  friend U256 operator<<(const U256& a, unsigned s);  // s >= 256 gives 0
  friend U256 operator>>(const U256& a, unsigned s);
  friend bool operator==(const U256& a, const U256& b) = default;
  friend std::strong_ordering operator<=>(const U256& a, const U256& b);
  // Quotient and remainder; b must not be zero (std::domain_error).
  static void divmod(const U256& a, const U256& b, U256& q, U256& r);
};

}  // namespace fhe
