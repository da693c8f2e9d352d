// FHEVM operators built from the engine's: TrivialEncrypt's byte rules and MulDiv
// (fhevm-engine-common tfhe_ops.rs; reference/fhevm-coprocessor.md §6).
#include <string>

#include "fhe/integer.h"

namespace fhe::integer {

Ciphertext trivial_encrypt_fhevm(const ShortintParams& p, FheType type,
                                 std::span<const uint8_t> value_be) {
  if (type.is_bool) {
    // FHEVM: a bool is `last byte > 0`, not `value != 0`.
    const bool v = !value_be.empty() && value_be.back() > 0;
    return trivial(p, type, U256(v ? 1 : 0));
  }
  // Left-truncated to 256 bits, then reduced mod 2^bits.
  return trivial(p, type, U256::from_be_bytes(value_be));
}

Ciphertext mul_div(Engine& e, const Ciphertext& a, const Ciphertext& b, const U256& divisor) {
  if (a.type.is_bool || a.type.bits > 64 || !(a.type == b.type)) {
    throw IntegerError("muldiv: operands must be of one type among uint8..uint64 (got " +
                       a.type.name() + ", " + b.type.name() + ")");
  }
  const U256 d = divisor.truncate(a.type.bits);
  if (d.is_zero()) throw IntegerError("muldiv: division by zero");
  // (a * b) / d without intermediate overflow: in twice the width, then truncated back.
  const FheType wide = FheType::uint(2 * a.type.bits);
  const Ciphertext wa = e.cast(a, wide), wb = e.cast(b, wide);
  const Ciphertext prod = e.mul(wa, wb);
  const Ciphertext q = e.div(prod, trivial(e.params(), wide, d));
  return e.cast(q, a.type);
}

}  // namespace fhe::integer
