// Compact public key (CPK) encryption and ciphertext re-randomization, as TFHE-rs 1.6.3
// (reference/tfhe-rs.md §1.3-1.4, §2.14). Given the same generator streams the outputs equal
// TFHE-rs's bit for bit: every random draw below is listed in TFHE-rs's order.
//
// ---- Compact public key (core_crypto/algorithms/lwe_compact_public_key_generation.rs) ----
// `x (*) y` is the semi-reverse negacyclic convolution x(X) * rev(y)(X) mod X^n + 1
// (core_crypto/algorithms/slice_algorithms.rs, slice_semi_reverse_negacyclic_convolution).
//   a <- n uniform u64 (mask stream);  b = a (*) s + e, e <- n TUniform (noise stream).
//
// ---- Compact list encryption (lwe_encryption.rs,
//      encrypt_lwe_compact_ciphertext_list_with_compact_public_key_impl) ----
// A list of `count` plaintexts uses bins = ceil(count / n) masks ("bins"), one per n bodies.
// ONE generator (TFHE-rs's NoiseRandomGenerator) gives, in this order:
//   r  <- bins*n binary values, 8 per byte, least significant bit first (ceil(bins*n/8) bytes)
//   e1 <- bins*n TUniform(encryption noise)   (mask noise)
//   e2 <- count  TUniform(encryption noise)   (body noise)
// then per bin k (r_k, e1_k: the k-th n-chunk; body index j inside the bin):
//   mask_k = a (*) r_k + e1_k;   body_{k,j} = rev(b (*) r_k)_j + e2_{k*n+j} + plaintext_{k*n+j}.
// The binary-rhs convolution TFHE-rs uses for re-randomization (an exact NTT) equals the plain
// one. The shortint layer (shortint/public_key/compact.rs) encodes m as (m % encryption_modulus) *
// delta with delta = 2^63 / (message * carry) of the CPK parameters and seeds the generator with
// XofSeed(seed, "TFHE_Enc").
//
// ---- Expansion (core_crypto/algorithms/lwe_compact_ciphertext_list_expansion.rs) ----
// The j-th LWE of bin k is (mask_k * X^j mod X^n + 1, body_{k,j}), dimension n, under the CPK
// secret key.
//
// ---- Re-randomization keyswitching key (PKE_TO_BIG) ----
// shortint/client_key/atomic_pattern/standard.rs, new_keyswitching_key_with_engine: a plain LWE
// keyswitching key (lwe_keyswitch_key_generation.rs) from the CPK secret key to the big key
// (destination Big), B = 2^24, l = 1, entries encrypted with the COMPUTE parameters'
// glwe_noise_distribution (TUniform(17) for FHEVM) -- the keyswitch parameter set itself carries
// no noise. A destination Small key would use the small key and lwe_noise_distribution.
// generate_cpk_keyswitch_key does exactly this; it equals
// generate_keyswitch_key(cpk_sk, ck.big_lwe(), rerand.ks, params.glwe_noise, mask, noise).
//
// ---- Re-randomization (shortint/ciphertext/re_randomization.rs,
//      integer/ciphertext/re_randomization.rs, high_level_api/re_randomization.rs) ----
// Seed derivation (BLAKE3, ReRandomizationHashAlgo::Blake3, the default):
//   state = BLAKE3( rerand_domain (8 bytes)
//                 || every coefficient of every added ciphertext, u64 little endian, in add order
//                    (each block's LWE as stored: n mask coefficients then the body; no lengths)
//                 || the metadata bytes of the added ciphertexts, concatenated in add order
//                 || fn_description bytes )
//   seed_i = first 32 bytes of BLAKE3-XOF(state || LE8(i)), i = 0, 1, ...
// The integer/high-level context buffers ciphertexts and metadata and hashes them at finalize,
// so all ciphertext data precedes all metadata whatever the add order; no framing of any kind.
// It hands out at most one seed per added ciphertext (an error after that).
// A seed drives Csprng::from_xof_seed(seed_i, public_encryption_domain) (TFHE-rs
// XofSeed::new(seed, domain) -> NoiseRandomGenerator): that one stream provides r, e1 and e2 of a
// compact-list encryption of `blocks.size()` zeros (plaintext 0, no encoding) under the CPK;
// zero j is expanded, keyswitched with the PKE_TO_BIG key and added to block j; every block's
// noise level is set to NOMINAL (degree unchanged). Preconditions (TFHE-rs's errors): KS->PBS
// order, block dimension = KSK output dimension, noise level <= NOMINAL, same message*carry on
// both sides (cast_rshift 0), KSK input dimension = CPK dimension.
//
// ---- How FHEVM derives the seeds (zama-ai/fhevm, coprocessor/fhevm-engine, tfhe =1.6.3) ----
// Operation inputs (scheduler/src/dfg/scheduler.rs, re_randomise_operation_inputs, called from
// try_execute_node after decompressing every input):
//   ctx = ReRandomizationContext::new(b"TFHE_Rrd", [opcode.to_be_bytes()], b"TFHE_Enc")
//         -- fn_description = the op's i32 opcode, 4 bytes big endian;
//   for every input in operand order: ctx.add_ciphertext(ct) (fhevm-engine-common/src/types.rs,
//         add_to_re_randomization_context: scalar operands add nothing; a ciphertext adds all
//         its blocks and its re-randomization metadata, which FHEVM never sets: empty);
//   seeds = ctx.finalize(); for every NON-scalar input in operand order:
//         ct.re_randomize(cpk, seeds.next_seed()) -- one seed per ciphertext for all its blocks,
//         through the dedicated CPK + PKE_TO_BIG key (ReRandomizationMode::UseLegacyCPKIfNeeded,
//         high_level_api/keys/server.rs). TFHE-rs then clears the ciphertext's metadata.
//   In this engine: fhevm_operation_context(opcode), add_ciphertext per non-scalar input,
//   finalize(), rerandomize(blocks, ..., next_seed()) per non-scalar input.
// Verified input lists (zkproof-worker/src/verifier.rs, rerand_and_expand_verified_list):
//   ctx = ReRandomizationContext::new(b"ZKw_Rrnd", [blob_hash], b"TFHE_Enc") where
//   blob_hash = keccak256("ZK-w_rct" || raw input bytes); ctx.add_ciphertext(proven list)
//   (integer add_proven_ciphertext_list: the coefficients of every proved compact list -- all
//   masks then all bodies -- and, as metadata, each list's CompactPkeProof::to_le_bytes()); ONE
//   seed; re_randomize_and_expand_without_verification: re_randomize_compact_ciphertext_lists
//   (one generator for all lists in order; zeros added to the compact lists under the CPK key,
//   no keyswitch) then the usual casting expansion.
//
// Errors: ParamError for unusable parameters (non power-of-two CPK dimension), ShortintError for
// precondition failures of re-randomization and for drawing too many seeds.
// Thread safety: functions are pure over read-only keys; contexts and seed generators are
// mutable values (one per thread).
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "fhe/core.h"
#include "fhe/hash.h"
#include "fhe/keys.h"
#include "fhe/params.h"
#include "fhe/random.h"
#include "fhe/shortint.h"

