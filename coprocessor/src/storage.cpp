#include "coprocessor/storage.h"

#include <string>

#include "fhe/compression.h"
#include "fhe/hash.h"
#include "fhe/tfhers.h"

namespace coproc {

std::vector<uint8_t> compress_ct64(const fhe::ServerKey& sk, const fhe::integer::Ciphertext& ct) {
  const fhe::shortint::CompressedBlocks blocks = fhe::shortint::compress(sk, ct.blocks);
  fhe::tfhers::DataKind kind;
  kind.kind =
      ct.type.is_bool ? fhe::tfhers::DataKindTag::Boolean : fhe::tfhers::DataKindTag::Unsigned;
  kind.blocks = ct.type.is_bool ? 0 : ct.blocks.size();
  return fhe::tfhers::safe_serialize(fhe::tfhers::to_wire(blocks, {kind}));
}

fhe::integer::Ciphertext decompress_ct64(const fhe::ServerKey& sk, std::span<const uint8_t> bytes,
                                         fhe::FheType type) {
  try {
    const fhe::tfhers::CompressedList list = fhe::tfhers::safe_deserialize_compressed_list(
        bytes, fhe::tfhers::kCiphertextLimit, &fhe::meta_params(*sk.params));
    const bool is_bool =
        list.info.size() == 1 && list.info[0].kind == fhe::tfhers::DataKindTag::Boolean;
    const bool is_uint = list.info.size() == 1 &&
                         list.info[0].kind == fhe::tfhers::DataKindTag::Unsigned &&
                         list.info[0].blocks == type.num_blocks(sk.params->message_modulus);
    if (type.is_bool ? !is_bool : !is_uint) {
      throw StorageError("stored ciphertext is not one " + type.name());
    }
    fhe::integer::Ciphertext out;
    out.type = type;
    out.blocks = fhe::shortint::decompress_all(sk, fhe::tfhers::from_wire(list, *sk.params));
    if (type.is_bool) out.blocks[0].degree = 1;
    return out;
  } catch (const fhe::tfhers::FormatError& e) {
    throw StorageError(std::string("stored ciphertext: ") + e.what());
  }
}

std::array<uint8_t, 32> ct64_digest(std::span<const uint8_t> bytes) {
  return fhe::keccak256(bytes);
}

}  // namespace coproc
