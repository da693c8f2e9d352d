// The fhEVM operators from `computations` rows (reference/fhevm-coprocessor.md §6).
#include "coprocessor/fhe_ops.h"

#include "fhe/cpk.h"

namespace coproc {

using fhe::FheType;
using fhe::U256;
using fhe::integer::Ciphertext;
using fhe::integer::Cmp;
using fhe::integer::Engine;

const char* op_name(int16_t op) {
  static const char* const kNames[] = {
      "FheAdd",        "FheSub",   "FheMul",         "FheDiv",  "FheRem",
      "FheBitAnd",     "FheBitOr", "FheBitXor",      "FheShl",  "FheShr",
      "FheRotl",       "FheRotr",  "FheEq",          "FheNe",   "FheGe",
      "FheGt",         "FheLe",    "FheLt",          "FheMin",  "FheMax",
      "FheNeg",        "FheNot",   "verifyInput",    "FheCast", "FheTrivialEncrypt",
      "FheIfThenElse", "FheRand",  "FheRandBounded", "FheSum",  "FheIsIn",
      "FheMulDiv"};
  return op >= 0 && op <= 30 ? kNames[op] : "unknown";
}

FheType type_from_code(int code) {
  static const uint32_t kBits[] = {1, 4, 8, 16, 32, 64, 128, 160, 256};
  if (code == 0) return FheType::boolean();
  if (code > 0 && code <= 8) return FheType::uint(kBits[code]);
  throw OpError("unsupported FHE type " + std::to_string(code));
}

int type_code(FheType t) {
  if (t.is_bool) return 0;
  for (int c = 1; c <= 8; ++c) {
    if (type_from_code(c) == t) return c;
  }
  throw OpError("type " + t.name() + " has no FHEVM code");
}

FheType handle_type(const Handle& h) {
  return type_from_code(h[30]);
}

bool is_operand_scalar(int16_t op, bool is_scalar, std::size_t index) {
  switch (static_cast<FheOp>(op)) {
    case FheOp::Rand:
    case FheOp::RandBounded:
    case FheOp::TrivialEncrypt:
      return true;
    case FheOp::MulDiv:
      return index == 2 || (index == 1 && is_scalar);
    default:
      return index == 1 && is_scalar;
  }
}

namespace {

// FHEVM's scalar decoding: big-endian, truncated to the operand's width; a bool is "any byte set".
U256 scalar_value(const Bytes& b, FheType t) {
  if (t.is_bool) {
    for (uint8_t x : b) {
      if (x != 0) return U256{1};
    }
    return U256{0};
  }
  return U256::from_be_bytes(b).truncate(t.bits);
}

// The last byte (a type code), and the last two bytes big endian (Cast's to_type).
int last_byte(const Bytes& b, const char* what) {
  if (b.empty()) throw OpError(std::string(what) + ": empty scalar");
  return b.back();
}

const Ciphertext& ct_of(const Operand& o, std::size_t i) {
  if (!o.ct) throw OpError("operand " + std::to_string(i) + " must be a ciphertext");
  return *o.ct;
}

void expect_type(FheType got, FheType want, const char* what) {
  if (!(got == want)) {
    throw OpError(std::string(what) + ": result type " + got.name() +
                  " differs from the output handle's " + want.name());
  }
}

void check_arity(int16_t op, const std::vector<Operand>& in, std::size_t n) {
  if (in.size() != n) {
    throw OpError(std::string(op_name(op)) + " takes " + std::to_string(n) + " operands, got " +
                  std::to_string(in.size()));
  }
}

Ciphertext binary(Engine& e, int16_t op, const std::vector<Operand>& in, FheType out) {
  check_arity(op, in, 2);
  const Ciphertext& a = ct_of(in[0], 0);
  const FheType t = a.type;
  const auto fo = static_cast<FheOp>(op);
  const bool bool_ok = fo == FheOp::BitAnd || fo == FheOp::BitOr || fo == FheOp::BitXor ||
                       fo == FheOp::Eq || fo == FheOp::Ne;
  if (t.is_bool && !bool_ok) throw OpError(std::string(op_name(op)) + " does not take FheBool");
  std::optional<U256> s;
  Ciphertext b;
  if (in[1].ct) {
    b = *in[1].ct;
    if (!(b.type == t)) {
      throw OpError(std::string(op_name(op)) + ": operand types differ (" + t.name() + ", " +
                    b.type.name() + ")");
    }
  } else {
    s = scalar_value(in[1].scalar, t);
    if ((fo == FheOp::Div || fo == FheOp::Rem) && s->is_zero()) {
      throw OpError(std::string(op_name(op)) + ": scalar divisor is zero for " + t.name());
    }
    b = fhe::integer::trivial(e.params(), t, *s);
  }
  Ciphertext r;
  switch (fo) {
    case FheOp::Add:
      r = e.add(a, b);
      break;
    case FheOp::Sub:
      r = e.sub(a, b);
      break;
    case FheOp::Mul:
      r = e.mul(a, b);
      break;
    case FheOp::Div:
      r = e.div(a, b);
      break;
    case FheOp::Rem:
      r = e.rem(a, b);
      break;
    case FheOp::BitAnd:
      r = e.bitand_(a, b);
      break;
    case FheOp::BitOr:
      r = e.bitor_(a, b);
      break;
    case FheOp::BitXor:
      r = e.bitxor_(a, b);
      break;
    case FheOp::Shl:
      r = s ? e.scalar_shl(a, *s) : e.shl(a, b);
      break;
    case FheOp::Shr:
      r = s ? e.scalar_shr(a, *s) : e.shr(a, b);
      break;
    case FheOp::Rotl:
      r = s ? e.scalar_rotl(a, *s) : e.rotl(a, b);
      break;
    case FheOp::Rotr:
      r = s ? e.scalar_rotr(a, *s) : e.rotr(a, b);
      break;
    case FheOp::Eq:
      r = e.compare(Cmp::Eq, a, b);
      break;
    case FheOp::Ne:
      r = e.compare(Cmp::Ne, a, b);
      break;
    case FheOp::Ge:
      r = e.compare(Cmp::Ge, a, b);
      break;
    case FheOp::Gt:
      r = e.compare(Cmp::Gt, a, b);
      break;
    case FheOp::Le:
      r = e.compare(Cmp::Le, a, b);
      break;
    case FheOp::Lt:
      r = e.compare(Cmp::Lt, a, b);
      break;
    case FheOp::Min:
      r = e.min(a, b);
      break;
    case FheOp::Max:
      r = e.max(a, b);
      break;
    default:
      throw OpError("not a binary operation");
  }
  expect_type(r.type, out, op_name(op));
  return r;
}

// FHEVM's per-operation re-randomization of the encrypted inputs (cpk.h).
void rerandomize_inputs(const fhe::ServerKey& sk, int16_t op, std::vector<Operand>& in) {
  auto ctx = fhe::shortint::fhevm_operation_context(op);
  for (const Operand& o : in) {
    if (o.ct) ctx.add_ciphertext(o.ct->blocks);
  }
  auto seeds = ctx.finalize();
  for (Operand& o : in) {
    if (o.ct) fhe::shortint::rerandomize(o.ct->blocks, sk, seeds.next_seed());
  }
}

}  // namespace

Ciphertext execute(Engine& e, int16_t op, std::vector<Operand> in, FheType out, bool rerandomize,
                   uint64_t* pbs) {
  const uint64_t before = e.pbs_count();
  uint64_t extra = 0;
  try {
    if (rerandomize) rerandomize_inputs(e.server_key(), op, in);
  } catch (const fhe::shortint::ShortintError& ex) {
    throw OpError(std::string("re-randomization: ") + ex.what());
  }
  Ciphertext r;
  const auto fo = static_cast<FheOp>(op);
  try {
    if (op >= 0 && op <= 19) {
      r = binary(e, op, in, out);
    } else {
      switch (fo) {
        case FheOp::Neg:
        case FheOp::Not: {
          check_arity(op, in, 1);
          const Ciphertext& a = ct_of(in[0], 0);
          if (fo == FheOp::Neg && a.type.is_bool) throw OpError("FheNeg does not take FheBool");
          r = fo == FheOp::Neg ? e.neg(a) : e.bitnot(a);
          expect_type(r.type, out, op_name(op));
          break;
        }
        case FheOp::Cast: {
          check_arity(op, in, 2);
          const Bytes& tb = in[1].scalar;
          if (tb.empty()) throw OpError("FheCast: empty target type");
          const int code = tb.size() >= 2 ? (tb[tb.size() - 2] << 8) | tb.back() : tb.back();
          const FheType to = type_from_code(code);
          expect_type(to, out, "FheCast");
          r = e.cast(ct_of(in[0], 0), to);
          break;
        }
        case FheOp::TrivialEncrypt: {
          check_arity(op, in, 2);
          expect_type(type_from_code(last_byte(in[1].scalar, "FheTrivialEncrypt type")), out,
                      "FheTrivialEncrypt");
          r = fhe::integer::trivial_encrypt_fhevm(e.params(), out, in[0].scalar);
          break;
        }
        case FheOp::IfThenElse: {
          check_arity(op, in, 3);
          const Ciphertext& c = ct_of(in[0], 0);
          const Ciphertext &a = ct_of(in[1], 1), &b = ct_of(in[2], 2);
          if (!c.type.is_bool) throw OpError("FheIfThenElse: the control must be an FheBool");
          if (!(a.type == b.type)) throw OpError("FheIfThenElse: branch types differ");
          r = e.if_then_else(c, a, b);
          expect_type(r.type, out, "FheIfThenElse");
          break;
        }
        case FheOp::Rand:
        case FheOp::RandBounded: {
          check_arity(op, in, fo == FheOp::Rand ? 2 : 3);
          expect_type(type_from_code(last_byte(in.back().scalar, "FheRand type")), out,
                      op_name(op));
          // seed: bytes16 of the event, u128 big endian (to_be_u128_bit: the last 16 bytes).
          fhe::u128 seed = 0;
          const Bytes& sb = in[0].scalar;
          const std::size_t from = sb.size() > 16 ? sb.size() - 16 : 0;
          for (std::size_t i = from; i < sb.size(); ++i) seed = (seed << 8) | sb[i];
          const uint64_t bits =
              fo == FheOp::Rand ? out.bits : fhe::integer::random_bits_for_bound(in[1].scalar, out);
          r = fhe::integer::random(e.server_key(), out, seed, bits, &extra);
          break;
        }
        case FheOp::Sum: {
          std::vector<Ciphertext> v;
          for (std::size_t i = 0; i < in.size(); ++i) v.push_back(ct_of(in[i], i));
          for (const Ciphertext& c : v) {
            if (!(c.type == out) || c.type.is_bool) {
              throw OpError("FheSum: operand type " + c.type.name() + " (output " + out.name() +
                            ")");
            }
          }
          r = e.sum(v, out);
          break;
        }
        case FheOp::IsIn: {
          if (in.empty()) throw OpError("FheIsIn takes a value and a set");
          const Ciphertext& value = ct_of(in[0], 0);
          std::vector<Ciphertext> set;
          for (std::size_t i = 1; i < in.size(); ++i) {
            set.push_back(ct_of(in[i], i));
            if (!(set.back().type == value.type)) throw OpError("FheIsIn: operand types differ");
          }
          r = e.is_in(value, set);
          expect_type(r.type, out, "FheIsIn");
          break;
        }
        case FheOp::MulDiv: {
          check_arity(op, in, 3);
          const Ciphertext& a = ct_of(in[0], 0);
          if (a.type.is_bool || a.type.bits < 8 || a.type.bits > 64) {
            throw OpError("FheMulDiv: factor type " + a.type.name() + " (uint8..uint64)");
          }
          const Ciphertext b = in[1].ct ? *in[1].ct
                                        : fhe::integer::trivial(e.params(), a.type,
                                                                scalar_value(in[1].scalar, a.type));
          r = fhe::integer::mul_div(e, a, b, scalar_value(in[2].scalar, a.type));
          expect_type(r.type, out, "FheMulDiv");
          break;
        }
        default:
          throw OpError("unsupported FHE operation " + std::to_string(op));
      }
    }
  } catch (const fhe::integer::IntegerError& ex) {
    throw OpError(std::string(op_name(op)) + ": " + ex.what());
  } catch (const fhe::shortint::ShortintError& ex) {
    throw OpError(std::string(op_name(op)) + ": " + ex.what());
  }
  if (pbs) *pbs = e.pbs_count() - before + extra;
  return r;
}

}  // namespace coproc
