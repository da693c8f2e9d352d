// Arithmetic shared by every FFT backend, written once as templates over an "Ops" type so that
// the scalar reference (Ops over double / uint64_t) and the SIMD backends (Ops over vectors)
// execute the same IEEE operations in the same order on every element: bit-identical results by
// construction (DESIGN.md §3). Only data movement (loads, stores, transposes) differs.
//
// An Ops type provides, on a float type V and an integer type IV (64-bit lanes, wrapping):
//   set(double) add sub mul                     (one IEEE rounding each)
//   addm subm: the same values as add and sub; a SIMD backend may compute them as fma(a, 1, b) and
//              fma(-b, 1, a) (exactly the same rounding) to move work from its add pipes to its
//              multiply pipes
//   fmadd(a,b,c)=a*b+c  fmsub(a,b,c)=a*b-c  fnmadd(a,b,c)=c-a*b   (one rounding: fused)
//   round(x): round to integer in the current rounding mode (ties to even by default, which every
//             function here assumes, like the magic-constant roundings)
//   iset(u64) iadd isub ishl32 iand ior, to_bits/from_bits (bit casts),
//   high16_to_dword(x) = (x >>arith 48) << 32
//
// Every template here must only ever be instantiated with a backend's own Ops type (declared in
// an anonymous namespace of the backend's .cpp), so each instantiation has internal linkage and
// code compiled with -mavx2 can never be picked by the linker for the scalar backend.
#pragma once

#include <cstdint>

#define FHE_FFT_INLINE [[gnu::always_inline]] inline

