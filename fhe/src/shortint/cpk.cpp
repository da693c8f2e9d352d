// Compact public key encryption and re-randomization (TFHE-rs 1.6.3; see fhe/cpk.h).
#include "fhe/cpk.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <string>

#include "core/parallel.h"

namespace fhe {
namespace {

bool is_power_of_two(std::size_t n) {
  return n != 0 && (n & (n - 1)) == 0;
}

void check_key(const CompactPublicKey& pk, const char* what) {
  if (pk.params == nullptr)
    throw ParamError(std::string(what) + ": compact public key has no parameters");
  const std::size_t n = pk.params->encryption_lwe_dimension;
  if (pk.a.size() != n || pk.b.size() != n || !is_power_of_two(n)) {
    throw ParamError(std::string(what) + ": compact public key does not match " +
                     std::string(pk.params->name));
  }
}

// TFHE-rs fill_slice_with_random_uniform_binary_bits: one byte per 8 values, LSB first.
void fill_binary_bits(Csprng& rng, std::span<uint64_t> out) {
  for (std::size_t i = 0; i < out.size(); i += 8) {
    uint8_t byte = rng.next_byte();
    for (std::size_t k = i; k < std::min(out.size(), i + 8); ++k) {
      out[k] = byte & 1u;
      byte = static_cast<uint8_t>(byte >> 1);
    }
  }
}

}  // namespace

void semi_reverse_negacyclic_convolution(uint64_t* out, const uint64_t* lhs, const uint64_t* rhs,
                                         std::size_t n) {
  SecretVec<uint64_t> rev(n);
  for (std::size_t i = 0; i < n; ++i) rev[i] = rhs[n - 1 - i];
  std::fill(out, out + n, uint64_t{0});
  poly_mul_add(out, lhs, rev.data(), n);
}

CompactPublicKey generate_compact_public_key(const LweSecretKey& cpk_sk,
                                             const CompactPkeParams& params, Csprng& mask,
                                             Csprng& noise) {
  const std::size_t n = params.encryption_lwe_dimension;
  if (!is_power_of_two(n)) {
    throw ParamError("compact public key: dimension of " + std::string(params.name) +
                     " is not a power of two");
  }
  if (cpk_sk.dimension() != n) {
    throw ParamError("compact public key: secret key dimension " +
                     std::to_string(cpk_sk.dimension()) + " does not match " +
                     std::string(params.name));
  }
  CompactPublicKey pk;
  pk.params = &params;
  pk.a.resize(n);
  pk.b.resize(n);
  mask.fill_uniform(pk.a);
  semi_reverse_negacyclic_convolution(pk.b.data(), pk.a.data(), cpk_sk.bits.data(), n);
  noise.fill_tuniform_add(pk.b, params.encryption_noise);
  return pk;
}

LweCompactCiphertextList encrypt_compact_list(const CompactPublicKey& pk,
                                              std::span<const uint64_t> plaintexts, Csprng& rng) {
  check_key(pk, "compact list encryption");
  const std::size_t n = pk.a.size();
  const std::size_t count = plaintexts.size();
  const std::size_t bins = (count + n - 1) / n;
  const TUniform dist = pk.params->encryption_noise;

  // Draw order of TFHE-rs: all binary r, then all mask noise e1, then all body noise e2.
  SecretVec<uint64_t> r(bins * n), e1(bins * n), e2(count);
  fill_binary_bits(rng, r);
  rng.fill_tuniform_add(e1, dist);
  rng.fill_tuniform_add(e2, dist);

  LweCompactCiphertextList list;
  list.lwe_dimension = static_cast<uint32_t>(n);
  list.masks.resize(bins * n);
  list.bodies.resize(count);
  SecretVec<uint64_t> conv(n);
  for (std::size_t k = 0; k < bins; ++k) {
    const uint64_t* rk = r.data() + k * n;
    uint64_t* mask = list.masks.data() + k * n;
    semi_reverse_negacyclic_convolution(mask, pk.a.data(), rk, n);
    for (std::size_t i = 0; i < n; ++i) mask[i] += e1[k * n + i];
    semi_reverse_negacyclic_convolution(conv.data(), pk.b.data(), rk, n);
    const std::size_t chunk = std::min(n, count - k * n);
    for (std::size_t j = 0; j < chunk; ++j) {
      const std::size_t idx = k * n + j;
      list.bodies[idx] = conv[n - 1 - j] + e2[idx] + plaintexts[idx];
    }
  }
  return list;
}

LweCompactCiphertextList encrypt_compact_messages(const CompactPublicKey& pk,
                                                  std::span<const uint64_t> messages,
                                                  uint64_t encryption_modulus, Csprng& rng) {
  check_key(pk, "compact list encryption");
  const uint64_t full = pk.params->message_modulus * pk.params->carry_modulus;
  if (encryption_modulus == 0 || encryption_modulus > full) {
    throw ParamError("compact list encryption: encryption modulus " +
                     std::to_string(encryption_modulus) + " exceeds the plaintext modulus " +
                     std::to_string(full));
  }
  const uint64_t delta = (uint64_t{1} << 63) / full;  // one padding bit
  std::vector<uint64_t> pt(messages.size());
  for (std::size_t i = 0; i < messages.size(); ++i) {
    pt[i] = (messages[i] % encryption_modulus) * delta;
  }
  return encrypt_compact_list(pk, pt, rng);
}

LweCompactCiphertextList encrypt_compact_messages_seeded(const CompactPublicKey& pk,
                                                         std::span<const uint64_t> messages,
                                                         uint64_t encryption_modulus,
                                                         std::span<const uint8_t> seed) {
  if (seed.size() < 16) {
    throw ParamError("compact list encryption: seed must be at least 16 bytes, got " +
                     std::to_string(seed.size()));
  }
  Csprng rng = Csprng::from_xof_seed(seed, "TFHE_Enc");
  return encrypt_compact_messages(pk, messages, encryption_modulus, rng);
}

LweCiphertext expand_compact_list_entry(const LweCompactCiphertextList& list, std::size_t i) {
  const std::size_t n = list.lwe_dimension;
  LweCiphertext out(n);
  // X^j with j < n: poly_monomial_mul handles the negacyclic wrap.
  poly_monomial_mul(out.data.data(), list.masks.data() + (i / n) * n, n, i % n);
  out.body() = list.bodies[i];
  return out;
}

std::vector<LweCiphertext> expand_compact_list(const LweCompactCiphertextList& list) {
  std::vector<LweCiphertext> out;
  out.reserve(list.count());
  for (std::size_t i = 0; i < list.count(); ++i) out.push_back(expand_compact_list_entry(list, i));
  return out;
}

LweKeyswitchKey generate_cpk_keyswitch_key(const LweSecretKey& cpk_sk, const ClientKey& ck,
                                           const KeySwitchParams& ks, Csprng& mask, Csprng& noise) {
  if (ck.params == nullptr) throw ParamError("CPK keyswitch key: client key has no parameters");
  const ShortintParams& p = *ck.params;
  if (ks.destination_big) {
    return generate_keyswitch_key(cpk_sk, ck.big_lwe(), ks.ks, p.glwe_noise, mask, noise);
  }
  return generate_keyswitch_key(cpk_sk, ck.lwe, ks.ks, p.lwe_noise, mask, noise);
}

}  // namespace fhe

