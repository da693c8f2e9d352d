// List compression (reference/tfhe-rs.md §5.7; TFHE-rs 1.6.3 shortint/list_compression).
#include "fhe/compression.h"

#include <string>

#include "core/parallel.h"

namespace fhe::shortint {

std::size_t CompressedBlocks::size() const {
  std::size_t n = 0;
  for (const PackedGlwe& g : glwes) n += g.bodies_count;
  return n;
}

std::vector<uint64_t> pack_integers(std::span<const uint64_t> values, uint32_t log_modulus) {
  std::vector<uint64_t> out((values.size() * log_modulus + 63) / 64, 0);
  for (std::size_t e = 0; e < values.size(); ++e) {
    const std::size_t bit = e * log_modulus;
    const std::size_t w = bit / 64, shift = bit % 64;
    out[w] |= values[e] << shift;
    if (shift + log_modulus > 64) out[w + 1] |= values[e] >> (64 - shift);
  }
  return out;
}

std::vector<uint64_t> unpack_integers(std::span<const uint64_t> packed, uint32_t log_modulus,
                                      std::size_t count) {
  const uint64_t mask = log_modulus == 64 ? ~uint64_t{0} : (uint64_t{1} << log_modulus) - 1;
  std::vector<uint64_t> out(count);
  for (std::size_t e = 0; e < count; ++e) {
    const std::size_t bit = e * log_modulus;
    const std::size_t w = bit / 64, shift = bit % 64;
    uint64_t v = packed[w] >> shift;
    if (shift + log_modulus > 64) v |= packed[w + 1] << (64 - shift);
    out[e] = v & mask;
  }
  return out;
}

namespace {
uint64_t switch_to(uint64_t x, uint32_t log_modulus) {
  // Round to the nearest multiple of 2^(64 - log): (x + 2^(63 - log)) >> (64 - log).
  return (x + (uint64_t{1} << (63 - log_modulus))) >> (64 - log_modulus);
}

const CompressionParams& compression_params(const ShortintParams& p) {
  return *meta_params(p).compression;
}
}  // namespace

CompressedBlocks compress(const ServerKey& sk, std::span<const Ciphertext> blocks) {
  if (!sk.packing_ksk) throw ShortintError("compress: the server key has no compression key");
  const ShortintParams& p = *sk.params;
  const CompressionParams& cp = compression_params(p);
  const PackingKeyswitchKey& pksk = *sk.packing_ksk;
  CompressedBlocks list;
  list.params = &p;
  list.lwe_per_glwe = cp.lwe_per_glwe;
  std::vector<LweCiphertext> scaled(blocks.size());
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    const Ciphertext& b = blocks[i];
    check_same_params(&p, b.params, "compress");
    if (b.noise_level > 1) {
      throw ShortintError("compress: block " + std::to_string(i) + " has noise level " +
                          std::to_string(b.noise_level) + " (compression needs nominal noise)");
    }
    if (!b.carry_is_empty()) {
      throw ShortintError("compress: block " + std::to_string(i) + " has degree " +
                          std::to_string(b.degree) + " (compression needs empty carries)");
    }
    scaled[i] = b.ct;
    for (uint64_t& w : scaled[i].data) w *= p.message_modulus;
  }
  for (std::size_t first = 0; first < blocks.size(); first += cp.lwe_per_glwe) {
    const std::size_t count = std::min<std::size_t>(cp.lwe_per_glwe, blocks.size() - first);
    std::vector<const LweCiphertext*> group(count);
    for (std::size_t j = 0; j < count; ++j) group[j] = &scaled[first + j];
    GlweCiphertext g(pksk.glwe_dimension, pksk.polynomial_size);
    packing_keyswitch(pksk, group, g);
    PackedGlwe out;
    out.glwe_dimension = pksk.glwe_dimension;
    out.polynomial_size = pksk.polynomial_size;
    out.bodies_count = static_cast<uint32_t>(count);
    out.log_modulus = cp.storage_log_modulus;
    const std::size_t mask_len = std::size_t{pksk.glwe_dimension} * pksk.polynomial_size;
    std::vector<uint64_t> switched(mask_len + count);
    for (std::size_t w = 0; w < switched.size(); ++w) {
      switched[w] = switch_to(g.data[w], cp.storage_log_modulus);
    }
    out.initial_len = switched.size();
    out.packed = pack_integers(switched, cp.storage_log_modulus);
    list.glwes.push_back(std::move(out));
  }
  return list;
}