namespace fhe::fft_detail {

// 2^52 + 2^51: adding it to |x| < 2^51 rounds x to an integer (ties to even) held in the low
// mantissa bits; its bit pattern converts between small integers and doubles.
inline constexpr double kMagic = 0x1.8p52;
inline constexpr uint64_t kMagicBits = 0x4338000000000000;
inline constexpr double kTwo52 = 0x1p52;
inline constexpr uint64_t kTwo52Bits = 0x4330000000000000;
inline constexpr double kMagic68 = 0x1.8p68;  // 3 * 2^67, unit in the last place 2^16
inline constexpr uint64_t kMagic68Bits = 0x4438000000000000;

// ---- Complex multiplies (FMA form of tfhe-fft: (fma(a,x,-b*y), fma(a,y,b*x))) ----

// (re + i im) *= (wr + i wi)
template <class O, class V>
FHE_FFT_INLINE void cmul(V& re, V& im, V wr, V wi) {
  const V r = O::fmsub(re, wr, O::mul(im, wi));
  const V i = O::fmadd(re, wi, O::mul(im, wr));
  re = r;
  im = i;
}

// (re + i im) *= conj(wr + i wi)
template <class O, class V>
FHE_FFT_INLINE void cmul_conj(V& re, V& im, V wr, V wi) {
  const V r = O::fmadd(re, wr, O::mul(im, wi));
  const V i = O::fmsub(im, wr, O::mul(re, wi));
  re = r;
  im = i;
}

// ---- Butterflies. x[p] = value at position j + p*q of a block of size s = 4q (or 2q). ----

// Radix-4 DIF second layer: from a0 = x0 + x2, a1 = x0 - x2, a2 = x1 + x3, a3 = x1 - x3 to the
// outputs in storage order, i.e. frequency residues (0, 2, 1, 3) mod 4, so that the final order
// is a bit reversal.
template <class O, class V>
FHE_FFT_INLINE void dif4_second(V* r, V* i, V a0r, V a0i, V a1r, V a1i, V a2r, V a2i, V a3r,
                                V a3i) {
  r[0] = O::add(a0r, a2r);  // residue 0: a0 + a2
  i[0] = O::add(a0i, a2i);
  r[1] = O::sub(a0r, a2r);  // residue 2: a0 - a2
  i[1] = O::sub(a0i, a2i);
  r[2] = O::add(a1r, a3i);  // residue 1: a1 - i a3
  i[2] = O::sub(a1i, a3r);
  r[3] = O::sub(a1r, a3i);  // residue 3: a1 + i a3
  i[3] = O::add(a1i, a3r);
}

// Radix-4 DIF without twiddles: x0..x3 -> outputs in storage order. Mul = true computes the first
// layer with addm/subm (same values).
template <class O, bool Mul = false, class V>
FHE_FFT_INLINE void dif4_core(V* r, V* i) {
  auto add = [](V a, V b) { return Mul ? O::addm(a, b) : O::add(a, b); };
  auto sub = [](V a, V b) { return Mul ? O::subm(a, b) : O::sub(a, b); };
  const V a0r = add(r[0], r[2]), a0i = add(i[0], i[2]);
  const V a1r = sub(r[0], r[2]), a1i = sub(i[0], i[2]);
  const V a2r = add(r[1], r[3]), a2i = add(i[1], i[3]);
  const V a3r = sub(r[1], r[3]), a3i = sub(i[1], i[3]);
  dif4_second<O>(r, i, a0r, a0i, a1r, a1i, a2r, a2i, a3r, a3i);
}

// Radix-4 DIF with twiddles w[2(p-1)], w[2(p-1)+1] = Re, Im of w^(j f) for storage slot p = 1..3
// (f = 2, 1, 3).
template <class O, class V>
FHE_FFT_INLINE void dif4(V* r, V* i, const V* w) {
  dif4_core<O>(r, i);
  for (int p = 1; p < 4; ++p) cmul<O>(r[p], i[p], w[2 * p - 2], w[2 * p - 1]);
}

// Radix-4 DIT without twiddles: inputs in storage order (residues 0, 2, 1, 3), outputs natural.
// Mul = true computes the first layer with addm/subm (same values).
template <class O, bool Mul = false, class V>
FHE_FFT_INLINE void dit4_core(V* r, V* i) {
  auto add = [](V a, V b) { return Mul ? O::addm(a, b) : O::add(a, b); };
  auto sub = [](V a, V b) { return Mul ? O::subm(a, b) : O::sub(a, b); };
  const V c0r = add(r[0], r[1]), c0i = add(i[0], i[1]);
  const V c1r = sub(r[0], r[1]), c1i = sub(i[0], i[1]);
  const V c2r = add(r[2], r[3]), c2i = add(i[2], i[3]);
  const V c3r = sub(r[2], r[3]), c3i = sub(i[2], i[3]);
  r[0] = O::add(c0r, c2r);  // c0 + c2
  i[0] = O::add(c0i, c2i);
  r[1] = O::sub(c1r, c3i);  // c1 + i c3
  i[1] = O::add(c1i, c3r);
  r[2] = O::sub(c0r, c2r);  // c0 - c2
  i[2] = O::sub(c0i, c2i);
  r[3] = O::add(c1r, c3i);  // c1 - i c3
  i[3] = O::sub(c1i, c3r);
}

// Radix-4 DIT with conjugated twiddles (same table as dif4).
template <class O, class V>
FHE_FFT_INLINE void dit4(V* r, V* i, const V* w) {
  for (int p = 1; p < 4; ++p) cmul_conj<O>(r[p], i[p], w[2 * p - 2], w[2 * p - 1]);
  dit4_core<O>(r, i);
}

// Radix-2 DIF: (x0 + x1, (x0 - x1) w^j).
template <class O, class V>
FHE_FFT_INLINE void dif2(V* r, V* i, const V* w) {
  const V wr = w[0], wi = w[1];
  const V sr = O::add(r[0], r[1]), si = O::add(i[0], i[1]);
  V dr = O::sub(r[0], r[1]), di = O::sub(i[0], i[1]);
  cmul<O>(dr, di, wr, wi);
  r[0] = sr;
  i[0] = si;
  r[1] = dr;
  i[1] = di;
}

// Radix-2 DIT: (x0 + x1 conj(w^j), x0 - x1 conj(w^j)).
template <class O, class V>
FHE_FFT_INLINE void dit2(V* r, V* i, const V* w) {
  const V wr = w[0], wi = w[1];
  V br = r[1], bi = i[1];
  cmul_conj<O>(br, bi, wr, wi);
  r[1] = O::sub(r[0], br);
  i[1] = O::sub(i[0], bi);
  r[0] = O::add(r[0], br);
  i[0] = O::add(i[0], bi);
}

// Butterfly of radix R (2 or 4) with its twiddles (2 values).
template <unsigned R, class O, class V>
FHE_FFT_INLINE void dif(V* r, V* i, const V* w) {
  static_assert(R == 2 || R == 4);
  if constexpr (R == 2) {
    dif2<O>(r, i, w);
  } else {
    dif4<O>(r, i, w);
  }
}

template <unsigned R, class O, class V>
FHE_FFT_INLINE void dit(V* r, V* i, const V* w) {
  static_assert(R == 2 || R == 4);
  if constexpr (R == 2) {
    dit2<O>(r, i, w);
  } else {
    dit4<O>(r, i, w);
  }
}

// ---- Pointwise products in the Fourier domain ----

// (or + i oi) = a * b
template <class O, class V>
FHE_FFT_INLINE void pmul(V ar, V ai, V br, V bi, V& outr, V& outi) {
  outr = O::fmsub(ar, br, O::mul(ai, bi));
  outi = O::fmadd(ar, bi, O::mul(ai, br));
}

// acc += a * b, four fused operations: re = ar*br + (accr - ai*bi), im = ar*bi + (acci + ai*br).
template <class O, class V>
FHE_FFT_INLINE void pmul_acc(V ar, V ai, V br, V bi, V& accr, V& acci) {
  accr = O::fmadd(ar, br, O::fnmadd(ai, bi, accr));
  acci = O::fmadd(ar, bi, O::fmadd(ai, br, acci));
}

// ---- Conversions ----

// int64 -> double for -2^51 <= x < 2^51 (exact). Outside that range the result is unspecified
// (possibly a NaN, whose bits may differ between backends).
template <class O, class V = typename O::V, class IV = typename O::IV>
FHE_FFT_INLINE V small_int_to_double(IV x) {
  return O::sub(O::from_bits(O::iadd(x, O::iset(kMagicBits))), O::set(kMagic));
}

// int64 -> double, correctly rounded (ties to even), for every int64: x = hi + lo with
// hi = (x >> 48) * 2^48 and lo = x mod 2^48 both exact, then one rounding in hi + lo.
template <class O, class V = typename O::V, class IV = typename O::IV>
FHE_FFT_INLINE V int_to_double(IV x) {
  // (x >> 48) << 32 added to the bits of 3*2^67 (ulp 2^16) adds (x >> 48) * 2^48.
  const V hi = O::sub(O::from_bits(O::iadd(O::high16_to_dword(x), O::iset(kMagic68Bits))),
                      O::set(kMagic68 + kTwo52));
  const V lo = O::from_bits(O::ior(O::iand(x, O::iset(0x0000FFFFFFFFFFFF)), O::iset(kTwo52Bits)));
  return O::add(hi, lo);  // (x>>48)*2^48 - 2^52 + (2^52 + lo)
}

// round(frac(t) * 2^64) mod 2^64, ties to even, for every finite t.
//   f = t - round(t) in [-1/2, 1/2] (exact); v = f * 2^64 in [-2^63, 2^63]; g = v / 2^32.
//   hm = g + M rounds g to an integer h = hm - M (|h| <= 2^31, held in the low mantissa bits);
//   l = v - h 2^32 = fma(g, 2^32, M 2^32 - hm 2^32), both steps exact (|l| <= 2^31);
//   lm = l + M rounds l. Result h 2^32 + round(l) (wrapping): since h 2^32 is even, this is
//   round_half_even(v) mod 2^64, and v = +-2^63 both give 2^63 = 0x8000000000000000.
//   In integers: (bits(hm) << 32) + bits(lm) - ((bits(M) << 32) + bits(M)).
inline constexpr uint64_t kTorusRoundBias = (kMagicBits << 32) + kMagicBits;

template <class O, class V = typename O::V, class IV = typename O::IV>
FHE_FFT_INLINE IV torus_round(V t) {
  const V two32 = O::set(0x1p32);
  const V magic = O::set(kMagic);
  const V f = O::sub(t, O::round(t));
  const V g = O::mul(f, two32);
  const V hm = O::add(g, magic);
  const V nh = O::fnmadd(hm, two32, O::set(kMagic * 0x1p32));  // -h 2^32
  const V l = O::fmadd(g, two32, nh);
  const V lm = O::add(l, magic);
  return O::isub(O::iadd(O::ishl32(O::to_bits(hm)), O::to_bits(lm)), O::iset(kTorusRoundBias));
}

}  // namespace fhe::fft_detail
