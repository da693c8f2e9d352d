// Packing keyswitch: a list of LWE ciphertexts under one key -> one GLWE ciphertext under another,
// LWE j's phase at coefficient j (reference/tfhe-rs.md §2.13). Integer arithmetic only.
#include <cassert>
#include <cstring>

#include "fhe/core.h"
#include "parallel.h"

namespace fhe {

PackingKeyswitchKey generate_packing_keyswitch_key(const LweSecretKey& in, const GlweSecretKey& out,
                                                   Decomposition d, TUniform noise, Csprng& mask,
                                                   Csprng& noise_rng) {
  PackingKeyswitchKey k;
  k.input_dimension = static_cast<uint32_t>(in.dimension());
  k.glwe_dimension = out.glwe_dimension;
  k.polynomial_size = out.polynomial_size;
  k.decomp = d;
  const std::size_t n = out.polynomial_size;
  const std::size_t glwe_words = (std::size_t{out.glwe_dimension} + 1) * n;
  k.data.assign(in.dimension() * d.level * glwe_words, 0);
  GlweCiphertext ct(out.glwe_dimension, out.polynomial_size);
  std::vector<uint64_t> plaintext(n, 0);
  for (std::size_t i = 0; i < in.dimension(); ++i) {
    for (uint32_t li = 0; li < d.level; ++li) {
      // Block 0 holds level l (the least significant), as the LWE keyswitch key.
      const uint32_t level = d.level - li;
      plaintext[0] = in.bits[i] * (uint64_t{1} << (64 - d.base_log * level));
      glwe_encrypt(out, plaintext.data(), noise, mask, noise_rng, ct);
      std::memcpy(k.data.data() + (i * d.level + li) * glwe_words, ct.data.data(),
                  glwe_words * sizeof(uint64_t));
    }
  }
  plaintext[0] = 0;
  return k;
}

namespace {
// acc -= keyswitch(lwe) (the GLWE whose constant coefficient holds the phase), then the caller
// rotates by X^j. Here the rotation is folded in: every key polynomial is added at offset j.
void keyswitch_into_glwe(const PackingKeyswitchKey& k, const LweCiphertext& lwe,
                         GlweCiphertext& g) {
  const std::size_t n = k.polynomial_size;
  const std::size_t glwe_words = (std::size_t{k.glwe_dimension} + 1) * n;
  std::fill(g.data.begin(), g.data.end(), 0);
  g.poly(k.glwe_dimension)[0] = lwe.body();
  const Decomposer dec{k.decomp.base_log, k.decomp.level};
  int64_t digits[64];
  for (std::size_t i = 0; i < k.input_dimension; ++i) {
    dec.decompose(lwe.data[i], digits);
    const uint64_t* block = k.data.data() + i * k.decomp.level * glwe_words;
    for (uint32_t li = 0; li < k.decomp.level; ++li) {
      const uint64_t dgt = static_cast<uint64_t>(digits[li]);
      if (dgt == 0) continue;
      const uint64_t* r = block + li * glwe_words;
      uint64_t* o = g.data.data();
      for (std::size_t w = 0; w < glwe_words; ++w) o[w] -= dgt * r[w];
    }
  }
}
}  // namespace

void packing_keyswitch(const PackingKeyswitchKey& k, std::span<const LweCiphertext* const> in,
                       GlweCiphertext& out) {
  const std::size_t n = k.polynomial_size;
  assert(in.size() <= n);
  assert(out.glwe_dimension == k.glwe_dimension && out.polynomial_size == n);
  std::vector<GlweCiphertext> parts(in.size());
  detail::parallel_for(in.size(), [&](std::size_t j) {
    assert(in[j]->dimension() == k.input_dimension);
    GlweCiphertext g(k.glwe_dimension, k.polynomial_size);
    keyswitch_into_glwe(k, *in[j], g);
    parts[j] = GlweCiphertext(k.glwe_dimension, k.polynomial_size);
    for (uint32_t p = 0; p <= k.glwe_dimension; ++p) {
      poly_monomial_mul(parts[j].poly(p), g.poly(p), n, j);
    }
  });
  std::fill(out.data.begin(), out.data.end(), 0);
  for (const GlweCiphertext& g : parts) {
    for (std::size_t w = 0; w < out.data.size(); ++w) out.data[w] += g.data[w];
  }
}

}  // namespace fhe
