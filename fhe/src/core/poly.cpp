// Exact polynomial arithmetic in Z_{2^64}[X]/(X^N+1).
#include <cassert>
#include <cstring>
#include <vector>

#include "fhe/aligned.h"
#include "fhe/core.h"

namespace fhe {
namespace {

// Full product c[0..2n-1) = a * b over wrapping u64 (Karatsuba; exact: ring operations only).
void karatsuba(uint64_t* c, const uint64_t* a, const uint64_t* b, std::size_t n, uint64_t* tmp) {
  if (n <= 32) {
    std::memset(c, 0, (2 * n - 1) * sizeof(uint64_t));
    for (std::size_t i = 0; i < n; ++i) {
      const uint64_t ai = a[i];
      for (std::size_t j = 0; j < n; ++j) c[i + j] += ai * b[j];
    }
    return;
  }
  const std::size_t h = n / 2;
  uint64_t* z0 = c;          // a0*b0 -> c[0 .. 2h-1)
  uint64_t* z2 = c + 2 * h;  // a1*b1 -> c[2h .. 4h-1)
  uint64_t* sa = tmp;
  uint64_t* sb = tmp + h;
  uint64_t* z1 = tmp + 2 * h;  // 2h-1
  uint64_t* rest = tmp + 4 * h;
  karatsuba(z0, a, b, h, rest);
  c[2 * h - 1] = 0;
  karatsuba(z2, a + h, b + h, h, rest);
  for (std::size_t i = 0; i < h; ++i) {
    sa[i] = a[i] + a[i + h];
    sb[i] = b[i] + b[i + h];
  }
  karatsuba(z1, sa, sb, h, rest);
  for (std::size_t i = 0; i < 2 * h - 1; ++i) z1[i] -= z0[i] + z2[i];
  for (std::size_t i = 0; i < 2 * h - 1; ++i) c[h + i] += z1[i];
}

}  // namespace

void poly_mul_add(uint64_t* out, const uint64_t* a, const uint64_t* b, std::size_t n) {
  assert((n & (n - 1)) == 0);
  // Zeroed on release: with a secret-key operand these hold key-dependent values.
  SecretVec<uint64_t> full(2 * n), tmp(8 * n);
  karatsuba(full.data(), a, b, n, tmp.data());
  // X^n = -1: fold the high half.
  for (std::size_t i = 0; i < n; ++i) out[i] += full[i] - (i + n < 2 * n - 1 ? full[i + n] : 0);
}

void poly_monomial_mul(uint64_t* out, const uint64_t* a, std::size_t n, std::size_t d) noexcept {
  assert(d < 2 * n && out != a);
  const bool neg = d >= n;
  if (neg) d -= n;
  // out[i + d] = a[i] for i < n - d; out[i + d - n] = -a[i] for i >= n - d; then negate if neg.
  for (std::size_t i = 0; i < n - d; ++i) out[i + d] = neg ? 0 - a[i] : a[i];
  for (std::size_t i = n - d; i < n; ++i) out[i + d - n] = neg ? a[i] : 0 - a[i];
}

}  // namespace fhe
