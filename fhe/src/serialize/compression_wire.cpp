// The engine's compressed blocks <-> TFHE-rs's CompressedCiphertextList wire values.
#include <string>

#include "fhe/tfhers.h"

namespace fhe::tfhers {

CompressedList to_wire(const shortint::CompressedBlocks& blocks, std::vector<DataKind> kinds) {
  if (!blocks.params) throw FormatError("compressed list: no parameters");
  CompressedList out;
  out.has_meta = !blocks.glwes.empty();
  out.message_modulus = blocks.params->message_modulus;
  out.carry_modulus = blocks.params->carry_modulus;
  out.lwe_per_glwe = blocks.lwe_per_glwe;
  uint64_t total = 0;
  for (const DataKind& k : kinds) total += data_kind_blocks(k, out.message_modulus);
  if (total != blocks.size()) {
    throw FormatError("compressed list: the data kinds cover " + std::to_string(total) +
                      " blocks, the list holds " + std::to_string(blocks.size()));
  }
  for (const shortint::PackedGlwe& g : blocks.glwes) {
    CompressedGlwe w;
    w.packed_coeffs = g.packed;
    w.log_modulus = g.log_modulus;
    w.initial_len = g.initial_len;
    w.glwe_dimension = g.glwe_dimension;
    w.polynomial_size = g.polynomial_size;
    w.bodies_count = g.bodies_count;
    out.glwes.push_back(std::move(w));
  }
  out.re_randomization_metadata.assign(kinds.size(), {});
  out.info = std::move(kinds);
  return out;
}

shortint::CompressedBlocks from_wire(const CompressedList& list, const ShortintParams& params) {
  const CompressionParams& cp = *meta_params(params).compression;
  shortint::CompressedBlocks out;
  out.params = &params;
  out.lwe_per_glwe = static_cast<uint32_t>(list.lwe_per_glwe);
  if (list.has_meta &&
      (list.message_modulus != params.message_modulus ||
       list.carry_modulus != params.carry_modulus || list.lwe_per_glwe != cp.lwe_per_glwe)) {
    throw FormatError("compressed list: moduli or GLWE packing do not match " +
                      std::string(cp.name));
  }
  for (const CompressedGlwe& w : list.glwes) {
    if (w.glwe_dimension != cp.packing_glwe_dimension ||
        w.polynomial_size != cp.packing_polynomial_size ||
        w.log_modulus != cp.storage_log_modulus) {
      throw FormatError("compressed list: GLWE k=" + std::to_string(w.glwe_dimension) + " N=" +
                        std::to_string(w.polynomial_size) + " " + std::to_string(w.log_modulus) +
                        " bits does not match " + std::string(cp.name));
    }
    shortint::PackedGlwe g;
    g.packed = w.packed_coeffs;
    g.log_modulus = static_cast<uint32_t>(w.log_modulus);
    g.initial_len = w.initial_len;
    g.glwe_dimension = static_cast<uint32_t>(w.glwe_dimension);
    g.polynomial_size = static_cast<uint32_t>(w.polynomial_size);
    g.bodies_count = static_cast<uint32_t>(w.bodies_count);
    out.glwes.push_back(std::move(g));
  }
  return out;
}

}  // namespace fhe::tfhers
