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

namespace {

// The parsed and checked list of a stored ciphertext (no PBS yet).
fhe::shortint::CompressedBlocks parse_ct64(const fhe::ServerKey& sk, std::span<const uint8_t> bytes,
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
    return fhe::tfhers::from_wire(list, *sk.params);
  } catch (const fhe::tfhers::FormatError& e) {
    throw StorageError(std::string("stored ciphertext: ") + e.what());
  }
}

fhe::integer::Ciphertext assemble(std::vector<fhe::shortint::Ciphertext> blocks,
                                  fhe::FheType type) {
  fhe::integer::Ciphertext out;
  out.type = type;
  out.blocks = std::move(blocks);
  if (type.is_bool) out.blocks[0].degree = 1;
  return out;
}

}  // namespace

fhe::integer::Ciphertext decompress_ct64(const fhe::ServerKey& sk, std::span<const uint8_t> bytes,
                                         fhe::FheType type) {
  return assemble(fhe::shortint::decompress_all(sk, parse_ct64(sk, bytes, type)), type);
}

std::vector<DecompressedInput> decompress_ct64_many(const fhe::ServerKey& sk,
                                                    std::span<const StoredInput> items) {
  std::vector<DecompressedInput> out(items.size());
  std::vector<fhe::shortint::CompressedBlocks> lists;
  std::vector<std::size_t> owner;  // item of each parsed list
  for (std::size_t i = 0; i < items.size(); ++i) {
    try {
      lists.push_back(parse_ct64(sk, items[i].bytes, items[i].type));
      owner.push_back(i);
    } catch (const StorageError& e) {
      out[i].error = e.what();
    }
  }
  std::vector<const fhe::shortint::CompressedBlocks*> ptrs;
  for (const auto& l : lists) ptrs.push_back(&l);
  try {
    auto blocks = fhe::shortint::decompress_lists(sk, ptrs);
    for (std::size_t l = 0; l < lists.size(); ++l) {
      out[owner[l]].ct = assemble(std::move(blocks[l]), items[owner[l]].type);
    }
  } catch (const std::exception&) {
    // A list the decompression rejects: one by one, so that only that input fails.
    for (std::size_t l = 0; l < lists.size(); ++l) {
      try {
        out[owner[l]].ct =
            assemble(fhe::shortint::decompress_all(sk, lists[l]), items[owner[l]].type);
      } catch (const std::exception& e) {
        out[owner[l]].error = e.what();
      }
    }
  }
  return out;
}

std::array<uint8_t, 32> ct64_digest(std::span<const uint8_t> bytes) {
  return fhe::keccak256(bytes);
}

}  // namespace coproc
