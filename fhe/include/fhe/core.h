// Core LWE/GLWE/GGSW entities and algorithms (everything below shortint).
//
// Conventions (TFHE-rs, reference/tfhe-rs.md §2): arithmetic is wrapping mod 2^64; an LWE
// ciphertext is [a_0 .. a_{n-1}, b] with phase b - sum a_i s_i; a GLWE ciphertext is k mask
// polynomials then the body, N coefficients each, contiguous; the big LWE key is the GLWE key's
// coefficients concatenated. Secret keys are binary, one u64 per bit.
//
// Errors: functions here are inner kernels; they assume matching dimensions (asserted in debug
// builds). The shortint layer validates parameter sets at its boundary.
//
// Thread safety: keys are immutable after generation and may be shared; scratch buffers are not.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "fhe/aligned.h"
#include "fhe/fft.h"
#include "fhe/params.h"
#include "fhe/random.h"

namespace fhe {

struct LweSecretKey {
  SecretVec<uint64_t> bits;
  std::size_t dimension() const { return bits.size(); }
};

struct GlweSecretKey {
  uint32_t glwe_dimension = 0;
  uint32_t polynomial_size = 0;
  SecretVec<uint64_t> bits;  // k polynomials of N coefficients
  LweSecretKey as_lwe() const { return LweSecretKey{bits}; }
};

struct LweCiphertext {
  AVec<uint64_t> data;  // n mask coefficients then the body
  LweCiphertext() = default;
  explicit LweCiphertext(std::size_t n) : data(n + 1, 0) {}
  std::size_t dimension() const { return data.size() - 1; }
  uint64_t& body() { return data.back(); }
  uint64_t body() const { return data.back(); }
};

struct GlweCiphertext {
  uint32_t glwe_dimension = 0;
  uint32_t polynomial_size = 0;
  AVec<uint64_t> data;  // (k+1) * N
  GlweCiphertext() = default;
  GlweCiphertext(uint32_t k, uint32_t n)
      : glwe_dimension(k), polynomial_size(n), data(std::size_t{k + 1} * n, 0) {}
  uint64_t* poly(uint32_t i) { return data.data() + std::size_t{i} * polynomial_size; }
  const uint64_t* poly(uint32_t i) const { return data.data() + std::size_t{i} * polynomial_size; }
};

// ---- Gadget decomposition (TFHE-rs signed decomposition with its exact rounding, §2.5) ----
struct Decomposer {
  uint32_t base_log;
  uint32_t level;
  // Rounds x to the closest multiple of 2^(64 - base_log*level) and returns the balanced state
  // in [-2^(R-1), 2^(R-1)], R = base_log*level. With one level this is the digit itself.
  // always_inline: this header is also compiled into AVX2 translation units; every use must be
  // inlined so that no out-of-line copy with AVX2 code can be picked by the linker.
  [[gnu::always_inline]] int64_t init_state(uint64_t x) const noexcept {
    const uint32_t r = base_log * level;
    // Keep R bits rounded to nearest; ties are resolved with the bit below ("rounding bit").
    uint64_t res = x >> (64 - r - 1);
    const uint64_t rb = res & 1;
    res = ((res + 1) >> 1) & ((uint64_t{1} << r) - 1);
    // Balance: subtract 2^R when res > 2^(R-1), or res == 2^(R-1) and the rounding bit is set.
    const uint64_t need = (((res - 1) | (rb << (r - 1))) & res) >> (r - 1);
    return static_cast<int64_t>(res - (need << r));
  }
  // Writes `level` digits, level l first (most significant last in storage order: out[0] is the
  // digit of level l, i.e. the least significant one), matching TFHE-rs's iteration order.
  void decompose(uint64_t x, int64_t* out) const noexcept {
    int64_t state = init_state(x);
    const uint64_t mask = (uint64_t{1} << base_log) - 1;
    for (uint32_t i = 0; i < level; ++i) {
      const uint64_t d = static_cast<uint64_t>(state) & mask;
      state >>= base_log;  // arithmetic shift
      const uint64_t carry = (((d - 1) | static_cast<uint64_t>(state)) & d) >> (base_log - 1);
      state += static_cast<int64_t>(carry);
      out[i] = static_cast<int64_t>(d) - static_cast<int64_t>(carry << base_log);
    }
  }
  uint64_t closest_representable(uint64_t x) const noexcept;
};

// ---- Polynomial arithmetic mod X^N + 1, exact (wrapping u64) ----
// out += a * b, b binary or small (Karatsuba over wrapping u64).
void poly_mul_add(uint64_t* out, const uint64_t* a, const uint64_t* b, std::size_t n);
// out = a * X^d (negacyclic), 0 <= d < 2N.
void poly_monomial_mul(uint64_t* out, const uint64_t* a, std::size_t n, std::size_t d) noexcept;

// ---- Encryption ----
// Keys
LweSecretKey generate_lwe_key(uint32_t dimension, Csprng& secret);
GlweSecretKey generate_glwe_key(uint32_t k, uint32_t n, Csprng& secret);

LweCiphertext lwe_encrypt(const LweSecretKey& sk, uint64_t plaintext, TUniform noise, Csprng& mask,
                          Csprng& noise_rng);
uint64_t lwe_phase(const LweSecretKey& sk, const LweCiphertext& ct) noexcept;
LweCiphertext lwe_trivial(std::size_t dimension, uint64_t plaintext);

// GLWE encryption of a plaintext polynomial (N coefficients).
void glwe_encrypt(const GlweSecretKey& sk, const uint64_t* plaintext, TUniform noise, Csprng& mask,
                  Csprng& noise_rng, GlweCiphertext& out);
void glwe_phase(const GlweSecretKey& sk, const GlweCiphertext& ct, uint64_t* out);

// ---- Keyswitch key: [input_dim][level l..1][n_out + 1] ----
struct LweKeyswitchKey {
  uint32_t input_dimension = 0;
  uint32_t output_dimension = 0;
  Decomposition decomp{};
  AVec<uint64_t> data;
};
LweKeyswitchKey generate_keyswitch_key(const LweSecretKey& in, const LweSecretKey& out,
                                       Decomposition d, TUniform noise, Csprng& mask,
                                       Csprng& noise_rng);
// out = keyswitch(in): out has dimension ksk.output_dimension.
void keyswitch(const LweKeyswitchKey& ksk, const LweCiphertext& in, LweCiphertext& out) noexcept;
// out[c] = keyswitch(in[c]) for a batch, in one pass over the key (each key row is used by every
// ciphertext while it is in cache). Same results as keyswitch one by one.
void keyswitch_batch(const LweKeyswitchKey& ksk, std::span<const LweCiphertext* const> in,
                     std::span<LweCiphertext* const> out) noexcept;

// ---- Packing keyswitch (LWE list -> one GLWE, reference/tfhe-rs.md §2.13) ----
// Key layout [input_dim][level l..1][(k+1)*N]: level ciphertext j of input i is a GLWE encryption
// of the constant polynomial s_in[i] * q / B^level.
struct PackingKeyswitchKey {
  uint32_t input_dimension = 0;
  uint32_t glwe_dimension = 0;
  uint32_t polynomial_size = 0;
  Decomposition decomp{};
  AVec<uint64_t> data;
};
PackingKeyswitchKey generate_packing_keyswitch_key(const LweSecretKey& in, const GlweSecretKey& out,
                                                   Decomposition d, TUniform noise, Csprng& mask,
                                                   Csprng& noise_rng);
// out = sum_j X^j * keyswitch(in[j]): the phase of LWE j lands on coefficient j. At most N inputs.
// Integer arithmetic only; the LWEs are keyswitched in parallel and summed in index order.
void packing_keyswitch(const PackingKeyswitchKey& pksk, std::span<const LweCiphertext* const> in,
                       GlweCiphertext& out);

// ---- Bootstrapping key ----
// Standard domain: n GGSW ciphertexts, each [level l..1][row 0..k][(k+1)*N].
struct StandardBootstrapKey {
  uint32_t input_dimension = 0;
  uint32_t glwe_dimension = 0;
  uint32_t polynomial_size = 0;
  Decomposition decomp{};
  AVec<uint64_t> data;
};
// GGSW i uses a fixed window of the mask and noise streams (as tfhe-csprng's fork), so the key is
// the same for any thread count and equals one sequential generation.
StandardBootstrapKey generate_bootstrap_key(const LweSecretKey& small, const GlweSecretKey& glwe,
                                            Decomposition d, TUniform noise, u128 mask_seed,
                                            u128 noise_seed);

// GGSW encryption of a small integer m (one GGSW of the layout above: [level l..1][row][(k+1)*N]).
// Row r < k of level j has phase -m * S_r * q/B^j; row k has phase m * q/B^j (constant term).
void ggsw_encrypt(const GlweSecretKey& sk, uint64_t m, Decomposition d, TUniform noise,
                  Csprng& mask, Csprng& noise_rng, uint64_t* out);
// Decrypts a GGSW: the constant term of row k at the most significant level, rounded to a
// multiple of q/B (returns m mod B).
uint64_t ggsw_decrypt(const GlweSecretKey& sk, const uint64_t* ggsw, Decomposition d);

// Fourier domain: same order, each polynomial replaced by its N-double Fourier transform.
// The Fourier bootstrapping key: GGSW i is (level, row, column) Fourier buffers in the packed key
// layout of Fft::external_mac (fhe::pack_key over its l (k+1)^2 buffers); unpack_key gives them
// in the usual layout, in storage order.
struct FourierBootstrapKey {
  uint32_t input_dimension = 0;
  uint32_t glwe_dimension = 0;
  uint32_t polynomial_size = 0;
  Decomposition decomp{};
  AVec<double> data;
  const double* ggsw(std::size_t i) const {
    return data.data() + i * std::size_t{decomp.level} * (glwe_dimension + 1) *
                             (glwe_dimension + 1) * polynomial_size;
  }
};
FourierBootstrapKey to_fourier(const StandardBootstrapKey& bsk, const Fft& fft);

// ---- Modulus switch to 2N (§2.7) ----
// Writes n+1 values in [0, 2N): the mask then the body. Centered-mean corrects the body.
void modulus_switch(const LweCiphertext& in, uint32_t log2_2n, ModSwitch kind,
                    uint32_t* out) noexcept;

// ---- Blind rotation and PBS ----
// Scratch space for one blind rotation; reuse it across calls on one thread.
struct PbsScratch {
  GlweCiphertext diff;  // ACC * X^a - ACC
  AVec<int64_t> digits;
  // Fourier buffers of the external product: the transformed digit rows, then the output
  // columns, each `fourier_stride` doubles apart (N plus a pad, so that the streams of one pass
  // fall in different L1 sets).
  AVec<double> fourier;
  std::size_t fourier_stride = 0;
  LweCiphertext ks_out;
  std::vector<uint32_t> ms;
};

// ACC = LUT * X^(-b'); for each a'_i != 0: ACC += ExtProd(BSK_i, ACC*X^(a'_i) - ACC).
void blind_rotate(const FourierBootstrapKey& bsk, const Fft& fft, const uint32_t* ms_input,
                  GlweCiphertext& acc, PbsScratch& scratch);
// Several blind rotations in lockstep (ms[c] drives accs[c]): for each key row, every ciphertext
// of the batch takes its step before the next row is read, so the bootstrapping key streams from
// memory once per batch instead of once per ciphertext. Each result is bit-identical to
// blind_rotate on that ciphertext alone.
void blind_rotate_batch(const FourierBootstrapKey& bsk, const Fft& fft,
                        std::span<const uint32_t* const> ms_inputs,
                        std::span<GlweCiphertext* const> accs, PbsScratch& scratch);
// ACC += ExtProd(ggsw, in) where in is a GLWE; `in` is decomposed coefficient-wise.
void external_product_add(const double* ggsw_fourier, const Fft& fft, const GlweCiphertext& in,
                          GlweCiphertext& acc, Decomposition d, PbsScratch& scratch);
// LWE of dimension k*N holding coefficient `nth` of the GLWE's phase.
void sample_extract(const GlweCiphertext& glwe, std::size_t nth, LweCiphertext& out);

}  // namespace fhe