namespace fhe::shortint {
namespace {

std::array<char, 8> domain_bytes(std::string_view d, const char* what) {
  if (d.size() != 8) {
    throw ShortintError(std::string(what) + ": domain separators are 8 bytes, got " +
                        std::to_string(d.size()));
  }
  std::array<char, 8> out{};
  std::copy(d.begin(), d.end(), out.begin());
  return out;
}

constexpr uint64_t kNominal = 1;

}  // namespace

Csprng ReRandomizationSeed::generator() const {
  char domain[9];
  std::memcpy(domain, public_encryption_domain.data(), 8);
  domain[8] = '\0';
  return Csprng::from_xof_seed(bytes, domain);
}

ReRandomizationSeed ReRandomizationSeedGen::next_seed() {
  if (remaining_ == 0) {
    throw ShortintError(
        "re-randomization: more seeds drawn than ciphertexts were added to the context");
  }
  --remaining_;
  const uint64_t index = next_index_++;
  Blake3 h = state_;
  uint8_t le[8];
  for (int i = 0; i < 8; ++i) le[i] = static_cast<uint8_t>(index >> (8 * i));
  h.update(le);
  ReRandomizationSeed seed;
  h.finalize_xof(seed.bytes.data(), seed.bytes.size());
  seed.public_encryption_domain = domain_;
  return seed;
}

ReRandomizationContext::ReRandomizationContext(std::string_view rerand_domain,
                                               std::span<const uint8_t> fn_description,
                                               std::string_view public_encryption_domain)
    : fn_description_(fn_description.begin(), fn_description.end()),
      public_domain_(domain_bytes(public_encryption_domain, "re-randomization context")) {
  const std::array<char, 8> d = domain_bytes(rerand_domain, "re-randomization context");
  hasher_.update(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(d.data()), d.size()));
}

void ReRandomizationContext::absorb_u64(std::span<const uint64_t> words) {
  if constexpr (std::endian::native == std::endian::little) {
    hasher_.update(
        std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(words.data()), words.size() * 8));
  } else {
    uint8_t buf[512];
    std::size_t fill = 0;
    for (uint64_t w : words) {
      for (int i = 0; i < 8; ++i) buf[fill++] = static_cast<uint8_t>(w >> (8 * i));
      if (fill == sizeof buf) {
        hasher_.update(std::span<const uint8_t>(buf, fill));
        fill = 0;
      }
    }
    hasher_.update(std::span<const uint8_t>(buf, fill));
  }
}

// Ciphertext data is hashed at once: TFHE-rs buffers it and hashes it first at finalize, before
// any metadata, which gives the same byte stream.
void ReRandomizationContext::add_ciphertext(std::span<const Ciphertext> blocks,
                                            std::span<const uint8_t> metadata) {
  for (const Ciphertext& b : blocks) absorb_u64(b.ct.data);
  metadata_.insert(metadata_.end(), metadata.begin(), metadata.end());
  ++count_;
}

