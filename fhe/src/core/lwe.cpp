// LWE / GLWE keys and encryption, LWE keyswitch, modulus switch (reference/tfhe-rs.md §2.4-2.7).
#include <algorithm>
#include <cassert>

#include "core/keyswitch_kernel.h"
#include "fhe/core.h"

namespace fhe {

LweSecretKey generate_lwe_key(uint32_t dimension, Csprng& secret) {
  LweSecretKey k;
  k.bits.resize(dimension);
  secret.fill_binary(k.bits);
  return k;
}

GlweSecretKey generate_glwe_key(uint32_t glwe_dimension, uint32_t n, Csprng& secret) {
  GlweSecretKey k;
  k.glwe_dimension = glwe_dimension;
  k.polynomial_size = n;
  k.bits.resize(std::size_t{glwe_dimension} * n);
  secret.fill_binary(k.bits);
  return k;
}

// b = <a, s> + m + e; mask from the mask stream, e from the noise stream.
static void lwe_encrypt_into(const LweSecretKey& sk, uint64_t plaintext, TUniform noise,
                             Csprng& mask, Csprng& noise_rng, uint64_t* out) {
  const std::size_t n = sk.dimension();
  mask.fill_uniform(std::span<uint64_t>(out, n));
  uint64_t b = plaintext + static_cast<uint64_t>(noise_rng.tuniform(noise.bound_log2));
  for (std::size_t i = 0; i < n; ++i) b += out[i] * sk.bits[i];
  out[n] = b;
}

LweCiphertext lwe_encrypt(const LweSecretKey& sk, uint64_t plaintext, TUniform noise, Csprng& mask,
                          Csprng& noise_rng) {
  LweCiphertext ct(sk.dimension());
  lwe_encrypt_into(sk, plaintext, noise, mask, noise_rng, ct.data.data());
  return ct;
}

uint64_t lwe_phase(const LweSecretKey& sk, const LweCiphertext& ct) noexcept {
  assert(ct.dimension() == sk.dimension());
  uint64_t acc = ct.body();
  for (std::size_t i = 0; i < sk.dimension(); ++i) acc -= ct.data[i] * sk.bits[i];
  return acc;
}

LweCiphertext lwe_trivial(std::size_t dimension, uint64_t plaintext) {
  LweCiphertext ct(dimension);
  ct.body() = plaintext;
  return ct;
}

void glwe_encrypt(const GlweSecretKey& sk, const uint64_t* plaintext, TUniform noise, Csprng& mask,
                  Csprng& noise_rng, GlweCiphertext& out) {
  const uint32_t k = sk.glwe_dimension, n = sk.polynomial_size;
  assert(out.glwe_dimension == k && out.polynomial_size == n);
  mask.fill_uniform(std::span<uint64_t>(out.data.data(), std::size_t{k} * n));
  uint64_t* body = out.poly(k);
  for (uint32_t j = 0; j < n; ++j) body[j] = plaintext[j];
  noise_rng.fill_tuniform_add(std::span<uint64_t>(body, n), noise);
  for (uint32_t r = 0; r < k; ++r) {
    poly_mul_add(body, out.poly(r), sk.bits.data() + std::size_t{r} * n, n);
  }
}

void glwe_phase(const GlweSecretKey& sk, const GlweCiphertext& ct, uint64_t* out) {
  const uint32_t k = sk.glwe_dimension, n = sk.polynomial_size;
  SecretVec<uint64_t> prod(n, 0);  // A*S: secret-dependent
  for (uint32_t r = 0; r < k; ++r) {
    poly_mul_add(prod.data(), ct.poly(r), sk.bits.data() + std::size_t{r} * n, n);
  }
  const uint64_t* body = ct.poly(k);
  for (uint32_t j = 0; j < n; ++j) out[j] = body[j] - prod[j];
}

LweKeyswitchKey generate_keyswitch_key(const LweSecretKey& in, const LweSecretKey& out,
                                       Decomposition d, TUniform noise, Csprng& mask,
                                       Csprng& noise_rng) {
  LweKeyswitchKey ksk;
  ksk.input_dimension = static_cast<uint32_t>(in.dimension());
  ksk.output_dimension = static_cast<uint32_t>(out.dimension());
  ksk.decomp = d;
  const std::size_t row = out.dimension() + 1;
  ksk.data.assign(in.dimension() * d.level * row, 0);
  for (std::size_t i = 0; i < in.dimension(); ++i) {
    for (uint32_t li = 0; li < d.level; ++li) {
      // Block index 0 holds level l (the least significant): s_in[i] * q / B^level.
      const uint32_t level = d.level - li;
      const uint64_t factor = uint64_t{1} << (64 - d.base_log * level);
      uint64_t* dst = ksk.data.data() + (i * d.level + li) * row;
      lwe_encrypt_into(out, in.bits[i] * factor, noise, mask, noise_rng, dst);
    }
  }
  return ksk;
}

void keyswitch(const LweKeyswitchKey& ksk, const LweCiphertext& in, LweCiphertext& out) noexcept {
  const LweCiphertext* const one_in[1] = {&in};
  LweCiphertext* const one_out[1] = {&out};
  keyswitch_batch(ksk, one_in, one_out);
}

void keyswitch_batch(const LweKeyswitchKey& ksk, std::span<const LweCiphertext* const> in,
                     std::span<LweCiphertext* const> out) noexcept {
  assert(in.size() == out.size());
  const std::size_t row = std::size_t{ksk.output_dimension} + 1;
  const uint32_t levels = ksk.decomp.level;
  assert(levels <= 64);
  const Decomposer dec{ksk.decomp.base_log, levels};
  const detail::KeyswitchRowsFn rows_fn = detail::keyswitch_rows_best();
  for (std::size_t c = 0; c < in.size(); ++c) {
    assert(in[c]->dimension() == ksk.input_dimension &&
           out[c]->dimension() == ksk.output_dimension);
    uint64_t* o = out[c]->data.data();
    std::fill(o, o + row - 1, 0);
    o[row - 1] = in[c]->body();
  }
  int64_t digits[64];
  // The key block of input coefficient i (levels rows) is read from memory once and used by every
  // ciphertext of the batch while it is in cache.
  for (std::size_t i = 0; i < ksk.input_dimension; ++i) {
    const uint64_t* block = ksk.data.data() + i * levels * row;
    for (std::size_t c = 0; c < in.size(); ++c) {
      dec.decompose(in[c]->data[i], digits);
      rows_fn(out[c]->data.data(), block, row, digits, levels, row);
    }
  }
}

namespace detail {
KeyswitchRowsFn keyswitch_rows_best() noexcept {
  static const KeyswitchRowsFn fn = [] {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
        __builtin_cpu_supports("avx512vl")) {
      return &keyswitch_rows_avx512;
    }
    if (__builtin_cpu_supports("avx2")) return &keyswitch_rows_avx2;
    return static_cast<KeyswitchRowsFn>(
        [](uint64_t* o, const uint64_t* rows, std::size_t stride, const int64_t* d, uint32_t levels,
           std::size_t len) noexcept { keyswitch_rows(o, rows, stride, d, levels, len); });
  }();
  return fn;
}
}  // namespace detail

