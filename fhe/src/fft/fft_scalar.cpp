// Portable scalar reference backend. It performs, element by element, exactly the operations of
// the SIMD backends (fft_kernels.h), with std::fma wherever they use a fused multiply-add, so it
// is their test oracle: outputs must be bit-identical.
#include <bit>
#include <cmath>
#include <cstring>

#include "fft/fft_internal.h"
#include "fft/fft_kernels.h"

namespace fhe::fft_detail {
namespace {

struct ScalarOps {
  using V = double;
  using IV = uint64_t;
  static V set(double x) { return x; }
  static V add(V a, V b) { return a + b; }
  static V sub(V a, V b) { return a - b; }
  static V mul(V a, V b) { return a * b; }
  static V addm(V a, V b) { return a + b; }
  static V subm(V a, V b) { return a - b; }
  static V fmadd(V a, V b, V c) { return std::fma(a, b, c); }
  static V fmsub(V a, V b, V c) { return std::fma(a, b, -c); }
  static V fnmadd(V a, V b, V c) { return std::fma(-a, b, c); }
  static V round(V x) { return std::nearbyint(x); }  // current mode, like _MM_FROUND_CUR_DIRECTION
  static IV iset(uint64_t x) { return x; }
  static IV iadd(IV a, IV b) { return a + b; }
  static IV isub(IV a, IV b) { return a - b; }
  static IV ishl32(IV a) { return a << 32; }
  static IV iand(IV a, IV b) { return a & b; }
  static IV ior(IV a, IV b) { return a | b; }
  static IV high16_to_dword(IV x) {
    return static_cast<uint64_t>(static_cast<int64_t>(x) >> 48) << 32;
  }
  static IV to_bits(V x) { return std::bit_cast<uint64_t>(x); }
  static V from_bits(IV x) { return std::bit_cast<double>(x); }
};
using O = ScalarOps;

// Twiddles of lane j of a radix-R table (see Plan): 2 values.
template <unsigned R>
void load_tw(const double* tab, std::size_t j, double* w) {
  const double* b = tab + (j / 4) * 8 * (R - 1) + j % 4;
  for (unsigned k = 0; k < 2 * (R - 1); ++k) w[k] = b[4 * k];
}

// ---- Forward (DIF) ----

// One radix-R stage on every block of size s: x_p = load(b + j + p*q) (q = s/R), results stored
// at the same positions of (re, im). The first stage loads from the caller's input.
template <unsigned R, class Load>
void dif_stage(std::size_t m, std::size_t s, const double* tab, double* re, double* im,
               Load&& load) {
  const std::size_t q = s / R;
  for (std::size_t b = 0; b < m; b += s) {
    for (std::size_t j = 0; j < q; ++j) {
      double r[R], i[R], w[2 * (R - 1)];
      for (std::size_t p = 0; p < R; ++p) load(b + j + p * q, r[p], i[p]);
      load_tw<R>(tab, j, w);
      dif<R, O>(r, i, w);
      for (std::size_t p = 0; p < R; ++p) re[b + j + p * q] = r[p], im[b + j + p * q] = i[p];
    }
  }
}

template <class Load>
void dif_stage_any(const Plan& p, const Stage& st, double* re, double* im, Load&& load) {
  const double* tab = p.tw.data() + st.tw;
  if (st.radix == 2) return dif_stage<2>(p.m, st.s, tab, re, im, load);
  return dif_stage<4>(p.m, st.s, tab, re, im, load);
}

// Fused final pass: radix-4 on blocks of 16 (twiddles), then radix-4 on blocks of 4; output
// position 4P + Q of a 16-block holds the standard position 4Q + P.
void last_pass(const Plan& p, double* re, double* im) {
  const double* tab = p.tw.data() + p.tw16;
  for (std::size_t b = 0; b < p.m; b += 16) {
    double vr[16], vi[16];
    for (std::size_t e = 0; e < 4; ++e) {
      double r[4], i[4], w[6];
      for (std::size_t k = 0; k < 4; ++k) r[k] = re[b + 4 * k + e], i[k] = im[b + 4 * k + e];
      load_tw<4>(tab, e, w);
      dif4<O>(r, i, w);
      for (std::size_t k = 0; k < 4; ++k) vr[4 * k + e] = r[k], vi[4 * k + e] = i[k];
    }
    for (std::size_t qd = 0; qd < 4; ++qd) {
      double r[4], i[4];
      for (std::size_t k = 0; k < 4; ++k) r[k] = vr[4 * qd + k], i[k] = vi[4 * qd + k];
      dif4_core<O, true>(r, i);
      for (std::size_t k = 0; k < 4; ++k) re[b + 4 * k + qd] = r[k], im[b + 4 * k + qd] = i[k];
    }
  }
}

template <class Load>
void forward(const Plan& p, double* re, double* im, Load&& load) {
  dif_stage_any(p, p.stages[0], re, im, load);
  auto in_place = [&](std::size_t pos, double& r, double& i) {
    r = re[pos];
    i = im[pos];
  };
  for (std::size_t k = 1; k < p.stages.size(); ++k) dif_stage_any(p, p.stages[k], re, im, in_place);
  last_pass(p, re, im);
}

// ---- Backward (DIT) ----

// Fused first pass, reading (in_re, in_im) and writing natural order into (re, im).
void first_pass_inv(const Plan& p, const double* in_re, const double* in_im, double* re,
                    double* im) {
  const double* tab = p.tw.data() + p.tw16;
  for (std::size_t b = 0; b < p.m; b += 16) {
    double vr[16], vi[16];
    for (std::size_t qd = 0; qd < 4; ++qd) {
      double r[4], i[4];
      for (std::size_t k = 0; k < 4; ++k) {
        r[k] = in_re[b + 4 * k + qd], i[k] = in_im[b + 4 * k + qd];
      }
      dit4_core<O, true>(r, i);
      for (std::size_t k = 0; k < 4; ++k) vr[4 * qd + k] = r[k], vi[4 * qd + k] = i[k];
    }
    for (std::size_t e = 0; e < 4; ++e) {
      double r[4], i[4], w[6];
      for (std::size_t k = 0; k < 4; ++k) r[k] = vr[4 * k + e], i[k] = vi[4 * k + e];
      load_tw<4>(tab, e, w);
      dit4<O>(r, i, w);
      for (std::size_t k = 0; k < 4; ++k) re[b + 4 * k + e] = r[k], im[b + 4 * k + e] = i[k];
    }
  }
}

// One radix-R DIT stage on every block: reads (re, im), results go to store(position, re, im).
template <unsigned R, class Store>
void dit_stage(std::size_t m, std::size_t s, const double* tab, const double* re, const double* im,
               Store&& store) {
  const std::size_t q = s / R;
  for (std::size_t b = 0; b < m; b += s) {
    for (std::size_t j = 0; j < q; ++j) {
      double r[R], i[R], w[2 * (R - 1)];
      for (std::size_t p = 0; p < R; ++p) r[p] = re[b + j + p * q], i[p] = im[b + j + p * q];
      load_tw<R>(tab, j, w);
      dit<R, O>(r, i, w);
      for (std::size_t p = 0; p < R; ++p) store(b + j + p * q, r[p], i[p]);
    }
  }
}

template <class Store>
void dit_stage_any(const Plan& p, const Stage& st, const double* re, const double* im,
                   Store&& store) {
  const double* tab = p.tw.data() + st.tw;
  if (st.radix == 2) return dit_stage<2>(p.m, st.s, tab, re, im, store);
  return dit_stage<4>(p.m, st.s, tab, re, im, store);
}

template <class Store>
void backward(const Plan& p, const double* in_re, const double* in_im, double* re, double* im,
              Store&& store) {
  first_pass_inv(p, in_re, in_im, re, im);
  auto in_place = [&](std::size_t pos, double r, double i) {
    re[pos] = r;
    im[pos] = i;
  };
  for (std::size_t k = p.stages.size() - 1; k >= 1; --k) {
    dit_stage_any(p, p.stages[k], re, im, in_place);
  }
  dit_stage_any(p, p.stages[0], re, im, store);
}

// ---- Public operations ----

void forward_int(const Plan& p, const int64_t* in, double* out, const double* /*fetch*/) noexcept {
  const std::size_t m = p.m;
  const double* wr = p.twist.data();
  const double* wi = wr + m;
  forward(p, out, out + m, [&](std::size_t j, double& r, double& i) {
    r = small_int_to_double<O>(static_cast<uint64_t>(in[j]));
    i = small_int_to_double<O>(static_cast<uint64_t>(in[j + m]));
    cmul<O>(r, i, wr[j], wi[j]);
  });
}

void forward_torus(const Plan& p, const uint64_t* in, double* out) noexcept {
  const std::size_t m = p.m;
  const double* wr = p.twist.data();
  const double* wi = wr + m;
  forward(p, out, out + m, [&](std::size_t j, double& r, double& i) {
    r = O::mul(int_to_double<O>(in[j]), 0x1p-64);
    i = O::mul(int_to_double<O>(in[j + m]), 0x1p-64);
    cmul<O>(r, i, wr[j], wi[j]);
  });
}

void backward_torus_add(const Plan& p, double* in, uint64_t* acc,
                        const double* /*fetch*/) noexcept {
  const std::size_t m = p.m;
  const double* ur = p.untwist.data();
  const double* ui = ur + m;
  backward(p, in, in + m, in, in + m, [&](std::size_t j, double r, double i) {
    cmul<O>(r, i, ur[j], ui[j]);
    acc[j] += torus_round<O>(r);
    acc[j + m] += torus_round<O>(i);
  });
}

void mul(const Plan& p, double* out, const double* a, const double* b) noexcept {
  const std::size_t m = p.m;
  for (std::size_t j = 0; j < m; ++j) pmul<O>(a[j], a[j + m], b[j], b[j + m], out[j], out[j + m]);
}

void mul_acc(const Plan& p, double* acc, const double* a, const double* b) noexcept {
  const std::size_t m = p.m;
  for (std::size_t j = 0; j < m; ++j) {
    pmul_acc<O>(a[j], a[j + m], b[j], b[j + m], acc[j], acc[j + m]);
  }
}

void external_mac(const Plan& p, double* out, std::size_t out_stride, const double* in,
                  std::size_t in_stride, std::size_t rows, const double* key,
                  std::size_t cols) noexcept {
  const std::size_t m = p.m, count = rows * cols;
  for (std::size_t j = 0; j < m; ++j) {
    // Packed key: chunk j / 8, buffer k at +16 k (re), +16 k + 8 (im), lane j % 8.
    const double* blk = key + (j / 8) * count * 16 + j % 8;
    for (std::size_t c = 0; c < cols; ++c) {
      const double* g = blk + c * 16;
      double r, i;
      pmul<O>(in[j], in[j + m], g[0], g[8], r, i);
      for (std::size_t row = 1; row < rows; ++row) {
        const double* a = in + row * in_stride;
        const double* b = blk + (row * cols + c) * 16;
        pmul_acc<O>(a[j], a[j + m], b[0], b[8], r, i);
      }
      out[c * out_stride + j] = r;
      out[c * out_stride + j + m] = i;
    }
  }
}

void complex_forward(const Plan& p, const double* in_re, const double* in_im, double* out_re,
                     double* out_im) noexcept {
  forward(p, out_re, out_im, [&](std::size_t j, double& r, double& i) {
    r = in_re[j];
    i = in_im[j];
  });
}

void complex_backward(const Plan& p, const double* in_re, const double* in_im, double* out_re,
                      double* out_im) noexcept {
  backward(p, in_re, in_im, out_re, out_im, [&](std::size_t j, double r, double i) {
    out_re[j] = r;
    out_im[j] = i;
  });
}

constexpr Backend kScalar{
    FftKind::Scalar, "scalar",     forward_int,     forward_torus,   backward_torus_add, mul,
    mul_acc,         external_mac, complex_forward, complex_backward};

}  // namespace

const Backend& scalar_backend() noexcept {
  return kScalar;
}

}  // namespace fhe::fft_detail
