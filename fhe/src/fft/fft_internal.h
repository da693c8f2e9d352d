// Private interface of the FFT module: the plan shared by every backend, the backend table, and a
// plain complex FFT of size M for tests and benchmarks.
//
// Fourier buffer layout (N doubles, M = N/2 complex values): the real parts of all M values, then
// the imaginary parts ("split" layout). The value at position p is X_{frequency(p)}, where
// frequency(p) is the bit reversal (log2 M bits) of p with its two lowest 2-bit digits swapped:
// the forward transform is a decimation-in-frequency FFT whose final 16-point pass keeps its
// outputs transposed in registers (the backward transform reads them in that order). Only
// pointwise products happen in the Fourier domain, so the order never matters to callers.
//
// Transform (every backend, bit-identical):
//   forward : decimation-in-frequency passes: one radix-2 pass if log2 M is odd, radix-4 passes
//             down to blocks of 16, then one fused pass (radix-4 on blocks of 16 with twiddles,
//             radix-4 on blocks of 4). M = 1024: radix 4, 4, 4, then the fused pass.
//   backward: the mirror image (DIT, conjugate twiddles), unnormalized.
//   twiddles: exp(-2 pi i t / s), computed once per plan in double-double arithmetic from IEEE
//             operations only (no libm), so every machine builds the same table.
//   negacyclic: z_j = (a_j + i a_{j+M}) w_j with w_j = exp(i pi j / N) folded into the first
//             forward stage; t_j = X_j conj(w_j) / M folded into the last backward stage
//             (TFHE-rs's twisting, reference/tfhe-rs.md §2.12).
//   conversions (fft_kernels.h): forward_int adds the bits of 2^52 + 2^51 (exact for |x| < 2^51);
//             forward_torus converts int64 -> double correctly rounded (48/16-bit split) then
//             scales by 2^-64; backward_torus_add computes round(frac(t) 2^64) mod 2^64, ties to
//             even, as two 32-bit halves through the same magic constant (AVX2 has no f64 -> i64
//             conversion); t 2^64 = +-2^63 gives 2^63. The AVX-512 backend uses the DQ
//             conversions where they provably give the same values (fft_avx512.cpp).
//
// Thread safety: a Plan is immutable after construction.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "fhe/aligned.h"
#include "fhe/fft.h"

namespace fhe::fft_detail {

struct Stage {
  unsigned radix;       // 2 or 4
  std::size_t s;        // block size
  std::size_t tw;       // offset of the stage's twiddles in Plan::tw
  std::size_t tw8 = 0;  // offset of the same twiddles in Plan::tw8 (when s / radix >= 8)
};

// Twiddle table of a radix-R stage (offsets in doubles, w = exp(-2 pi i / s), q = s/R): for
// j = 0, 4, 8, .. < q, a block of 8: for each storage slot p = 1..R-1, whose frequency
// residue is f = bitreverse(p), Re w^(j f)[4] then Im w^(j f)[4] for lanes j..j+3. So radix 4 gives
// Re w^2j, Im w^2j, Re w^j, Im w^j, Re w^3j, Im w^3j. The fused pass has one radix-4 block (s=16).
struct Plan {
  std::size_t n = 0;  // polynomial size N
  std::size_t m = 0;  // complex size M = N/2
  unsigned log2m = 0;
  std::vector<Stage> stages;  // forward order; stages[0] has s = M; the last has s >= 32
  std::size_t tw16 = 0;       // offset of the fused pass's twiddles
  AVec<double> tw;
  // The same values regrouped by 8 lanes (for 512-bit vectors): for j = 0, 8, 16, .. < q, for each
  // slot p = 1..R-1, Re w^(j f)[8] then Im w^(j f)[8]. Only for stages with q = s / R >= 8.
  AVec<double> tw8;
  AVec<double> twist;    // [Re M][Im M]: w_j = exp(i pi j / N)
  AVec<double> untwist;  // [Re M][Im M]: conj(w_j) / M (exact scaling)

  explicit Plan(std::size_t polynomial_size);
  // Frequency index held at position p of a Fourier buffer (0 <= p < M).
  std::size_t frequency(std::size_t p) const noexcept;
};

// A backend: the same operations in the same order as every other backend.
struct Backend {
  FftKind kind;
  std::string_view name;
  // `fetch`: Fft::forward_int's hint (may be null).
  void (*forward_int)(const Plan&, const int64_t* in, double* out, const double* fetch) noexcept;
  void (*forward_torus)(const Plan&, const uint64_t* in, double* out) noexcept;
  void (*backward_torus_add)(const Plan&, double* in, uint64_t* acc, const double* fetch) noexcept;
  void (*mul)(const Plan&, double* out, const double* a, const double* b) noexcept;
  void (*mul_acc)(const Plan&, double* acc, const double* a, const double* b) noexcept;
  // Fft::external_mac; the key in the packed layout (fhe::pack_key).
  void (*external_mac)(const Plan&, double* out, std::size_t out_stride, const double* in,
                       std::size_t in_stride, std::size_t rows, const double* key,
                       std::size_t cols) noexcept;
  // Plain complex FFT of size M on split arrays; in == out (in place) is allowed.
  // forward : out[p] = sum_j in_j exp(-2 pi i j frequency(p) / M), input in natural order.
  // backward: out_j = sum_p in[p] exp(+2 pi i j frequency(p) / M), output in natural order.
  void (*complex_forward)(const Plan&, const double* in_re, const double* in_im, double* out_re,
                          double* out_im) noexcept;
  void (*complex_backward)(const Plan&, const double* in_re, const double* in_im, double* out_re,
                           double* out_im) noexcept;
};

const Backend& scalar_backend() noexcept;
// The AVX2+FMA backend, or nullptr when this build has none (non-x86 target). Whether the CPU
// can run it is checked separately (fft_kind_supported).
const Backend* avx2_backend() noexcept;
// The AVX-512 (F, DQ, VL) + FMA backend, or nullptr when this build has none.
const Backend* avx512_backend() noexcept;
// The backend for a concrete kind; throws like make_fft.
const Backend& backend_for(FftKind kind);

}  // namespace fhe::fft_detail

namespace fhe::fft_internal {

// A plain complex FFT of size M (32 <= M <= 2048, a power of two) with the module's layout: split
// re/im arrays of M doubles (64-byte aligned), output of forward() in the permuted order above.
// Used by the benchmark to compare "the same transform" with FFTW, and by the tests.
class ComplexFft {
 public:
  ComplexFft(std::size_t m, FftKind kind = FftKind::Auto);
  std::size_t size() const noexcept { return plan_.m; }
  FftKind kind() const noexcept { return backend_->kind; }
  std::string_view name() const noexcept { return backend_->name; }
  // Out of place or in place (in_* == out_*).
  void forward(const double* in_re, const double* in_im, double* out_re,
               double* out_im) const noexcept {
    backend_->complex_forward(plan_, in_re, in_im, out_re, out_im);
  }
  // Inverse (unnormalized): input in the permuted order, output natural.
  void backward(const double* in_re, const double* in_im, double* out_re,
                double* out_im) const noexcept {
    backend_->complex_backward(plan_, in_re, in_im, out_re, out_im);
  }
  std::size_t frequency(std::size_t p) const noexcept { return plan_.frequency(p); }

 private:
  fft_detail::Plan plan_;
  const fft_detail::Backend* backend_;
};

}  // namespace fhe::fft_internal