namespace fhe {

// out = lhs (*) rhs = lhs(X) * rev(rhs)(X) mod X^n + 1 (exact, wrapping u64); n a power of two.
void semi_reverse_negacyclic_convolution(uint64_t* out, const uint64_t* lhs, const uint64_t* rhs,
                                         std::size_t n);

// b = a (*) s + e; a from `mask`, e (params.encryption_noise) from `noise`.
CompactPublicKey generate_compact_public_key(const LweSecretKey& cpk_sk,
                                             const CompactPkeParams& params, Csprng& mask,
                                             Csprng& noise);

// TFHE-rs LweCompactCiphertextList: one shared mask per bin of n bodies. In TFHE-rs's container
// the masks come first (bin after bin), then all bodies.
struct LweCompactCiphertextList {
  uint32_t lwe_dimension = 0;    // n
  std::vector<uint64_t> masks;   // bin_count() * n
  std::vector<uint64_t> bodies;  // one per ciphertext
  std::size_t count() const { return bodies.size(); }
  std::size_t bin_count() const { return lwe_dimension ? masks.size() / lwe_dimension : 0; }
};

// Encrypts already encoded plaintexts; r, e1, e2 all come from `rng` (TFHE-rs's single noise
// generator), in that order.
LweCompactCiphertextList encrypt_compact_list(const CompactPublicKey& pk,
                                              std::span<const uint64_t> plaintexts, Csprng& rng);
// Shortint encoding of the CPK parameters: (m % encryption_modulus) * delta, with
// encryption_modulus <= message * carry (ParamError otherwise).
LweCompactCiphertextList encrypt_compact_messages(const CompactPublicKey& pk,
                                                  std::span<const uint64_t> messages,
                                                  uint64_t encryption_modulus, Csprng& rng);
// TFHE-rs shortint CompactPublicKey::encrypt_iter_with_modulus_seeded: the generator is
// Csprng::from_xof_seed(seed, "TFHE_Enc") (seed of at least 16 bytes).
LweCompactCiphertextList encrypt_compact_messages_seeded(const CompactPublicKey& pk,
                                                         std::span<const uint64_t> messages,
                                                         uint64_t encryption_modulus,
                                                         std::span<const uint8_t> seed);

// Expansion: LWE i (dimension n) of the list; all of them in order.
LweCiphertext expand_compact_list_entry(const LweCompactCiphertextList& list, std::size_t i);
std::vector<LweCiphertext> expand_compact_list(const LweCompactCiphertextList& list);

// Keyswitching key from the CPK secret key to the compute keys, as TFHE-rs's casting / re-rand
// keys: destination big -> ck.big_lwe() with the compute glwe noise, destination small -> ck.lwe
// with the compute lwe noise (`ks.noise` is not used: TFHE-rs takes the compute set's).
LweKeyswitchKey generate_cpk_keyswitch_key(const LweSecretKey& cpk_sk, const ClientKey& ck,
                                           const KeySwitchParams& ks, Csprng& mask, Csprng& noise);

}  // namespace fhe

