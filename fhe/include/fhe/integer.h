// Encrypted integers: FheBool and FheUintN as radix ciphertexts of 2-bit shortint blocks, least
// significant block first (reference/tfhe-rs.md §4), and the operators of the fhEVM.
//
// Every operation takes clean operands and returns clean results, as TFHE-rs's high-level API:
// every block has degree <= message_modulus - 1 and noise level <= 1 (FheBool: degree <= 1).
// Algorithms are fixed: no choice depends on the thread count, so the output bytes are the same
// for any number of threads (DESIGN.md §3). Independent PBS of one step run in parallel on the
// engine's workers.
//
// Errors: type mismatches and invalid arguments throw IntegerError (precise, one line).
// Thread safety: an Engine is used by one thread at a time (it owns its workers and their
// scratch); several Engines may share one ServerKey.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <stdexcept>
#include <vector>

#include "fhe/fhe_type.h"
#include "fhe/keys.h"
#include "fhe/shortint.h"
#include "fhe/u256.h"

namespace fhe::integer {

class IntegerError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Ciphertext {
  FheType type;
  std::vector<shortint::Ciphertext> blocks;
};

// ---- Client side ----
Ciphertext encrypt(const ClientKey& ck, FheType type, const U256& value, Csprng& mask,
                   Csprng& noise);
U256 decrypt(const ClientKey& ck, const Ciphertext& ct);
// The value reduced mod 2^bits (bool: value != 0), noise level 0.
Ciphertext trivial(const ShortintParams& params, FheType type, const U256& value);

// Oblivious pseudo-random value (FHEVM FheRand / FheRandBounded; fhe/oprf.h): FheBool gets one
// random bit; FheUintN gets min(random_bits, N) random low bits (uniform in [0, 2^bits)), higher
// blocks trivial zeros. Deterministic from `seed` (the event's 16 bytes read big endian). One PBS
// per random block, added to *pbs_count if given.
Ciphertext random(const ServerKey& sk, FheType type, u128 seed, uint64_t random_bits,
                  uint64_t* pbs_count = nullptr);
// FHEVM's bit count for FheRandBounded's upper bound (big-endian bytes): 8 per trailing zero
// byte plus the index of the highest set bit of the lowest non-zero byte (log2 for powers of two),
// at most the type's width. An empty bound throws.
uint64_t random_bits_for_bound(std::span<const uint8_t> bound_be, FheType type);

// FHEVM TrivialEncrypt of a big-endian value: FheBool is `last byte > 0` (fhevm-engine-common's
// rule, not `value != 0`); FheUintN is the value mod 2^N. Noise level 0.
Ciphertext trivial_encrypt_fhevm(const ShortintParams& p, FheType type,
                                 std::span<const uint8_t> value_be);

// The comparison operators (results are FheBool).
enum class Cmp { Eq, Ne, Gt, Ge, Lt, Le };

class Engine {
 public:
  // threads = 0: fhe::thread_count().
  explicit Engine(const ServerKey& sk, unsigned threads = 0);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  const ServerKey& server_key() const { return *sk_; }
  const ShortintParams& params() const { return *sk_->params; }
  unsigned threads() const;
  // PBS run by this engine since its creation (all workers).
  uint64_t pbs_count() const;

  // Arithmetic, wrapping mod 2^bits. Operands of one type (FheUintN).
  Ciphertext add(const Ciphertext& a, const Ciphertext& b);
  Ciphertext sub(const Ciphertext& a, const Ciphertext& b);
  Ciphertext neg(const Ciphertext& a);
  // Bitwise (FheBool or FheUintN).
  Ciphertext bitand_(const Ciphertext& a, const Ciphertext& b);
  Ciphertext bitor_(const Ciphertext& a, const Ciphertext& b);
  Ciphertext bitxor_(const Ciphertext& a, const Ciphertext& b);
  Ciphertext bitnot(const Ciphertext& a);  // no PBS
  // Comparisons: Eq/Ne on FheBool or FheUintN, the others unsigned on FheUintN.
  Ciphertext compare(Cmp op, const Ciphertext& a, const Ciphertext& b);
  Ciphertext min(const Ciphertext& a, const Ciphertext& b);
  Ciphertext max(const Ciphertext& a, const Ciphertext& b);
  // cond ? a : b, cond an FheBool, a and b of one type.
  Ciphertext if_then_else(const Ciphertext& cond, const Ciphertext& a, const Ciphertext& b);
  // Casts in every direction: same type copies; to bool is `a != 0`; bool to uint is 0/1; wider
  // zero-extends; narrower truncates mod 2^bits.
  Ciphertext cast(const Ciphertext& a, FheType to);

