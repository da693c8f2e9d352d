// Negacyclic polynomial products through a complex FFT of size N/2 with twisting.
//
// Math (eprint 2021/480, "twisting"): a real polynomial a of size N in Z[X]/(X^N+1) maps to M = N/2
// complex values z_j = (a_j + i*a_{j+M}) * w_j with w_j = exp(i*pi*j/N), followed by a size-M
// complex FFT. Pointwise products of two transforms are the transform of the negacyclic product.
//
// Backends: a portable scalar reference, an AVX2+FMA one and an AVX-512 (F/DQ/VL) one. All backends
// use the same Fourier buffer layout and perform the same floating-point operations in the same
// order (FMA only where written explicitly, -ffp-contract=off), so their results are bit-identical
// (DESIGN.md §3). The layout of a Fourier buffer (N doubles) is private to this module and the same
// for every backend.
//
// Thread safety: an Fft object is immutable after construction; all methods are const and may be
// called concurrently. Buffers passed in must be 64-byte aligned and hold N doubles (Fourier side)
// or N integers (coefficient side).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

namespace fhe {

// (Avx512 comes after Auto so that the values of the older enumerators do not change.)
enum class FftKind { Scalar, Avx2, Auto, Avx512 };

class Fft {
 public:
  virtual ~Fft() = default;
  virtual std::size_t polynomial_size() const noexcept = 0;  // N
  virtual FftKind kind() const noexcept = 0;
  virtual std::string_view name() const noexcept = 0;

  // out = F(in), in read as signed integers (small values: decomposition digits, key bits).
  // Domain: -2^51 <= in_j < 2^51 (exact conversion); outside it the result is unspecified.
  // `fetch` (optional) is only a hint: N doubles the caller reads soon (the next bootstrapping-key
  // row), brought into L2 during the transform so that the memory read overlaps with it.
  virtual void forward_int(const int64_t* in, double* out,
                           const double* fetch = nullptr) const noexcept = 0;
  // out = F(in), in read as torus elements: (int64)in * 2^-64.
  virtual void forward_torus(const uint64_t* in, double* out) const noexcept = 0;
  // acc[j] += round(frac(F^-1(in)_j) * 2^64) (wrapping, torus output). `in` is used as scratch
  // and is left unspecified.
  // `fetch`: as for forward_int.
  virtual void backward_torus_add(double* in, uint64_t* acc,
                                  const double* fetch = nullptr) const noexcept = 0;
  // out = a * b (pointwise, complex). out may alias neither a nor b.
  virtual void mul(double* out, const double* a, const double* b) const noexcept = 0;
  // acc += a * b (pointwise, complex).
  virtual void mul_acc(double* acc, const double* a, const double* b) const noexcept = 0;
  // The Fourier-domain part of an external product, in one pass over the frequencies:
  //   for each column c < cols: out_c = sum over r < rows of in_r * key(r, c)
  // with in_r at in + r*in_stride, out_c at out + c*out_stride (strides >= N, multiples of 8) and
  // the rows*cols key buffers in the packed key layout (pack_key; buffer (r, c) is number
  // r*cols + c). Bit-identical to mul(out_c, in_0, key(0, c)) followed by mul_acc(out_c, in_r,
  // key(r, c)) for r = 1, 2, .. in that order. rows >= 1; out may alias neither in nor the key.
  virtual void external_mac(double* out, std::size_t out_stride, const double* in,
                            std::size_t in_stride, std::size_t rows, const double* key,
                            std::size_t cols) const noexcept = 0;
};

// Builds a plan for polynomial size N (a power of two, 64 <= N <= 4096). Auto picks the fastest
// backend this CPU supports; results do not depend on the choice. Throws std::invalid_argument for
// an unsupported N and std::runtime_error when the requested backend is not supported by the CPU.
std::unique_ptr<Fft> make_fft(std::size_t polynomial_size, FftKind kind = FftKind::Auto);

// The packed key layout of external_mac: `count` Fourier buffers of size N interleaved by chunks
// of 8 frequency positions (for chunk t and buffer k: 8 real parts, then 8 imaginary parts), so
// that a whole key block is one sequential stream. Same values, same size (count * N doubles);
// the same for every backend.
void pack_key(std::size_t polynomial_size, double* out, const double* in,
              std::size_t count) noexcept;
// The inverse: `count` Fourier buffers in the usual layout.
void unpack_key(std::size_t polynomial_size, double* out, const double* in,
                std::size_t count) noexcept;

bool fft_kind_supported(FftKind kind) noexcept;
// The backend Auto resolves to (overridable with the environment variable
// FHE_FFT=scalar|avx2|avx512|auto).
FftKind default_fft_kind();

}  // namespace fhe