namespace {

// The blind-rotation input of block `index` (validated), already in the 2N domain.
std::vector<uint32_t> decompression_input(const ServerKey& sk, const CompressedBlocks& list,
                                          std::size_t index) {
  if (!sk.decompression_bsk) {
    throw ShortintError("decompress: the server key has no decompression key");
  }
  check_same_params(sk.params, list.params, "decompress");
  if (index >= list.size() || list.lwe_per_glwe == 0) {
    throw ShortintError("decompress: index " + std::to_string(index) + " out of range (list of " +
                        std::to_string(list.size()) + " blocks)");
  }
  const ShortintParams& p = *sk.params;
  const PackedGlwe& g = list.glwes[index / list.lwe_per_glwe];
  const std::size_t j = index % list.lwe_per_glwe;
  const std::size_t n = g.polynomial_size, mask_len = std::size_t{g.glwe_dimension} * n;
  const FourierBootstrapKey& bsk = *sk.decompression_bsk;
  if (g.log_modulus != p.log2_2n() || mask_len != bsk.input_dimension || j >= g.bodies_count ||
      g.initial_len != mask_len + g.bodies_count ||
      g.packed.size() != (g.initial_len * g.log_modulus + 63) / 64) {
    throw ShortintError("decompress: packed GLWE does not match the decompression key");
  }
  const std::vector<uint64_t> v = unpack_integers(g.packed, g.log_modulus, g.initial_len);
  // Sample extraction of coefficient j, directly in the 2N domain (the values are already
  // switched, so the blind rotation's modulus switch is the identity): a_i is
  // coefficient j - i of mask polynomial r (negated when it wraps), body = coefficient j.
  const uint32_t two_n_mask = (uint32_t{1} << g.log_modulus) - 1;
  std::vector<uint32_t> ms(mask_len + 1);
  for (uint32_t r = 0; r < g.glwe_dimension; ++r) {
    const uint64_t* poly = v.data() + std::size_t{r} * n;
    for (std::size_t i = 0; i < n; ++i) {
      const uint64_t a = i <= j ? poly[j - i] : (0 - poly[n + j - i]);
      ms[std::size_t{r} * n + i] = static_cast<uint32_t>(a) & two_n_mask;
    }
  }
  ms[mask_len] = static_cast<uint32_t>(v[mask_len + j]);
  return ms;
}

// Rescales m * 2^63/msg (message in the carry bits) to the compute encoding m * delta.
const LookupTable& rescaling_table(const ShortintParams& p) {
  static thread_local const ShortintParams* lut_for = nullptr;
  static thread_local LookupTable lut;
  if (lut_for != &p) {
    lut = make_lut_with_input_modulus(p, p.message_modulus, [](uint64_t x) { return x; });
    lut_for = &p;
  }
  return lut;
}

// One block to decompress: block `index` of `list` into *out.
struct BlockRef {
  const CompressedBlocks* list;
  std::size_t index;
  Ciphertext* out;
};

// The blocks, blind-rotated as one batch on `ev`.
void decompress_batch(Evaluator& ev, std::span<const BlockRef> blocks) {
  const ServerKey& sk = ev.server_key();
  const ShortintParams& p = *sk.params;
  const LookupTable& lut = rescaling_table(p);
  const std::size_t count = blocks.size();
  std::vector<std::vector<uint32_t>> ms(count);
  std::vector<const uint32_t*> ms_ptr(count);
  std::vector<const GlweCiphertext*> accs(count, &lut.acc);
  std::vector<LweCiphertext*> cts(count);
  for (std::size_t c = 0; c < count; ++c) {
    ms[c] = decompression_input(sk, *blocks[c].list, blocks[c].index);
    ms_ptr[c] = ms[c].data();
    Ciphertext& out = *blocks[c].out;
    out.params = &p;
    out.ct = LweCiphertext(p.big_lwe_dimension());
    out.degree = lut.degree;
    out.noise_level = 1;
    cts[c] = &out.ct;
  }
  if (count > 0) ev.blind_rotate_extract_batch(*sk.decompression_bsk, ms_ptr, accs, cts);
}

void decompress_blocks(const ServerKey& sk, std::span<const BlockRef> blocks) {
  detail::parallel_batches(blocks.size(), kMaxPbsBatch, [&](std::size_t lo, std::size_t hi) {
    Evaluator ev(sk);
    decompress_batch(ev, blocks.subspan(lo, hi - lo));
  });
}

}  // namespace

Ciphertext decompress(Evaluator& ev, const CompressedBlocks& list, std::size_t index) {
  Ciphertext out;
  const BlockRef one{&list, index, &out};
  decompress_batch(ev, std::span<const BlockRef>(&one, 1));
  return out;
}

std::vector<Ciphertext> decompress_all(const ServerKey& sk, const CompressedBlocks& list) {
  const CompressedBlocks* const one = &list;
  return std::move(decompress_lists(sk, std::span<const CompressedBlocks* const>(&one, 1))[0]);
}

std::vector<std::vector<Ciphertext>> decompress_lists(
    const ServerKey& sk, std::span<const CompressedBlocks* const> lists) {
  std::vector<std::vector<Ciphertext>> out(lists.size());
  std::vector<BlockRef> blocks;
  for (std::size_t l = 0; l < lists.size(); ++l) {
    out[l].resize(lists[l]->size());
    for (std::size_t i = 0; i < out[l].size(); ++i) blocks.push_back({lists[l], i, &out[l][i]});
  }
  decompress_blocks(sk, blocks);
  return out;
}

}  // namespace fhe::shortint