  // a * b mod 2^bits (schoolbook partial products, column reduction, one final propagation).
  Ciphertext mul(const Ciphertext& a, const Ciphertext& b);
  // Quotient and remainder (restoring division, one quotient bit per step). Division by zero
  // gives the TFHE-rs result: quotient all ones, remainder = numerator.
  Ciphertext div(const Ciphertext& a, const Ciphertext& d);
  Ciphertext rem(const Ciphertext& a, const Ciphertext& d);
  void div_rem(const Ciphertext& a, const Ciphertext& d, Ciphertext* q, Ciphertext* r);
  // Shifts and rotations by a cleartext amount, as TFHE-rs 1.6.3's scalar versions: the amount
  // is reduced mod the bit width (after FHEVM truncated it to the operand's width).
  Ciphertext scalar_shl(const Ciphertext& a, const U256& amount);
  Ciphertext scalar_shr(const Ciphertext& a, const U256& amount);
  Ciphertext scalar_rotl(const Ciphertext& a, const U256& amount);
  Ciphertext scalar_rotr(const Ciphertext& a, const U256& amount);
  // Shifts and rotations by an encrypted amount of the same type, as TFHE-rs 1.6.3's barrel
  // shifter: the low ceil(log2(bits)) bits of the amount are used (amount mod bits for power-of-two
  // widths; mod 256 for uint160, where a shift by 160..255 gives 0 and a rotation wraps mod 160).
  Ciphertext shl(const Ciphertext& a, const Ciphertext& amount);
  Ciphertext shr(const Ciphertext& a, const Ciphertext& amount);
  Ciphertext rotl(const Ciphertext& a, const Ciphertext& amount);
  Ciphertext rotr(const Ciphertext& a, const Ciphertext& amount);
  // Sum of values of one type (wrapping); an empty list gives a trivial 0 of `type`.
  Ciphertext sum(const std::vector<Ciphertext>& values, FheType type);
  // FheBool: value is one of `set` (empty set: trivial false).
  Ciphertext is_in(const Ciphertext& value, const std::vector<Ciphertext>& set);

  // The same operators with a cleartext right-hand side, truncated to the operand's width.
  Ciphertext scalar(const Ciphertext& a, const U256& s) const;  // trivial of a's type

 private:
  using Job = shortint::LutJob;
  // Runs independent PBS on the workers, in batches (Evaluator::apply_lut_batch); returns when
  // all are done.
  void run(std::vector<Job>& jobs);
  std::vector<shortint::Ciphertext> apply(const std::vector<shortint::Ciphertext>& in,
                                          const shortint::LookupTable& lut);
  std::vector<shortint::Ciphertext> apply_bivariate(const std::vector<shortint::Ciphertext>& a,
                                                    const std::vector<shortint::Ciphertext>& b,
                                                    const shortint::LookupTable& lut);
  // hi * message_modulus + lo: the input of a bivariate table (no PBS).
  shortint::Ciphertext pack(const shortint::Ciphertext& hi, const shortint::Ciphertext& lo) const;
  // Sequential carry propagation with one two-function PBS per block (message, carry).
  // With carry_out, the last block is split too and its carry (0/1) is written there.
  void propagate(std::vector<shortint::Ciphertext>& blocks,
                 shortint::Ciphertext* carry_out = nullptr);
  // Shift by whole blocks then by `bits` (< block width) inside blocks: one PBS per kept block.
  Ciphertext shift_or_rotate(const Ciphertext& a, const U256& amount, bool left, bool rotate);
  Ciphertext barrel(const Ciphertext& a, const Ciphertext& amount, bool left, bool rotate);
  // The low `count` bits of a clean radix value as boolean blocks (one PBS per block).
  std::vector<shortint::Ciphertext> low_bits(const Ciphertext& a, std::size_t count);
  // 1 if every boolean block is 1 (tree of sums of up to max_noise_level blocks).
  shortint::Ciphertext all_true(std::vector<shortint::Ciphertext> bools);
  void check_same_type(const Ciphertext& a, const Ciphertext& b, const char* what) const;
  void check_uint(const Ciphertext& a, const char* what) const;

  const ServerKey* sk_;
  shortint::Evaluator local_;  // linear operations (no PBS) on the calling thread
  struct Pool;
  std::unique_ptr<Pool> pool_;
};

// FHEVM MulDiv: (a * b) / divisor without intermediate overflow, truncated to the type
// (uint8..uint64; b encrypted or trivial). The divisor is truncated to the type's width and must
// not be zero (IntegerError). Computed in twice the width: cast, mul, div, cast.
Ciphertext mul_div(Engine& e, const Ciphertext& a, const Ciphertext& b, const U256& divisor);

}  // namespace fhe::integer