void ReRandomizationContext::add_compact_lists(std::span<const LweCompactCiphertextList> lists,
                                               std::span<const uint8_t> metadata) {
  for (const LweCompactCiphertextList& l : lists) {
    absorb_u64(l.masks);
    absorb_u64(l.bodies);
  }
  metadata_.insert(metadata_.end(), metadata.begin(), metadata.end());
  ++count_;
}

ReRandomizationSeedGen ReRandomizationContext::finalize() const {
  Blake3 h = hasher_;
  h.update(metadata_);
  h.update(fn_description_);
  return ReRandomizationSeedGen(h, count_, public_domain_);
}

ReRandomizationContext fhevm_operation_context(int32_t opcode) {
  const auto u = static_cast<uint32_t>(opcode);
  const uint8_t be[4] = {static_cast<uint8_t>(u >> 24), static_cast<uint8_t>(u >> 16),
                         static_cast<uint8_t>(u >> 8), static_cast<uint8_t>(u)};
  return ReRandomizationContext(kRerandOpDomain, be, kPublicEncryptionDomain);
}

ReRandomizationContext fhevm_input_list_context(std::span<const uint8_t> blob_hash) {
  return ReRandomizationContext(kRerandInputListDomain, blob_hash, kPublicEncryptionDomain);
}

void rerandomize(std::span<Ciphertext> blocks, const CompactPublicKey& cpk,
                 const LweKeyswitchKey& rerand_ksk, const ReRandomizationSeed& seed) {
  // Checks in TFHE-rs's order (re_randomize_ciphertexts_with_keyswitch).
  for (const Ciphertext& c : blocks) {
    if (c.params == nullptr) throw ShortintError("re-randomization: ciphertext has no parameters");
    if (c.params->order != PbsOrder::KeyswitchBootstrap) {
      throw ShortintError(
          "re-randomization: unsupported PBS order (KeyswitchBootstrap is required)");
    }
    if (c.ct.dimension() != rerand_ksk.output_dimension) {
      throw ShortintError(
          "re-randomization: ciphertext dimension does not match the keyswitching key output");
    }
    if (c.noise_level > kNominal) {
      throw ShortintError("re-randomization: ciphertext noise level is above nominal");
    }
  }
  if (cpk.params == nullptr) throw ShortintError("re-randomization: CPK has no parameters");
  for (const Ciphertext& c : blocks) {
    if (c.message_modulus() * c.carry_modulus() !=
        cpk.params->message_modulus * cpk.params->carry_modulus) {
      throw ShortintError(
          "re-randomization: CPK and ciphertext plaintext moduli differ (non-zero cast shift)");
    }
  }
  if (rerand_ksk.input_dimension != cpk.params->encryption_lwe_dimension) {
    throw ShortintError(
        "re-randomization: keyswitching key input dimension does not match the CPK");
  }
  if (blocks.empty()) return;

  Csprng rng = seed.generator();
  const std::vector<uint64_t> zeros(blocks.size(), 0);
  const LweCompactCiphertextList list = encrypt_compact_list(cpk, zeros, rng);
  // Each block is independent: the result does not depend on the thread count.
  detail::parallel_for(blocks.size(), [&](std::size_t i) {
    const LweCiphertext z = expand_compact_list_entry(list, i);
    LweCiphertext ks(rerand_ksk.output_dimension);
    keyswitch(rerand_ksk, z, ks);
    uint64_t* d = blocks[i].ct.data.data();
    for (std::size_t j = 0; j < ks.data.size(); ++j) d[j] += ks.data[j];
    blocks[i].noise_level = kNominal;
  });
}

void rerandomize(std::span<Ciphertext> blocks, const ServerKey& sk,
                 const ReRandomizationSeed& seed) {
  if (!sk.cpk || !sk.rerand_ksk) {
    throw ShortintError("re-randomization: server key has no CPK / re-randomization key");
  }
  rerandomize(blocks, *sk.cpk, *sk.rerand_ksk, seed);
}

void rerandomize_compact_lists(std::span<LweCompactCiphertextList> lists,
                               const CompactPublicKey& cpk, const ReRandomizationSeed& seed) {
  if (cpk.params == nullptr) throw ShortintError("re-randomization: CPK has no parameters");
  for (const LweCompactCiphertextList& l : lists) {
    if (l.lwe_dimension != cpk.params->encryption_lwe_dimension) {
      throw ShortintError("re-randomization: compact list dimension does not match the CPK");
    }
  }
  Csprng rng = seed.generator();
  for (LweCompactCiphertextList& l : lists) {
    const std::vector<uint64_t> zeros(l.count(), 0);
    const LweCompactCiphertextList z = encrypt_compact_list(cpk, zeros, rng);
    if (z.masks.size() != l.masks.size()) {
      throw ShortintError("re-randomization: compact list has an inconsistent mask count");
    }
    for (std::size_t i = 0; i < l.masks.size(); ++i) l.masks[i] += z.masks[i];
    for (std::size_t i = 0; i < l.bodies.size(); ++i) l.bodies[i] += z.bodies[i];
  }
}

}  // namespace fhe::shortint