namespace fhe::shortint {

// FHEVM's domain separators (8 bytes each).
inline constexpr std::string_view kRerandOpDomain = "TFHE_Rrd";         // operation inputs
inline constexpr std::string_view kRerandInputListDomain = "ZKw_Rrnd";  // verified input lists
inline constexpr std::string_view kPublicEncryptionDomain = "TFHE_Enc";

// TFHE-rs ReRandomizationSeed: XofSeed(bytes, public_encryption_domain).
struct ReRandomizationSeed {
  std::array<uint8_t, 32> bytes{};
  std::array<char, 8> public_encryption_domain{};
  // Csprng::from_xof_seed(bytes, public_encryption_domain).
  Csprng generator() const;
};

// Seeds #0, #1, ... of a finalized context; at most one per added ciphertext.
class ReRandomizationSeedGen {
 public:
  ReRandomizationSeed next_seed();  // ShortintError when no seed is left
  uint64_t remaining() const { return remaining_; }

 private:
  friend class ReRandomizationContext;
  ReRandomizationSeedGen(const Blake3& state, uint64_t count, std::array<char, 8> domain)
      : state_(state), remaining_(count), domain_(domain) {}
  Blake3 state_;
  uint64_t next_index_ = 0;
  uint64_t remaining_ = 0;
  std::array<char, 8> domain_;
};

// TFHE-rs integer / high-level ReRandomizationContext with the BLAKE3 hasher.
class ReRandomizationContext {
 public:
  // Both domains must be 8 bytes (ShortintError otherwise). fn_description: the concatenation
  // of TFHE-rs's fn_description slices.
  ReRandomizationContext(std::string_view rerand_domain, std::span<const uint8_t> fn_description,
                         std::string_view public_encryption_domain);

  // One ciphertext (all its blocks) and its re-randomization metadata (empty in FHEVM).
  void add_ciphertext(std::span<const Ciphertext> blocks, std::span<const uint8_t> metadata = {});
  // A proven compact ciphertext list (one seed for all): each list's coefficients, masks then
  // bodies, in order; `metadata` = the concatenated CompactPkeProof::to_le_bytes() of the lists.
  void add_compact_lists(std::span<const LweCompactCiphertextList> lists,
                         std::span<const uint8_t> metadata);

  // Absorbs the metadata then the function description. The context may be finalized again.
  ReRandomizationSeedGen finalize() const;

  uint64_t ciphertext_count() const { return count_; }

 private:
  void absorb_u64(std::span<const uint64_t> words);
  Blake3 hasher_;
  std::vector<uint8_t> metadata_;
  std::vector<uint8_t> fn_description_;
  std::array<char, 8> public_domain_{};
  uint64_t count_ = 0;
};

// FHEVM operation inputs: ("TFHE_Rrd", opcode as i32 big endian, "TFHE_Enc").
ReRandomizationContext fhevm_operation_context(int32_t opcode);
// FHEVM verified input list: ("ZKw_Rrnd", blob_hash, "TFHE_Enc").
ReRandomizationContext fhevm_input_list_context(std::span<const uint8_t> blob_hash);

// Re-randomizes the blocks of one ciphertext with one seed (TFHE-rs
// re_randomize_ciphertexts_with_keyswitch): zeros encrypted with `cpk` from seed.generator(),
// expanded, keyswitched with `rerand_ksk` (CPK key -> big key) and added; noise level NOMINAL.
void rerandomize(std::span<Ciphertext> blocks, const CompactPublicKey& cpk,
                 const LweKeyswitchKey& rerand_ksk, const ReRandomizationSeed& seed);
// Same with the server key's cpk and rerand_ksk (ShortintError when it has none).
void rerandomize(std::span<Ciphertext> blocks, const ServerKey& sk,
                 const ReRandomizationSeed& seed);

// TFHE-rs re_randomize_compact_ciphertext_lists (verified input lists): one generator for all
// lists, in order; each list gets an encryption of count() zeros added (masks and bodies).
void rerandomize_compact_lists(std::span<LweCompactCiphertextList> lists,
                               const CompactPublicKey& cpk, const ReRandomizationSeed& seed);

}  // namespace fhe::shortint
