// Our own key formats (the "keys directory" of the fhe tool). TFHE-rs interop uses tfhers.h.
//
// All integers little endian. Every object starts with an 8-byte magic and a u32 format version,
// then the u32 parameter-set id (ParamSetId); readers check magic, version, parameter set, and
// every dimension against the parameter set before reading data, and throw NativeFormatError.
//
//   client key  "FHECKEY\0" v1 | id | u8 has_oprf | lwe bits (n bytes, 0/1) | glwe bits (k*N bytes)
//               | [oprf bits (n bytes)]
//   server key  "FHESKEY\0" v1 | id | u64 ksk words | ksk data (u64) | u64 bsk words | bsk data
//   (u64)
//               (standard domain; the Fourier form is recomputed on load)
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <span>
#include <stdexcept>
#include <vector>

#include "fhe/keys.h"

namespace fhe::native {

class NativeFormatError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

std::vector<uint8_t> serialize_client_key(const ClientKey& ck);
ClientKey deserialize_client_key(std::span<const uint8_t> bytes);

std::vector<uint8_t> serialize_server_key(const ServerKeyMaterial& m);
ServerKeyMaterial deserialize_server_key(std::span<const uint8_t> bytes);

}  // namespace fhe::native
