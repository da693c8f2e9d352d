// The loops of Fft::external_mac for the SIMD backends, written once over a backend policy B
// (declared in the backend's anonymous namespace, like its Ops type, so that each instantiation
// has internal linkage and keeps its own instruction set):
//   B::V, B::O (the Ops of fft_kernels.h), B::kLanes (doubles per vector: 4 or 8),
//   B::ld(const double*), B::st(double*, V), B::prefetch_key(const double* chunk, count).
//
// Per chunk of 8 frequency positions (one cache line of each stream), the `in` values of every
// row are loaded once, each column's accumulator stays in registers across the rows, and all
// columns are stored after all loads. The key block of the chunk (rows x cols buffers, packed:
// fhe::pack_key) is one sequential stream; with the callers' padded strides the in/out streams
// fall in different L1 sets. Shapes up to 4 rows x 4 columns are compiled for; others take the
// generic loop. The arithmetic per element is pmul then pmul_acc by rows, as in every backend.
#pragma once

#include <cstddef>

#include "fft/fft_internal.h"
#include "fft/fft_kernels.h"

namespace fhe::fft_detail {

template <class B, std::size_t Rows, std::size_t Cols>
void external_mac_fixed(std::size_t m, double* out, std::size_t os, const double* in,
                        std::size_t is, const double* key) {
  using V = typename B::V;
  using O = typename B::O;
  constexpr std::size_t kCount = Rows * Cols;
  for (std::size_t j0 = 0; j0 < m; j0 += 8) {
    const double* blk = key + (j0 / 8) * kCount * 16;
    B::prefetch_key(blk, kCount);
    for (std::size_t h = 0; h < 8; h += B::kLanes) {
      const std::size_t j = j0 + h;
      V ar[Rows], ai[Rows], accr[Cols], acci[Cols];
      for (std::size_t r = 0; r < Rows; ++r) {
        ar[r] = B::ld(in + r * is + j);
        ai[r] = B::ld(in + r * is + j + m);
      }
      for (std::size_t c = 0; c < Cols; ++c) {
        const double* g = blk + c * 16 + h;
        pmul<O>(ar[0], ai[0], B::ld(g), B::ld(g + 8), accr[c], acci[c]);
      }
      for (std::size_t r = 1; r < Rows; ++r) {
        for (std::size_t c = 0; c < Cols; ++c) {
          const double* g = blk + (r * Cols + c) * 16 + h;
          pmul_acc<O>(ar[r], ai[r], B::ld(g), B::ld(g + 8), accr[c], acci[c]);
        }
      }
      for (std::size_t c = 0; c < Cols; ++c) {
        B::st(out + c * os + j, accr[c]);
        B::st(out + c * os + j + m, acci[c]);
      }
    }
  }
}

template <class B>
void external_mac_generic(std::size_t m, double* out, std::size_t os, const double* in,
                          std::size_t is, std::size_t rows, const double* key, std::size_t cols) {
  using V = typename B::V;
  using O = typename B::O;
  const std::size_t count = rows * cols;
  for (std::size_t j0 = 0; j0 < m; j0 += 8) {
    const double* blk = key + (j0 / 8) * count * 16;
    B::prefetch_key(blk, count);
    for (std::size_t c = 0; c < cols; ++c) {
      for (std::size_t h = 0; h < 8; h += B::kLanes) {
        const std::size_t j = j0 + h;
        const double* g = blk + c * 16 + h;
        V accr, acci;
        pmul<O>(B::ld(in + j), B::ld(in + j + m), B::ld(g), B::ld(g + 8), accr, acci);
        for (std::size_t r = 1; r < rows; ++r) {
          const double* a = in + r * is;
          const double* b = blk + (r * cols + c) * 16 + h;
          pmul_acc<O>(B::ld(a + j), B::ld(a + j + m), B::ld(b), B::ld(b + 8), accr, acci);
        }
        B::st(out + c * os + j, accr);
        B::st(out + c * os + j + m, acci);
      }
    }
  }
}

template <class B, std::size_t Rows>
void external_mac_rows(std::size_t m, double* out, std::size_t os, const double* in, std::size_t is,
                       const double* key, std::size_t cols) {
  switch (cols) {
    case 1:
      return external_mac_fixed<B, Rows, 1>(m, out, os, in, is, key);
    case 2:
      return external_mac_fixed<B, Rows, 2>(m, out, os, in, is, key);
    case 3:
      return external_mac_fixed<B, Rows, 3>(m, out, os, in, is, key);
    case 4:
      return external_mac_fixed<B, Rows, 4>(m, out, os, in, is, key);
    default:
      return external_mac_generic<B>(m, out, os, in, is, Rows, key, cols);
  }
}

template <class B>
void external_mac_simd(const Plan& p, double* out, std::size_t os, const double* in, std::size_t is,
                       std::size_t rows, const double* key, std::size_t cols) {
  switch (rows) {
    case 1:
      return external_mac_rows<B, 1>(p.m, out, os, in, is, key, cols);
    case 2:
      return external_mac_rows<B, 2>(p.m, out, os, in, is, key, cols);
    case 3:
      return external_mac_rows<B, 3>(p.m, out, os, in, is, key, cols);
    case 4:
      return external_mac_rows<B, 4>(p.m, out, os, in, is, key, cols);
    default:
      return external_mac_generic<B>(p.m, out, os, in, is, rows, key, cols);
  }
}

}  // namespace fhe::fft_detail
