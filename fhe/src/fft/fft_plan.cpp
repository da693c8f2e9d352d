// FFT plans: stage list and twiddle tables, built once and shared by every backend.
//
// Roots of unity are computed in double-double arithmetic (Dekker/Knuth error-free transforms)
// from IEEE +, -, *, / and fma only: Taylor series of sin and cos on [0, pi/4] after an exact
// reduction by octant symmetries, then rounded to double. No libm call and no long double, so the
// table is the same on every machine and compiler (DESIGN.md §3); its error is below 2^-100
// before the final rounding, so it is the correctly rounded root except in astronomically rare
// near-halfway cases, which are still deterministic.
#include <bit>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "fft/fft_internal.h"

namespace fhe::fft_detail {
namespace {

struct DD {
  double hi, lo;
};

DD two_sum(double a, double b) {
  const double s = a + b;
  const double bb = s - a;
  return {s, (a - (s - bb)) + (b - bb)};
}

DD quick_two_sum(double a, double b) {
  const double s = a + b;
  return {s, b - (s - a)};
}

DD two_prod(double a, double b) {
  const double p = a * b;
  return {p, std::fma(a, b, -p)};
}

DD dd_add(DD a, DD b) {
  DD s = two_sum(a.hi, b.hi);
  const DD t = two_sum(a.lo, b.lo);
  s.lo += t.hi;
  s = quick_two_sum(s.hi, s.lo);
  s.lo += t.lo;
  return quick_two_sum(s.hi, s.lo);
}

DD dd_mul(DD a, DD b) {
  DD p = two_prod(a.hi, b.hi);
  p.lo += a.hi * b.lo + a.lo * b.hi;
  return quick_two_sum(p.hi, p.lo);
}

DD dd_mul_d(DD a, double b) {
  DD p = two_prod(a.hi, b);
  p.lo += a.lo * b;
  return quick_two_sum(p.hi, p.lo);
}

DD dd_div_d(DD a, double b) {
  const double q1 = a.hi / b;
  const DD p = two_prod(q1, b);
  DD s = two_sum(a.hi, -p.hi);
  s.lo -= p.lo;
  s.lo += a.lo;
  const double q2 = (s.hi + s.lo) / b;
  return quick_two_sum(q1, q2);
}

// 2*pi as a double-double: 0x1.921fb54442d18p+2 + 0x1.1a62633145c07p-52.
constexpr DD kTwoPi{0x1.921fb54442d18p+2, 0x1.1a62633145c07p-52};

// cos and sin of 2*pi*r for 0 <= r <= 1/8 (theta <= pi/4): Taylor series to 2^-110.
void cos_sin_octant(double r, double& c, double& s) {
  const DD theta = dd_mul_d(kTwoPi, r);
  const DD theta2 = dd_mul(theta, theta);
  DD cs{1.0, 0.0}, sn = theta;
  DD term_c{1.0, 0.0}, term_s = theta;
  for (int k = 1; k <= 15; ++k) {
    // term_c *= -theta^2 / ((2k-1)(2k)); term_s *= -theta^2 / ((2k)(2k+1))
    term_c = dd_div_d(dd_mul(term_c, theta2), -static_cast<double>((2 * k - 1) * (2 * k)));
    term_s = dd_div_d(dd_mul(term_s, theta2), -static_cast<double>((2 * k) * (2 * k + 1)));
    cs = dd_add(cs, term_c);
    sn = dd_add(sn, term_s);
  }
  c = cs.hi;
  s = sn.hi;
}

// exp(2 pi i t / n) for a power of two n, any t (reduced mod n). All reductions are exact.
void unit_root(std::size_t t, std::size_t n, double& re, double& im) {
  t %= n;
  const double r = static_cast<double>(t) / static_cast<double>(n);  // exact dyadic
  const double r4 = 4.0 * r;
  const double quadrant = std::floor(r4);
  const double f = r4 - quadrant;  // fraction of a quarter turn, in [0, 1)
  double c, s;
  if (f <= 0.5) {
    cos_sin_octant(f * 0.25, c, s);
  } else {
    double c2, s2;
    cos_sin_octant((1.0 - f) * 0.25, c2, s2);  // angle = quarter turn - that
    c = s2;
    s = c2;
  }
  switch (static_cast<int>(quadrant)) {
    case 0:
      re = c, im = s;
      break;
    case 1:
      re = -s, im = c;
      break;
    case 2:
      re = -c, im = -s;
      break;
    default:
      re = s, im = -c;
      break;
  }
}

// exp(-2 pi i t / n)
void fwd_root(std::size_t t, std::size_t n, double& re, double& im) {
  unit_root(t, n, re, im);
  im = -im;
}

// Twiddles of a radix-R stage of block size s: for each group of 4 lanes j, for each storage slot
// p = 1..R-1 (frequency residue f = bit reversal of p), Re w^(j f)[4] then Im w^(j f)[4].
void push_table(AVec<double>& tw, unsigned radix, std::size_t s) {
  const unsigned bits = static_cast<unsigned>(std::countr_zero(radix));
  const std::size_t q = s / radix;
  for (std::size_t j0 = 0; j0 < q; j0 += 4) {
    for (unsigned p = 1; p < radix; ++p) {
      unsigned f = 0;
      for (unsigned b = 0; b < bits; ++b) f |= ((p >> b) & 1u) << (bits - 1 - b);
      double blk[8];
      for (std::size_t e = 0; e < 4; ++e) fwd_root((j0 + e) * f, s, blk[e], blk[4 + e]);
      tw.insert(tw.end(), blk, blk + 8);
    }
  }
}

}  // namespace

Plan::Plan(std::size_t polynomial_size) : n(polynomial_size), m(polynomial_size / 2) {
  if (n < 64 || n > 4096 || !std::has_single_bit(n)) {
    throw std::invalid_argument("fhe::Fft: polynomial size " + std::to_string(n) +
                                " is not a power of two in [64, 4096]");
  }
  log2m = static_cast<unsigned>(std::countr_zero(m));
  // The final fused pass takes 4 bits; the others are radix-4 passes, preceded by one radix-2
  // pass when the remaining bit count is odd. (Radix 8 needs 16 vector registers for its data
  // alone and spills on AVX2: slower than radix 4 there.)
  const unsigned rest = log2m - 4;
  std::vector<unsigned> radices;
  if (rest % 2 == 1) radices.push_back(2);
  for (unsigned k = 0; k < rest / 2; ++k) radices.push_back(4);
  std::size_t s = m;
  for (unsigned r : radices) {
    stages.push_back({r, s, tw.size()});
    push_table(tw, r, s);
    s /= r;
  }
  tw16 = tw.size();
  push_table(tw, 4, 16);
  // The 8-lane regrouping of the stage tables (same values).
  for (Stage& st : stages) {
    const std::size_t q = st.s / st.radix, slots = st.radix - 1;
    if (q < 8) continue;
    st.tw8 = tw8.size();
    for (std::size_t j0 = 0; j0 < q; j0 += 8) {
      for (std::size_t p = 0; p < slots; ++p) {
        for (std::size_t part = 0; part < 2; ++part) {  // Re, Im
          for (std::size_t e = 0; e < 8; ++e) {
            const std::size_t j = j0 + e;
            tw8.push_back(tw[st.tw + (j / 4) * 8 * slots + 8 * p + 4 * part + j % 4]);
          }
        }
      }
    }
  }

  twist.resize(2 * m);
  untwist.resize(2 * m);
  const double inv_m = 1.0 / static_cast<double>(m);  // power of two: exact scaling
  for (std::size_t j = 0; j < m; ++j) {
    double re, im;
    unit_root(j, 2 * n, re, im);  // exp(i pi j / N)
    twist[j] = re;
    twist[m + j] = im;
    untwist[j] = re * inv_m;
    untwist[m + j] = -im * inv_m;
  }
}

std::size_t Plan::frequency(std::size_t p) const noexcept {
  // Undo the transposition of the final 16-point pass (swap the two low base-4 digits), then
  // bit-reverse.
  const std::size_t d0 = p & 3, d1 = (p >> 2) & 3;
  const std::size_t std_pos = (p & ~std::size_t{15}) | (d0 << 2) | d1;
  std::size_t f = 0;
  for (unsigned b = 0; b < log2m; ++b) f |= ((std_pos >> b) & 1) << (log2m - 1 - b);
  return f;
}

}  // namespace fhe::fft_detail
