// The plain C++ reference of the fhEVM operator semantics (reference/fhevm-coprocessor.md §6), on
// cleartexts: the oracle of the integer conformance tests. Values are U256 reduced to the type's
// width; FheBool is 0 or 1.
#pragma once

#include "fhe/fhe_type.h"
#include "fhe/integer.h"
#include "fhe/u256.h"

namespace fhe::test::ref {

inline U256 reduce(FheType t, const U256& v) {
  return t.is_bool ? U256{v.is_zero() ? 0u : 1u} : v.truncate(t.bits);
}
inline U256 max_value(FheType t) {
  return t.is_bool ? U256{1} : U256::max().truncate(t.bits);
}
inline U256 boolean(bool b) {
  return U256{b ? 1u : 0u};
}

inline U256 add(FheType t, const U256& a, const U256& b) {
  return reduce(t, a + b);
}
inline U256 sub(FheType t, const U256& a, const U256& b) {
  return reduce(t, a - b);
}
inline U256 neg(FheType t, const U256& a) {
  return reduce(t, U256{} - a);
}
inline U256 bitand_(FheType, const U256& a, const U256& b) {
  return a & b;
}
inline U256 bitor_(FheType, const U256& a, const U256& b) {
  return a | b;
}
inline U256 bitxor_(FheType, const U256& a, const U256& b) {
  return a ^ b;
}
inline U256 bitnot(FheType t, const U256& a) {
  return t.is_bool ? boolean(a.is_zero()) : reduce(t, ~a);
}
inline U256 compare(integer::Cmp op, const U256& a, const U256& b) {
  switch (op) {
    case integer::Cmp::Eq:
      return boolean(a == b);
    case integer::Cmp::Ne:
      return boolean(a != b);
    case integer::Cmp::Gt:
      return boolean(a > b);
    case integer::Cmp::Ge:
      return boolean(a >= b);
    case integer::Cmp::Lt:
      return boolean(a < b);
    case integer::Cmp::Le:
      return boolean(a <= b);
  }
  return {};
}
inline U256 min(const U256& a, const U256& b) {
  return a < b ? a : b;
}
inline U256 max(const U256& a, const U256& b) {
  return a > b ? a : b;
}
inline U256 if_then_else(const U256& c, const U256& a, const U256& b) {
  return c.is_zero() ? b : a;
}
inline U256 mul(FheType t, const U256& a, const U256& b) {
  return reduce(t, a * b);
}
// Division by zero as TFHE-rs: quotient all ones, remainder the numerator.
inline U256 div(FheType t, const U256& a, const U256& b) {
  if (b.is_zero()) return max_value(t);
  U256 q, r;
  U256::divmod(a, b, q, r);
  return q;
}
inline U256 rem(FheType, const U256& a, const U256& b) {
  if (b.is_zero()) return a;
  U256 q, r;
  U256::divmod(a, b, q, r);
  return r;
}
// TFHE-rs 1.6.3 scalar shifts and rotations: the amount (already truncated to the operand's width
// by FHEVM) is taken mod the bit width.
inline unsigned shift_amount(FheType t, const U256& s) {
  U256 q, r;
  U256::divmod(s.truncate(t.bits), U256{t.bits}, q, r);
  return static_cast<unsigned>(r.low());
}
inline U256 shl(FheType t, const U256& a, const U256& s) {
  return reduce(t, a << shift_amount(t, s));
}
inline U256 shr(FheType t, const U256& a, const U256& s) {
  return a >> shift_amount(t, s);
}
inline U256 rotl(FheType t, const U256& a, const U256& s) {
  const unsigned k = shift_amount(t, s);
  return k == 0 ? a : reduce(t, (a << k) | (a >> (t.bits - k)));
}
inline U256 rotr(FheType t, const U256& a, const U256& s) {
  const unsigned k = shift_amount(t, s);
  return k == 0 ? a : reduce(t, (a >> k) | (a << (t.bits - k)));
}
// Encrypted amounts (TFHE-rs 1.6.3 barrel shifter): the low ceil(log2(bits)) bits of the amount;
// a shift by the width or more gives 0 (possible for uint160), a rotation wraps mod the width.
inline unsigned enc_amount(FheType t, const U256& s) {
  unsigned stages = 0;
  while ((1u << stages) < t.bits) ++stages;
  return static_cast<unsigned>(s.truncate(stages).low());
}
inline U256 shl_enc(FheType t, const U256& a, const U256& s) {
  const unsigned k = enc_amount(t, s);
  return k >= t.bits ? U256{} : reduce(t, a << k);
}
inline U256 shr_enc(FheType t, const U256& a, const U256& s) {
  const unsigned k = enc_amount(t, s);
  return k >= t.bits ? U256{} : a >> k;
}
inline U256 rotl_enc(FheType t, const U256& a, const U256& s) {
  return rotl(t, a, U256{enc_amount(t, s) % t.bits});
}
inline U256 rotr_enc(FheType t, const U256& a, const U256& s) {
  return rotr(t, a, U256{enc_amount(t, s) % t.bits});
}
// Same type copies; to bool is a != 0; bool to uint is 0/1; wider zero-extends; narrower truncates.
inline U256 cast(FheType, FheType to, const U256& a) {
  return reduce(to, a);
}

}  // namespace fhe::test::ref
