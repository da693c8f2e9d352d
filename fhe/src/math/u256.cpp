#include "fhe/u256.h"

#include <stdexcept>

namespace fhe {

__extension__ typedef unsigned __int128 u128_t;

U256 operator+(const U256& a, const U256& b) {
  U256 r;
  uint64_t carry = 0;
  for (int i = 0; i < 4; ++i) {
    const u128_t s = u128_t{a.w[i]} + b.w[i] + carry;
    r.w[i] = static_cast<uint64_t>(s);
    carry = static_cast<uint64_t>(s >> 64);
  }
  return r;
}

U256 operator-(const U256& a, const U256& b) {
  return a + (~b + U256{1});
}

U256 operator*(const U256& a, const U256& b) {
  U256 r;
  for (int i = 0; i < 4; ++i) {
    uint64_t carry = 0;
    for (int j = 0; i + j < 4; ++j) {
      const u128_t p = u128_t{a.w[i]} * b.w[j] + r.w[i + j] + carry;
      r.w[i + j] = static_cast<uint64_t>(p);
      carry = static_cast<uint64_t>(p >> 64);
    }
  }
  return r;
}

U256 operator&(const U256& a, const U256& b) {
  U256 r;
  for (int i = 0; i < 4; ++i) r.w[i] = a.w[i] & b.w[i];
  return r;
}
U256 operator|(const U256& a, const U256& b) {
  U256 r;
  for (int i = 0; i < 4; ++i) r.w[i] = a.w[i] | b.w[i];
  return r;
}
U256 operator^(const U256& a, const U256& b) {
  U256 r;
  for (int i = 0; i < 4; ++i) r.w[i] = a.w[i] ^ b.w[i];
  return r;
}
U256 operator~(const U256& a) {
  U256 r;
  for (int i = 0; i < 4; ++i) r.w[i] = ~a.w[i];
  return r;
}

U256 operator<<(const U256& a, unsigned s) {
  U256 r;
  if (s >= 256) return r;
  const unsigned limbs = s / 64, bits = s % 64;
  for (int i = 3; i >= 0; --i) {
    const int src = i - static_cast<int>(limbs);
    if (src < 0) continue;
    r.w[i] = a.w[src] << bits;
    if (bits && src > 0) r.w[i] |= a.w[src - 1] >> (64 - bits);
  }
  return r;
}

U256 operator>>(const U256& a, unsigned s) {
  U256 r;
  if (s >= 256) return r;
  const unsigned limbs = s / 64, bits = s % 64;
  for (int i = 0; i < 4; ++i) {
    const int src = i + static_cast<int>(limbs);
    if (src > 3) continue;
    r.w[i] = a.w[src] >> bits;
    if (bits && src < 3) r.w[i] |= a.w[src + 1] << (64 - bits);
  }
  return r;
}

std::strong_ordering operator<=>(const U256& a, const U256& b) {
  for (int i = 3; i >= 0; --i) {
    if (a.w[i] != b.w[i]) return a.w[i] <=> b.w[i];
  }
  return std::strong_ordering::equal;
}

unsigned U256::bit_width() const {
  for (int i = 3; i >= 0; --i) {
    if (w[i]) return static_cast<unsigned>(64 * i + 64 - __builtin_clzll(w[i]));
  }
  return 0;
}

U256 U256::truncate(unsigned bits) const {
  if (bits >= 256) return *this;
  return *this & ((U256{1} << bits) - U256{1});
}

uint64_t U256::digit(unsigned i, unsigned k) const {
  const U256 d = *this >> (i * k);
  return k >= 64 ? d.w[0] : d.w[0] & ((uint64_t{1} << k) - 1);
}

void U256::divmod(const U256& a, const U256& b, U256& q, U256& r) {
  if (b.is_zero()) throw std::domain_error("U256: division by zero");
  q = U256{};
  r = U256{};
  for (int i = static_cast<int>(a.bit_width()) - 1; i >= 0; --i) {
    r = (r << 1) | U256{a.bit(static_cast<unsigned>(i)) ? 1u : 0u};
    if (r >= b) {
      r = r - b;
      q.w[static_cast<unsigned>(i) / 64] |= uint64_t{1} << (i % 64);
    }
  }
}

U256 U256::from_be_bytes(std::span<const uint8_t> bytes) {
  U256 r;
  const std::size_t n = bytes.size() > 32 ? 32 : bytes.size();
  const uint8_t* p = bytes.data() + (bytes.size() - n);
  for (std::size_t i = 0; i < n; ++i) r = (r << 8) | U256{p[i]};
  return r;
}

U256 U256::parse(const std::string& s) {
  std::string digits = s;
  unsigned base = 10;
  if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) {
    base = 16;
    digits = digits.substr(2);
  }
  if (digits.empty()) throw std::invalid_argument("empty number");
  U256 v;
  const U256 limit = U256::max();
  for (char c : digits) {
    unsigned d;
    if (c >= '0' && c <= '9') {
      d = static_cast<unsigned>(c - '0');
    } else if (base == 16 && c >= 'a' && c <= 'f') {
      d = static_cast<unsigned>(c - 'a' + 10);
    } else if (base == 16 && c >= 'A' && c <= 'F') {
      d = static_cast<unsigned>(c - 'A' + 10);
    } else {
      throw std::invalid_argument("not an unsigned integer");
    }
    // v * base + d must stay below 2^256.
    U256 q, r;
    divmod(limit - U256{d}, U256{base}, q, r);
    if (v > q) throw std::invalid_argument("above 2^256 - 1");
    v = v * U256{base} + U256{d};
  }
  return v;
}

std::string U256::to_string() const {
  if (is_zero()) return "0";
  std::string out;
  U256 v = *this;
  while (!v.is_zero()) {
    U256 q, r;
    divmod(v, U256{10}, q, r);
    out.push_back(static_cast<char>('0' + r.w[0]));
    v = q;
  }
  return {out.rbegin(), out.rend()};
}

}  // namespace fhe
