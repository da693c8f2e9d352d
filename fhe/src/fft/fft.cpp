// Backend selection and the public Fft object (fhe/fft.h). The arithmetic lives in the backends
// (fft_scalar.cpp, fft_avx2.cpp, fft_avx512.cpp) and the plan (fft_plan.cpp).
#include "fhe/fft.h"

#include <cfenv>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "fft/fft_internal.h"

namespace fhe {
namespace fft_detail {
namespace {

bool cpu_has_avx2_fma() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
  return false;
#endif
}

bool cpu_has_avx512() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  return cpu_has_avx2_fma() && __builtin_cpu_supports("avx512f") &&
         __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
#else
  return false;
#endif
}

class FftImpl final : public Fft {
 public:
  FftImpl(std::size_t n, FftKind kind) : plan_(n), be_(&backend_for(kind)) {}
  std::size_t polynomial_size() const noexcept override { return plan_.n; }
  FftKind kind() const noexcept override { return be_->kind; }
  std::string_view name() const noexcept override { return be_->name; }
  void forward_int(const int64_t* in, double* out, const double* fetch) const noexcept override {
    be_->forward_int(plan_, in, out, fetch);
  }
  void forward_torus(const uint64_t* in, double* out) const noexcept override {
    be_->forward_torus(plan_, in, out);
  }
  void backward_torus_add(double* in, uint64_t* acc, const double* fetch) const noexcept override {
    be_->backward_torus_add(plan_, in, acc, fetch);
  }
  void mul(double* out, const double* a, const double* b) const noexcept override {
    be_->mul(plan_, out, a, b);
  }
  void mul_acc(double* acc, const double* a, const double* b) const noexcept override {
    be_->mul_acc(plan_, acc, a, b);
  }
  void external_mac(double* out, std::size_t out_stride, const double* in, std::size_t in_stride,
                    std::size_t rows, const double* key, std::size_t cols) const noexcept override {
    be_->external_mac(plan_, out, out_stride, in, in_stride, rows, key, cols);
  }

 private:
  Plan plan_;
  const Backend* be_;
};

}  // namespace

const Backend& backend_for(FftKind kind) {
  // The rounding steps (magic-constant conversions, round-half-even) assume the default IEEE mode.
  if (std::fegetround() != FE_TONEAREST) {
    throw std::runtime_error("fhe::Fft: the floating-point rounding mode must be round-to-nearest");
  }
  if (kind == FftKind::Auto) kind = default_fft_kind();
  if (!fft_kind_supported(kind)) {
    throw std::runtime_error(std::string("fhe::Fft: the ") +
                             (kind == FftKind::Avx512 ? "AVX-512" : "AVX2+FMA") +
                             " backend is not supported by this CPU/build");
  }
  if (kind == FftKind::Avx512) return *avx512_backend();
  return kind == FftKind::Avx2 ? *avx2_backend() : scalar_backend();
}

}  // namespace fft_detail

void pack_key(std::size_t n, double* out, const double* in, std::size_t count) noexcept {
  const std::size_t m = n / 2;
  for (std::size_t t = 0; t < m / 8; ++t) {
    for (std::size_t k = 0; k < count; ++k) {
      double* o = out + (t * count + k) * 16;
      const double* re = in + k * n + 8 * t;
      for (std::size_t e = 0; e < 8; ++e) o[e] = re[e], o[8 + e] = re[m + e];
    }
  }
}

void unpack_key(std::size_t n, double* out, const double* in, std::size_t count) noexcept {
  const std::size_t m = n / 2;
  for (std::size_t t = 0; t < m / 8; ++t) {
    for (std::size_t k = 0; k < count; ++k) {
      const double* b = in + (t * count + k) * 16;
      double* re = out + k * n + 8 * t;
      for (std::size_t e = 0; e < 8; ++e) re[e] = b[e], re[m + e] = b[8 + e];
    }
  }
}

bool fft_kind_supported(FftKind kind) noexcept {
  switch (kind) {
    case FftKind::Scalar:
    case FftKind::Auto:
      return true;
    case FftKind::Avx2:
      return fft_detail::avx2_backend() != nullptr && fft_detail::cpu_has_avx2_fma();
    case FftKind::Avx512:
      return fft_detail::avx512_backend() != nullptr && fft_detail::cpu_has_avx512();
  }
  return false;
}

FftKind default_fft_kind() {
  if (const char* env = std::getenv("FHE_FFT"); env != nullptr && *env != '\0') {
    const std::string_view v(env);
    if (v == "scalar") return FftKind::Scalar;
    if (v == "avx2") return FftKind::Avx2;
    if (v == "avx512") return FftKind::Avx512;
    if (v != "auto") {
      throw std::invalid_argument("FHE_FFT=" + std::string(v) +
                                  ": expected scalar, avx2, avx512 or auto");
    }
  }
  // Fastest first (measured on AMD Zen 4; see bench/bench_fft.cpp).
  if (fft_kind_supported(FftKind::Avx512)) return FftKind::Avx512;
  return fft_kind_supported(FftKind::Avx2) ? FftKind::Avx2 : FftKind::Scalar;
}

std::unique_ptr<Fft> make_fft(std::size_t polynomial_size, FftKind kind) {
  return std::make_unique<fft_detail::FftImpl>(polynomial_size, kind);
}

namespace fft_internal {

ComplexFft::ComplexFft(std::size_t m, FftKind kind)
    : plan_(2 * m), backend_(&fft_detail::backend_for(kind)) {}

}  // namespace fft_internal
}  // namespace fhe
