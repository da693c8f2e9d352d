// The fhEVM operators as the tfhe-worker runs them from `computations` rows
// (reference/fhevm-coprocessor.md §1.1 dependencies layout, §5 handles and numbering, §6
// semantics): which dependencies are scalars, the operand-type checks, scalar decoding, and the
// per-operation pipeline of DESIGN.md §6 (re-randomize every encrypted input with a seed derived
// from the operation, then compute). Output type = byte 30 of the output handle.
//
// Errors: OpError for work that can never succeed (bad types, a divisor that truncates to zero,
// unsupported types or operations): the worker stores its message in the computation's row.
// Thread safety: functions are pure over the engine (one Engine per thread).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "fhe/fhe_type.h"
#include "fhe/integer.h"

namespace coproc {

using Handle = std::array<uint8_t, 32>;
using Bytes = std::vector<uint8_t>;

class OpError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// FHEVMExecutor.Operators / SupportedFheOperations.
enum class FheOp : int16_t {
  Add = 0,
  Sub = 1,
  Mul = 2,
  Div = 3,
  Rem = 4,
  BitAnd = 5,
  BitOr = 6,
  BitXor = 7,
  Shl = 8,
  Shr = 9,
  Rotl = 10,
  Rotr = 11,
  Eq = 12,
  Ne = 13,
  Ge = 14,
  Gt = 15,
  Le = 16,
  Lt = 17,
  Min = 18,
  Max = 19,
  Neg = 20,
  Not = 21,
  Cast = 23,
  TrivialEncrypt = 24,
  IfThenElse = 25,
  Rand = 26,
  RandBounded = 27,
  Sum = 28,
  IsIn = 29,
  MulDiv = 30,
};
const char* op_name(int16_t op);  // "FheAdd", ... or "unknown"

// FheType codes 0..8 (Bool, Uint4, Uint8, ..., Uint160, Uint256). 9..11 (ebytes) and others are
// not supported here (OpError).
fhe::FheType type_from_code(int code);
int type_code(fhe::FheType t);
// Byte 30 of a handle.
fhe::FheType handle_type(const Handle& h);

// Upstream is_operand_scalar: Rand, RandBounded and TrivialEncrypt: every operand; MulDiv: index
// 2, and index 1 when is_scalar; every other operation: index 1 when is_scalar.
bool is_operand_scalar(int16_t op, bool is_scalar, std::size_t index);

// One operand: a ciphertext (decompressed) or the scalar bytes of the row.
struct Operand {
  std::optional<fhe::integer::Ciphertext> ct;
  Bytes scalar;
};

// Runs operation `op` on `inputs` (in dependency order) for an output of type `out`. When
// `rerandomize` is set, every encrypted input is re-randomized first (FHEVM's context
// ("TFHE_Rrd", opcode as i32 big endian), inputs added in operand order, one seed each); it needs
// the server key's compact public key and re-randomization key. `pbs` receives the PBS count.
fhe::integer::Ciphertext execute(fhe::integer::Engine& engine, int16_t op,
                                 std::vector<Operand> inputs, fhe::FheType out, bool rerandomize,
                                 uint64_t* pbs = nullptr);

}  // namespace coproc
