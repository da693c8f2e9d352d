// OPRF (reference/tfhe-rs.md §4.5; TFHE-rs 1.6.3 shortint/oprf.rs).
#include "fhe/oprf.h"

#include <bit>
#include <cstring>
#include <map>
#include <mutex>
#include <string>

#include "fhe/hash.h"

namespace fhe::shortint {

namespace {
void put_le8(Sha3_256& h, uint64_t v) {
  uint8_t b[8];
  for (int i = 0; i < 8; ++i) b[i] = static_cast<uint8_t>(v >> (8 * i));
  h.update(b);
}
}  // namespace

OprfInputs oprf_inputs(std::span<const uint8_t> seed_bytes, uint64_t bit_count,
                       uint64_t bits_per_block, uint32_t lwe_dimension, uint32_t log2_2n) {
  OprfInputs out;
  out.bits_per_block = bits_per_block;
  if (bit_count == 0 || bits_per_block == 0) return out;
  const uint64_t num_blocks = (bit_count + bits_per_block - 1) / bits_per_block;
  out.last_block_bits = bit_count % bits_per_block;
  if (out.last_block_bits == 0) out.last_block_bits = bits_per_block;

  Sha3_256 h;
  static const uint8_t kDomain[8] = {'T', 'F', 'H', 'E', '_', 'P', 'R', 'F'};
  h.update(kDomain);
  h.update(seed_bytes);
  if (out.last_block_bits == bits_per_block) {
    put_le8(h, num_blocks);
    put_le8(h, bits_per_block);
  } else {
    if (num_blocks > 1) {
      put_le8(h, num_blocks - 1);
      put_le8(h, bits_per_block);
    }
    put_le8(h, 1);
    put_le8(h, out.last_block_bits);
  }
  const std::array<uint8_t, 32> digest = h.finalize();
  Csprng xof = Csprng::from_xof_seed(digest, "PRF_INIT");
  // Uniform mod 2N (a power of two): ceil(log2(2N) / 8) bytes LE, masked; never rejected.
  const uint32_t nbytes = (log2_2n + 7) / 8;
  const uint32_t mask = (uint32_t{1} << log2_2n) - 1;
  out.blocks.assign(num_blocks, std::vector<uint32_t>(std::size_t{lwe_dimension} + 1, 0));
  for (auto& block : out.blocks) {
    for (uint32_t i = 0; i < lwe_dimension; ++i) {
      uint32_t v = 0;
      for (uint32_t b = 0; b < nbytes; ++b) v |= uint32_t{xof.next_byte()} << (8 * b);
      block[i] = v & mask;
    }
  }
  return out;
}

namespace {
// body[x] = (2 * (x / (2N/p)) + 1) * delta / 2, no negation or rotation; delta = 2^(64-5).
GlweCiphertext oprf_table(const ShortintParams& p, uint64_t random_bits) {
  GlweCiphertext acc(p.glwe_dimension, p.polynomial_size);
  const uint64_t full_bits = 1 + std::countr_zero(p.message_modulus) +
                             static_cast<uint64_t>(std::countr_zero(p.carry_modulus));
  const uint64_t delta = uint64_t{1} << (64 - full_bits);
  const uint64_t poly_delta = 2 * uint64_t{p.polynomial_size} >> random_bits;
  uint64_t* body = acc.poly(p.glwe_dimension);
  for (uint64_t x = 0; x < p.polynomial_size; ++x) {
    body[x] = (2 * (x / poly_delta) + 1) * (delta / 2);
  }
  return acc;
}
}  // namespace

void oprf_blocks(Evaluator& ev, std::span<const std::vector<uint32_t>> inputs,
                 std::span<const uint64_t> random_bits, Ciphertext* out) {
  const ServerKey& sk = ev.server_key();
  const ShortintParams& p = *sk.params;
  const FourierBootstrapKey& bsk = sk.oprf_bsk ? *sk.oprf_bsk : sk.bsk;
  const uint64_t full_bits = 1 + std::countr_zero(p.message_modulus) +
                             static_cast<uint64_t>(std::countr_zero(p.carry_modulus));
  const std::size_t count = inputs.size();
  if (random_bits.size() != count) throw ShortintError("oprf: one bit count per block expected");
  // One table per (parameter set, bit count), built once; map nodes never move.
  static std::mutex m;
  static std::map<std::pair<const ShortintParams*, uint64_t>, GlweCiphertext> tables;
  std::vector<const uint32_t*> ms(count);
  std::vector<const GlweCiphertext*> accs(count);
  std::vector<LweCiphertext*> cts(count);
  for (std::size_t c = 0; c < count; ++c) {
    const uint64_t bits = random_bits[c];
    if (bits == 0 || bits > full_bits || inputs[c].size() != bsk.input_dimension + 1u) {
      throw ShortintError("oprf: " + std::to_string(bits) + " random bits, input of " +
                          std::to_string(inputs[c].size()) + " values");
    }
    {
      std::lock_guard<std::mutex> lock(m);
      auto it = tables.find({&p, bits});
      if (it == tables.end()) it = tables.emplace(std::pair{&p, bits}, oprf_table(p, bits)).first;
      accs[c] = &it->second;
    }
    ms[c] = inputs[c].data();
    out[c].params = &p;
    out[c].ct = LweCiphertext(p.big_lwe_dimension());
    cts[c] = &out[c].ct;
  }
  ev.blind_rotate_extract_batch(bsk, ms, accs, cts);
  const uint64_t delta = uint64_t{1} << (64 - full_bits);
  for (std::size_t c = 0; c < count; ++c) {
    const uint64_t degree = (uint64_t{1} << random_bits[c]) - 1;
    out[c].ct.body() += degree * (delta / 2);
    out[c].degree = degree;
    out[c].noise_level = 1;
  }
}

Ciphertext oprf_block(Evaluator& ev, const std::vector<uint32_t>& input, uint64_t random_bits) {
  Ciphertext out;
  oprf_blocks(ev, std::span<const std::vector<uint32_t>>(&input, 1),
              std::span<const uint64_t>(&random_bits, 1), &out);
  return out;
}

}  // namespace fhe::shortint