void modulus_switch(const LweCiphertext& in, uint32_t log_modulus, ModSwitch kind,
                    uint32_t* out) noexcept {
  const std::size_t n = in.dimension();
  const uint32_t shift = 64 - log_modulus;
  auto ms = [&](uint64_t x) -> uint32_t {
    return static_cast<uint32_t>((x + (uint64_t{1} << (shift - 1))) >> shift);
  };
  uint64_t correction = 0;
  if (kind == ModSwitch::CenteredMeanNoiseReduction) {
    // Subtract the expected mask rounding error (binary key: mean 1/2 per coefficient) and a
    // half step, so that the body's rounding acts as a floor (centered_binary_ms_body_correction).
    uint64_t sum_half = 0;
    int64_t rem = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const uint64_t a = in.data[i];
      const int64_t err = static_cast<int64_t>((uint64_t{ms(a)} << shift) - a);
      const int64_t h = err / 2;
      sum_half += static_cast<uint64_t>(h);
      rem += 2 * h - err;
    }
    sum_half -= static_cast<uint64_t>(rem / 2);
    correction = sum_half - (uint64_t{1} << (shift - 1));
  }
  for (std::size_t i = 0; i < n; ++i) out[i] = ms(in.data[i]);
  out[n] = ms(in.body() + correction);
}

}  // namespace fhe
