// Our own key formats (the "keys directory" of the fhe tool). TFHE-rs interop uses tfhers.h.
//
// All integers little endian. Every object starts with an 8-byte magic and a u32 format version,
// then the u32 parameter-set id (ParamSetId); readers check magic, version, parameter set, and
// every dimension against the parameter set before reading data, and throw NativeFormatError.
//
//   client key  "FHECKEY\0" v2 | id | u8 has_oprf | u8 has_compression | u8 has_cpk
//               | lwe bits (n bytes, 0/1) | glwe bits (k*N bytes) | [oprf bits (n bytes)]
//               | [compression GLWE key bits] | [CPK key bits]
//   server key  "FHESKEY\0" v2 | id | ksk | bsk | u8 has_oprf | u8 has_compression | u8 has_rerand
//               | [OPRF bsk] | [packing ksk | decompression bsk] | [cpk a | cpk b | rerand ksk]
//               (each part: u64 word count then the words; standard domain, the Fourier form is
//               recomputed on load)
//   Version 1 files (no has_compression/has_cpk flags, nothing after the bsk) are still read.
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
