// The encrypted types of FHEVM: FheBool and FheUintN (N = 2, 4, 8, ..., 256; 160 = eaddress),
// as radix integers of 2-bit blocks (FheBool: one block holding 0 or 1).
#pragma once

#include <cstdint>
#include <string>

namespace fhe {

struct FheType {
  bool is_bool = false;
  uint32_t bits = 0;  // 1 for bool

  static FheType boolean() { return {true, 1}; }
  static FheType uint(uint32_t bits) { return {false, bits}; }
  // Number of blocks of log2(message_modulus) bits (bool: 1).
  uint32_t num_blocks(uint64_t message_modulus = 4) const;
  std::string name() const;  // "bool", "uint8", ...
  friend bool operator==(const FheType&, const FheType&) = default;
};

// Parses "bool", "uint2", "uint4", "uint8", "uint16", "uint32", "uint64", "uint128", "uint160",
// "uint256"; throws std::invalid_argument (one line) otherwise.
FheType parse_fhe_type(const std::string& s);

}  // namespace fhe
