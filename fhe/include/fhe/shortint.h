// shortint: 2+2-bit integers (message | carry) with a padding bit, the building block of radix
// integers. Encoding m -> m * delta with delta = 2^63 / (message * carry) = 2^59 for FHEVM.
//
// Each ciphertext carries metadata that drives control flow exactly as in TFHE-rs
// (reference/tfhe-rs.md §3): degree (the largest value the plaintext may hold) and noise level
// (0 trivial, 1 nominal = fresh or PBS output; sums add up, scalar products multiply).
//
// Errors: the public functions check parameter sets and degree/noise preconditions and throw
// ShortintError; inner kernels do not.
//
// Thread safety: a ServerKey is shared read-only; each thread uses its own Evaluator (it owns
// scratch buffers).
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <stdexcept>

#include "fhe/core.h"
#include "fhe/keys.h"

namespace fhe::shortint {

class ShortintError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Ciphertext {
  const ShortintParams* params = nullptr;
  LweCiphertext ct;
  uint64_t degree = 0;
  uint64_t noise_level = 0;
  uint64_t message_modulus() const { return params->message_modulus; }
  uint64_t carry_modulus() const { return params->carry_modulus; }
  bool carry_is_empty() const { return degree < params->message_modulus; }
};

// Client side. m is reduced mod message_modulus (TFHE-rs encrypt).
Ciphertext encrypt(const ClientKey& ck, uint64_t m, Csprng& mask, Csprng& noise);
// Encrypts m mod (message*carry) without reducing to the message space (degree = m).
Ciphertext encrypt_without_padding_reduction(const ClientKey& ck, uint64_t m, Csprng& mask,
                                             Csprng& noise);
// Full decoded value in [0, message*carry): divide_round(phase, delta) % (2*msg*carry) then
// % (msg*carry). decrypt() returns the message part only (% message_modulus).
uint64_t decrypt_message_and_carry(const ClientKey& ck, const Ciphertext& ct);
uint64_t decrypt(const ClientKey& ck, const Ciphertext& ct);
Ciphertext trivial(const ShortintParams& params, uint64_t m);

// A lookup table: the accumulator GLWE (body only) and the resulting degree.
struct LookupTable {
  const ShortintParams* params = nullptr;
  GlweCiphertext acc;
  uint64_t degree = 0;
};
// f: [0, msg*carry) -> output value (encoded with the same delta, wrapping).
LookupTable make_lut(const ShortintParams& params, const std::function<uint64_t(uint64_t)>& f);
// Bivariate f(lhs, rhs) with lhs in the high part: input x = lhs * msg + rhs.
// A table whose input is encoded with modulus `input_sup` (delta = 2^63 / input_sup) and whose
// output uses the compute encoding of `params` (TFHE-rs generate_lookup_table_with_output_encoding
// with carry 1 on the input side).
LookupTable make_lut_with_input_modulus(const ShortintParams& params, uint64_t input_sup,
                                        const std::function<uint64_t(uint64_t)>& f);
LookupTable make_bivariate_lut(const ShortintParams& params,
                               const std::function<uint64_t(uint64_t, uint64_t)>& f);

// Several functions in one accumulator (TFHE-rs many-LUT): function i occupies coefficients
// [i * stride, (i+1) * stride) with stride = (max_input_degree + 1) * box; one blind rotation then
// one sample extraction per function. The input's degree must be <= max_input_degree
// (= msg*carry / count - 1: 7 for two functions).
struct ManyLookupTable {
  const ShortintParams* params = nullptr;
  GlweCiphertext acc;
  std::vector<uint64_t> degrees;  // output degree of each function
  uint64_t max_input_degree = 0;
  std::size_t stride = 0;
};
ManyLookupTable make_many_lut(const ShortintParams& params,
                              const std::vector<std::function<uint64_t(uint64_t)>>& fs);

// The largest PBS batch the engine forms: its accumulators (32 KiB each at the FHEVM parameters)
// and one bootstrapping-key row stay in a core's L2 cache.
inline constexpr std::size_t kMaxPbsBatch = 8;

// One PBS of a batch: *out = apply_lut(*in, *lut).
struct LutJob {
  const Ciphertext* in;
  const LookupTable* lut;
  Ciphertext* out;
};

class Evaluator {
 public:
  explicit Evaluator(const ServerKey& sk);

