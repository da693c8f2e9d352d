// libFuzzer target: RLP decoding of hostile bytes. Properties checked beyond "no crash": only
// RlpError escapes; whatever decodes re-encodes to exactly the input (the canonical form is
// unique); item_length agrees with the decoder; the transaction decoder on top of it throws only
// DecodeError.
#include <cstdint>
#include <cstdlib>

#include "chain/rlp.h"
#include "chain/tx.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const chain::ByteView in(data, size);
  try {
    const chain::rlp::Item item = chain::rlp::decode(in);
    if (chain::rlp::encode(item) != chain::Bytes(in.begin(), in.end())) std::abort();
    if (chain::rlp::item_length(in) != size) std::abort();
  } catch (const chain::RlpError&) {
  }
  try {
    const chain::SignedEip1559Tx tx = chain::SignedEip1559Tx::decode(in);
    // A decoded transaction re-encodes to its input.
    if (tx.raw() != chain::Bytes(in.begin(), in.end())) std::abort();
  } catch (const chain::DecodeError&) {
  }
  return 0;
}
