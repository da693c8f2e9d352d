// FheType: the encrypted types of FHEVM (fhe/fhe_type.h).
#include "fhe/fhe_type.h"

#include <bit>
#include <stdexcept>

namespace fhe {

uint32_t FheType::num_blocks(uint64_t message_modulus) const {
  if (is_bool) return 1;
  if (message_modulus < 2 || !std::has_single_bit(message_modulus)) {
    throw std::invalid_argument("FheType: message modulus " + std::to_string(message_modulus) +
                                " is not a power of two >= 2");
  }
  const auto bits_per_block = static_cast<uint32_t>(std::countr_zero(message_modulus));
  return (bits + bits_per_block - 1) / bits_per_block;
}

std::string FheType::name() const {
  return is_bool ? std::string("bool") : "uint" + std::to_string(bits);
}

FheType parse_fhe_type(const std::string& s) {
  if (s == "bool") return FheType{true, 1};
  static constexpr uint32_t kWidths[] = {2, 4, 8, 16, 32, 64, 128, 160, 256};
  for (uint32_t w : kWidths) {
    if (s == "uint" + std::to_string(w)) return FheType{false, w};
  }
  std::string shown = s.size() > 40 ? s.substr(0, 40) + "..." : s;
  for (char& c : shown) {
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) c = '?';
  }
  throw std::invalid_argument(
      "unknown FHE type \"" + shown +
      "\" (expected bool, uint2, uint4, uint8, uint16, uint32, uint64, uint128, "
      "uint160 or uint256)");
}

}  // namespace fhe