  const ServerKey& server_key() const { return *sk_; }
  const ShortintParams& params() const { return *sk_->params; }

  // KS -> centered-mean MS -> blind rotation -> sample extraction. Output noise NOMINAL.
  Ciphertext apply_lut(const Ciphertext& in, const LookupTable& lut);
  // apply_lut on every job of a batch, with the keyswitch and the blind rotation batched over
  // their keys (each key is streamed from memory once per batch, not once per ciphertext).
  // Outputs are bit-identical to apply_lut job by job. All inputs are checked before any work;
  // an output may alias any input.
  void apply_lut_batch(std::span<const LutJob> jobs);
  // lhs * msg + rhs then one PBS (requires rhs.degree < msg).
  Ciphertext apply_bivariate_lut(const Ciphertext& lhs, const Ciphertext& rhs,
                                 const LookupTable& lut);
  // One blind rotation, one output per function of the table.
  std::vector<Ciphertext> apply_many_lut(const Ciphertext& in, const ManyLookupTable& lut);
  Ciphertext message_extract(const Ciphertext& in);
  Ciphertext carry_extract(const Ciphertext& in);

  // Linear operations (no PBS), with degree and noise bookkeeping.
  Ciphertext add(const Ciphertext& a, const Ciphertext& b) const;
  Ciphertext sub_raw(const Ciphertext& a, const Ciphertext& b) const;  // plain LWE subtraction
  Ciphertext scalar_mul(const Ciphertext& a, uint64_t c) const;
  Ciphertext scalar_add(const Ciphertext& a, uint64_t c) const;
  // -ct + z*delta with z = max(1, ceil(degree/msg)) * msg; returns z through `z_out`.
  Ciphertext neg_with_correcting_term(const Ciphertext& a, uint64_t* z_out) const;
  Ciphertext bitnot(const Ciphertext& a) const;  // clean blocks only

  // Number of PBS run by this evaluator (for reporting PBS counts next to latencies).
  uint64_t pbs_count() const { return pbs_count_; }

  // Blind rotation of `acc` with another bootstrapping key of the same output GLWE (OPRF,
  // decompression) on already modulus-switched input (n+1 values in [0, 2N)), then sample
  // extraction of coefficient 0 into `out`. Counts as one PBS.
  void blind_rotate_extract(const FourierBootstrapKey& bsk, const uint32_t* ms_input,
                            const GlweCiphertext& acc, LweCiphertext& out);
  // The same for a batch (ms_inputs[c] rotates *accs[c] into *outs[c]), blind-rotated in lockstep:
  // bit-identical to blind_rotate_extract one by one. Counts as outs.size() PBS.
  void blind_rotate_extract_batch(const FourierBootstrapKey& bsk,
                                  std::span<const uint32_t* const> ms_inputs,
                                  std::span<const GlweCiphertext* const> accs,
                                  std::span<LweCiphertext* const> outs);

  // Raw LWE-level bootstrap (no metadata): used by tests of the core.
  void bootstrap_raw(const LweCiphertext& in, const LookupTable& lut, LweCiphertext& out);
  void keyswitch_raw(const LweCiphertext& in, LweCiphertext& out);

 private:
  void check(const Ciphertext& c, const char* what) const;
  void check_pbs_input(const Ciphertext& in, const ShortintParams* lut_params, const char* what);
  // KS -> MS -> blind rotation of `acc` (left in acc_).
  void rotate(const LweCiphertext& in, const GlweCiphertext& acc);
  const ServerKey* sk_;
  PbsScratch scratch_;
  GlweCiphertext acc_;
  void grow_batch(std::size_t n);
  // Per-slot state of the batched paths, grown on demand and reused.
  std::vector<LweCiphertext> batch_ks_;
  std::vector<std::vector<uint32_t>> batch_ms_;
  std::vector<GlweCiphertext> batch_acc_;
  uint64_t pbs_count_ = 0;
};

}  // namespace fhe::shortint
