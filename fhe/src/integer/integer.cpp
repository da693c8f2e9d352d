// Radix integers: client side, the engine's worker pool, and the operators
// (reference/tfhe-rs.md §4; algorithms and PBS counts are documented at each operator).
#include "fhe/integer.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <string>
#include <thread>

#include "fhe/threads.h"

namespace fhe::integer {

namespace {

uint64_t bits_per_block(const ShortintParams& p) {
  return static_cast<uint64_t>(__builtin_ctzll(p.message_modulus));
}

void check_params(const ShortintParams& p) {
  if (p.message_modulus != 4 || p.carry_modulus != 4) {
    throw IntegerError("integer: only 2+2-bit blocks (message 4, carry 4) are supported");
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Client side
// ---------------------------------------------------------------------------------------------

Ciphertext encrypt(const ClientKey& ck, FheType type, const U256& value, Csprng& mask,
                   Csprng& noise) {
  check_params(*ck.params);
  Ciphertext ct;
  ct.type = type;
  if (type.is_bool) {
    shortint::Ciphertext b = shortint::encrypt(ck, value.is_zero() ? 0 : 1, mask, noise);
    b.degree = 1;  // TFHE-rs encrypt_bool
    ct.blocks.push_back(std::move(b));
    return ct;
  }
  const U256 v = value.truncate(type.bits);
  const unsigned k = static_cast<unsigned>(bits_per_block(*ck.params));
  for (uint32_t i = 0; i < type.num_blocks(); ++i) {
    ct.blocks.push_back(shortint::encrypt(ck, v.digit(i, k), mask, noise));
  }
  return ct;
}

U256 decrypt(const ClientKey& ck, const Ciphertext& ct) {
  if (ct.blocks.size() != ct.type.num_blocks()) {
    throw IntegerError("decrypt: " + std::to_string(ct.blocks.size()) + " blocks for " +
                       ct.type.name());
  }
  if (ct.type.is_bool) return U256{shortint::decrypt(ck, ct.blocks[0]) != 0 ? 1u : 0u};
  const unsigned k = static_cast<unsigned>(bits_per_block(*ck.params));
  U256 v;
  for (std::size_t i = ct.blocks.size(); i-- > 0;) {
    v = (v << k) | U256{shortint::decrypt(ck, ct.blocks[i])};
  }
  return v.truncate(ct.type.bits);
}

Ciphertext trivial(const ShortintParams& p, FheType type, const U256& value) {
  check_params(p);
  Ciphertext ct;
  ct.type = type;
  if (type.is_bool) {
    ct.blocks.push_back(shortint::trivial(p, value.is_zero() ? 0 : 1));
    return ct;
  }
  const U256 v = value.truncate(type.bits);
  const unsigned k = static_cast<unsigned>(bits_per_block(p));
  for (uint32_t i = 0; i < type.num_blocks(); ++i) {
    ct.blocks.push_back(shortint::trivial(p, v.digit(i, k)));
  }
  return ct;
}

// ---------------------------------------------------------------------------------------------
// Worker pool: one shortint evaluator per worker (the caller is worker 0). Jobs write only their
// own output, so the result does not depend on which worker runs which job.
// ---------------------------------------------------------------------------------------------

struct Engine::Pool {
  std::vector<std::unique_ptr<shortint::Evaluator>> evals;
  std::vector<std::thread> threads;
  std::mutex m;
  std::condition_variable start_cv, done_cv;
  std::vector<Job>* jobs = nullptr;  // guarded by m (set before a generation starts)
  std::atomic<std::size_t> next{0};  // next job index
  std::size_t busy = 0;              // guarded by m: workers still in the generation
  uint64_t generation = 0;           // guarded by m
  bool stop = false;                 // guarded by m
  std::exception_ptr error;          // guarded by m: first failure of the generation

  void work(std::size_t w) {
    std::vector<Job>& js = *jobs;
    for (std::size_t j = next.fetch_add(1); j < js.size(); j = next.fetch_add(1)) {
      try {
        *js[j].out = evals[w]->apply_lut(*js[j].in, *js[j].lut);
      } catch (...) {
        std::lock_guard<std::mutex> lock(m);
        if (!error) error = std::current_exception();
      }
    }
  }

  void loop(std::size_t w) {
    uint64_t seen = 0;
    for (;;) {
      {
        std::unique_lock<std::mutex> lock(m);
        start_cv.wait(lock, [&] { return stop || generation != seen; });
        if (stop) return;
        seen = generation;
      }
      work(w);
      std::lock_guard<std::mutex> lock(m);
      if (--busy == 0) done_cv.notify_one();
    }
  }
};

Engine::Engine(const ServerKey& sk, unsigned threads)
    : sk_(&sk), local_(sk), pool_(std::make_unique<Pool>()) {
  check_params(*sk.params);
  const unsigned n = std::max(1u, threads == 0 ? thread_count() : threads);
  for (unsigned w = 0; w < n; ++w)
    pool_->evals.push_back(std::make_unique<shortint::Evaluator>(sk));
  for (unsigned w = 1; w < n; ++w) pool_->threads.emplace_back([this, w] { pool_->loop(w); });
}

Engine::~Engine() {
  {
    std::lock_guard<std::mutex> lock(pool_->m);
    pool_->stop = true;
  }
  pool_->start_cv.notify_all();
  for (auto& t : pool_->threads) t.join();
}

unsigned Engine::threads() const {
  return static_cast<unsigned>(pool_->evals.size());
}

uint64_t Engine::pbs_count() const {
  uint64_t n = 0;
  for (const auto& e : pool_->evals) n += e->pbs_count();
  return n;
}

void Engine::run(std::vector<Job>& jobs) {
  Pool& p = *pool_;
  if (jobs.size() <= 1 || p.threads.empty()) {
    for (Job& j : jobs) *j.out = p.evals[0]->apply_lut(*j.in, *j.lut);
    return;
  }
  {
    std::lock_guard<std::mutex> lock(p.m);
    p.jobs = &jobs;
    p.next.store(0);
    p.busy = p.threads.size();
    p.error = nullptr;
    ++p.generation;
  }
  p.start_cv.notify_all();
  p.work(0);
  std::unique_lock<std::mutex> lock(p.m);
  p.done_cv.wait(lock, [&] { return p.busy == 0; });
  p.jobs = nullptr;
  if (p.error) std::rethrow_exception(p.error);
}

std::vector<shortint::Ciphertext> Engine::apply(const std::vector<shortint::Ciphertext>& in,
                                                const shortint::LookupTable& lut) {
  std::vector<shortint::Ciphertext> out(in.size());
  std::vector<Job> jobs;
  for (std::size_t i = 0; i < in.size(); ++i) jobs.push_back({&in[i], &lut, &out[i]});
  run(jobs);
  return out;
}

std::vector<shortint::Ciphertext> Engine::apply_bivariate(
    const std::vector<shortint::Ciphertext>& a, const std::vector<shortint::Ciphertext>& b,
    const shortint::LookupTable& lut) {
  // Pack lhs * msg + rhs (no PBS), then one PBS per block.
  const uint64_t msg = params().message_modulus;
  std::vector<shortint::Ciphertext> packed;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (b[i].degree >= msg) throw IntegerError("bivariate: right block carries are not empty");
    packed.push_back(pack(a[i], b[i]));
  }
  return apply(packed, lut);
}

// ---------------------------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------------------------

void Engine::check_same_type(const Ciphertext& a, const Ciphertext& b, const char* what) const {
  if (!(a.type == b.type)) {
    throw IntegerError(std::string(what) + ": operand types differ (" + a.type.name() + " and " +
                       b.type.name() + ")");
  }
  for (const Ciphertext* c : {&a, &b}) {
    if (c->blocks.size() != c->type.num_blocks()) {
      throw IntegerError(std::string(what) + ": " + std::to_string(c->blocks.size()) +
                         " blocks for " + c->type.name());
    }
  }
}

void Engine::check_uint(const Ciphertext& a, const char* what) const {
  if (a.type.is_bool) throw IntegerError(std::string(what) + ": not defined on bool");
  if (a.blocks.size() != a.type.num_blocks()) {
    throw IntegerError(std::string(what) + ": " + std::to_string(a.blocks.size()) + " blocks for " +
                       a.type.name());
  }
}

shortint::Ciphertext Engine::pack(const shortint::Ciphertext& hi,
                                  const shortint::Ciphertext& lo) const {
  return local_.add(local_.scalar_mul(hi, params().message_modulus), lo);
}

Ciphertext Engine::scalar(const Ciphertext& a, const U256& s) const {
  return trivial(params(), a.type, s);
}

// ---------------------------------------------------------------------------------------------
// Carry propagation. Blocks of degree <= 6 (a sum of two clean blocks) plus the incoming carry
// (<= 1) stay within 7, the input range of a two-function table: one PBS per block gives the
// message (x mod 4) and the carry (x / 4); the last block needs only its message.
// PBS: one per block; depth: the block count.
// ---------------------------------------------------------------------------------------------

void Engine::propagate(std::vector<shortint::Ciphertext>& blocks, shortint::Ciphertext* carry_out) {
  const ShortintParams& p = params();
  const uint64_t msg = p.message_modulus;
  const auto split = shortint::make_many_lut(
      p, {[msg](uint64_t x) { return x % msg; }, [msg](uint64_t x) { return x / msg; }});
  const auto last = shortint::make_lut(p, [msg](uint64_t x) { return x % msg; });
  shortint::Evaluator& ev = *pool_->evals[0];
  shortint::Ciphertext carry;
  bool has_carry = false;
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    shortint::Ciphertext s = has_carry ? local_.add(blocks[i], carry) : blocks[i];
    if (i + 1 == blocks.size() && carry_out == nullptr) {
      blocks[i] = ev.apply_lut(s, last);
    } else {
      auto outs = ev.apply_many_lut(s, split);
      blocks[i] = std::move(outs[0]);
      carry = std::move(outs[1]);
      has_carry = true;
    }
  }
  if (carry_out) *carry_out = std::move(carry);
}

// a + b: block-wise sums (degree 6), then propagation. PBS: n blocks.
Ciphertext Engine::add(const Ciphertext& a, const Ciphertext& b) {
  check_same_type(a, b, "add");
  check_uint(a, "add");
  Ciphertext r{a.type, {}};
  for (std::size_t i = 0; i < a.blocks.size(); ++i)
    r.blocks.push_back(local_.add(a.blocks[i], b.blocks[i]));
  propagate(r.blocks);
  return r;
}

// a - b = a + ~b + 1 (two's complement): block i holds a_i + (3 - b_i) (+1 on block 0).
// PBS: n blocks.
Ciphertext Engine::sub(const Ciphertext& a, const Ciphertext& b) {
  check_same_type(a, b, "sub");
  check_uint(a, "sub");
  Ciphertext r{a.type, {}};
  for (std::size_t i = 0; i < a.blocks.size(); ++i) {
    r.blocks.push_back(local_.add(a.blocks[i], local_.bitnot(b.blocks[i])));
  }
  r.blocks[0] = local_.scalar_add(r.blocks[0], 1);
  propagate(r.blocks);
  return r;
}

// -a = ~a + 1. PBS: n blocks.
Ciphertext Engine::neg(const Ciphertext& a) {
  check_uint(a, "neg");
  Ciphertext r = bitnot(a);
  r.blocks[0] = local_.scalar_add(r.blocks[0], 1);
  propagate(r.blocks);
  return r;
}

// ---------------------------------------------------------------------------------------------
// Bitwise: one bivariate PBS per block (FheBool: on bit 0 only, so the degree stays 1).
// ---------------------------------------------------------------------------------------------

namespace {
template <class F>
shortint::LookupTable bitwise_lut(const ShortintParams& p, bool is_bool, F f) {
  if (is_bool) {
    return shortint::make_bivariate_lut(p, [f](uint64_t x, uint64_t y) { return f(x, y) & 1; });
  }
  return shortint::make_bivariate_lut(p, f);
}
}  // namespace

Ciphertext Engine::bitand_(const Ciphertext& a, const Ciphertext& b) {
  check_same_type(a, b, "bitand");
  const auto lut =
      bitwise_lut(params(), a.type.is_bool, [](uint64_t x, uint64_t y) { return x & y; });
  return {a.type, apply_bivariate(a.blocks, b.blocks, lut)};
}

Ciphertext Engine::bitor_(const Ciphertext& a, const Ciphertext& b) {
  check_same_type(a, b, "bitor");
  const auto lut =
      bitwise_lut(params(), a.type.is_bool, [](uint64_t x, uint64_t y) { return x | y; });
  return {a.type, apply_bivariate(a.blocks, b.blocks, lut)};
}

Ciphertext Engine::bitxor_(const Ciphertext& a, const Ciphertext& b) {
  check_same_type(a, b, "bitxor");
  const auto lut =
      bitwise_lut(params(), a.type.is_bool, [](uint64_t x, uint64_t y) { return x ^ y; });
  return {a.type, apply_bivariate(a.blocks, b.blocks, lut)};
}

// ~a: -block + (msg - 1) (FheBool: -block + 1). No PBS.
Ciphertext Engine::bitnot(const Ciphertext& a) {
  if (a.blocks.size() != a.type.num_blocks()) throw IntegerError("bitnot: malformed ciphertext");
  Ciphertext r{a.type, {}};
  if (a.type.is_bool) {
    shortint::Ciphertext b = a.blocks[0];
    if (b.degree > 1)
      throw IntegerError("bitnot: bool block of degree " + std::to_string(b.degree));
    for (auto& v : b.ct.data) v = 0 - v;
    b.ct.body() += params().delta();
    b.degree = 1;
    r.blocks.push_back(std::move(b));
    return r;
  }
  for (const auto& b : a.blocks) r.blocks.push_back(local_.bitnot(b));
  return r;
}

// ---------------------------------------------------------------------------------------------
// Comparisons
// ---------------------------------------------------------------------------------------------

// All boolean blocks true: sums of up to max_noise_level blocks (each noise 1, degree 1), each
// mapped back to a boolean by one PBS (sum == count), until one block is left.
// PBS: about n/4 + n/16 + ...
shortint::Ciphertext Engine::all_true(std::vector<shortint::Ciphertext> bools) {
  const ShortintParams& p = params();
  const std::size_t chunk =
      std::min<std::size_t>(p.max_noise_level, p.message_modulus * p.carry_modulus - 1);
  while (bools.size() > 1) {
    std::vector<shortint::Ciphertext> sums;
    std::vector<std::size_t> counts;
    for (std::size_t i = 0; i < bools.size(); i += chunk) {
      const std::size_t end = std::min(bools.size(), i + chunk);
      shortint::Ciphertext s = bools[i];
      for (std::size_t j = i + 1; j < end; ++j) s = local_.add(s, bools[j]);
      sums.push_back(std::move(s));
      counts.push_back(end - i);
    }
    // One table per distinct chunk length (the last chunk may be shorter).
    std::vector<shortint::LookupTable> luts;
    for (std::size_t c : counts) {
      luts.push_back(shortint::make_lut(p, [c](uint64_t x) { return x == c ? 1 : 0; }));
    }
    std::vector<shortint::Ciphertext> next(sums.size());
    std::vector<Job> jobs;
    for (std::size_t i = 0; i < sums.size(); ++i) {
      if (counts[i] == 1 && sums[i].noise_level <= 1) {
        next[i] = sums[i];  // a lone clean boolean stays as it is
      } else {
        jobs.push_back({&sums[i], &luts[i], &next[i]});
      }
    }
    run(jobs);
    bools = std::move(next);
  }
  return bools[0];
}

// Eq/Ne: one bivariate PBS per block (x == y), then all_true; Ne negates without PBS.
// Gt/Ge/Lt/Le: the sign of each block pair (0 less, 1 equal, 2 greater; one bivariate PBS per
// block), then a tree that merges two adjacent signs (the higher one unless it is "equal") with
// one bivariate PBS per merge; the last merge maps the sign to the boolean result. PBS: 2n - 1.
Ciphertext Engine::compare(Cmp op, const Ciphertext& a, const Ciphertext& b) {
  check_same_type(a, b, "compare");
  const ShortintParams& p = params();
  const FheType kBool = FheType::boolean();
  if (op == Cmp::Eq || op == Cmp::Ne) {
    const auto eq =
        shortint::make_bivariate_lut(p, [](uint64_t x, uint64_t y) { return x == y ? 1 : 0; });
    Ciphertext r{kBool, {all_true(apply_bivariate(a.blocks, b.blocks, eq))}};
    return op == Cmp::Eq ? r : bitnot(r);
  }
  check_uint(a, "compare");
  auto result_of_sign = [op](uint64_t s) -> uint64_t {
    switch (op) {
      case Cmp::Gt:
        return s == 2;
      case Cmp::Ge:
        return s >= 1;
      case Cmp::Lt:
        return s == 0;
      case Cmp::Le:
        return s <= 1;
      default:
        return 0;
    }
  };
  auto sign = [](uint64_t x, uint64_t y) -> uint64_t { return x < y ? 0 : (x == y ? 1 : 2); };
  if (a.blocks.size() == 1) {
    const auto lut = shortint::make_bivariate_lut(
        p, [&](uint64_t x, uint64_t y) { return result_of_sign(sign(x, y)); });
    return {kBool, apply_bivariate(a.blocks, b.blocks, lut)};
  }
  const auto sign_lut = shortint::make_bivariate_lut(p, sign);
  std::vector<shortint::Ciphertext> signs = apply_bivariate(a.blocks, b.blocks, sign_lut);
  auto merge = [](uint64_t hi, uint64_t lo) { return hi == 1 ? lo : hi; };
  const auto merge_lut = shortint::make_bivariate_lut(p, merge);
  const auto final_lut = shortint::make_bivariate_lut(
      p, [&](uint64_t hi, uint64_t lo) { return result_of_sign(merge(hi, lo)); });
  while (signs.size() > 1) {
    const bool last = signs.size() == 2;
    std::vector<shortint::Ciphertext> hi, lo, next;
    for (std::size_t i = 0; i + 1 < signs.size(); i += 2) {
      lo.push_back(signs[i]);
      hi.push_back(signs[i + 1]);
    }
    next = apply_bivariate(hi, lo, last ? final_lut : merge_lut);
    if (signs.size() % 2 == 1) next.push_back(signs.back());  // the top sign waits a level
    signs = std::move(next);
  }
  return {kBool, std::move(signs)};
}

// min/max: one comparison, then a selection.
Ciphertext Engine::min(const Ciphertext& a, const Ciphertext& b) {
  return if_then_else(compare(Cmp::Lt, a, b), a, b);
}

Ciphertext Engine::max(const Ciphertext& a, const Ciphertext& b) {
  return if_then_else(compare(Cmp::Gt, a, b), a, b);
}

// cond ? a : b, per block: (cond ? a_i : 0) and (cond ? 0 : b_i) by bivariate PBS (in parallel),
// their sum, and one PBS to clean it. PBS: 3 per block.
Ciphertext Engine::if_then_else(const Ciphertext& cond, const Ciphertext& a, const Ciphertext& b) {
  if (!cond.type.is_bool || cond.blocks.size() != 1) {
    throw IntegerError("if_then_else: the condition must be a bool, not " + cond.type.name());
  }
  check_same_type(a, b, "if_then_else");
  const ShortintParams& p = params();
  const auto keep_if =
      shortint::make_bivariate_lut(p, [](uint64_t c, uint64_t x) { return c ? x : 0; });
  const auto keep_unless =
      shortint::make_bivariate_lut(p, [](uint64_t c, uint64_t x) { return c ? 0 : x; });
  const std::size_t n = a.blocks.size();
  std::vector<shortint::Ciphertext> packed;
  for (std::size_t i = 0; i < n; ++i) {
    packed.push_back(pack(cond.blocks[0], a.blocks[i]));
  }
  for (std::size_t i = 0; i < n; ++i) {
    packed.push_back(pack(cond.blocks[0], b.blocks[i]));
  }
  std::vector<shortint::Ciphertext> parts(2 * n);
  std::vector<Job> jobs;
  for (std::size_t i = 0; i < 2 * n; ++i)
    jobs.push_back({&packed[i], i < n ? &keep_if : &keep_unless, &parts[i]});
  run(jobs);
  std::vector<shortint::Ciphertext> sums;
  for (std::size_t i = 0; i < n; ++i) sums.push_back(local_.add(parts[i], parts[n + i]));
  const uint64_t mask = a.type.is_bool ? 1 : p.message_modulus - 1;
  const auto clean = shortint::make_lut(p, [mask](uint64_t x) { return x & mask; });
  return {a.type, apply(sums, clean)};
}

// ---------------------------------------------------------------------------------------------
// Multiplication: for every block pair (i, j) with i + j < n, the low half (a_i*b_j mod 4) goes
// to column i+j and the high half (a_i*b_j / 4) to column i+j+1, one bivariate PBS each (pairs
// with a trivially zero block are skipped). Columns are then reduced: chunks of terms whose
// degrees sum to at most 15 (and at most max_noise_level terms) become their message (kept) and
// their carry (next column), two PBS per chunk, until every column holds at most two terms; a
// last propagation adds them. PBS for n blocks: about n^2 + 1.3 n^2 / 2 + n.
// ---------------------------------------------------------------------------------------------

Ciphertext Engine::mul(const Ciphertext& a, const Ciphertext& b) {
  check_same_type(a, b, "mul");
  check_uint(a, "mul");
  const ShortintParams& p = params();
  const uint64_t msg = p.message_modulus;
  const std::size_t n = a.blocks.size();
  const auto lo_lut =
      shortint::make_bivariate_lut(p, [msg](uint64_t x, uint64_t y) { return (x * y) % msg; });
  const auto hi_lut =
      shortint::make_bivariate_lut(p, [msg](uint64_t x, uint64_t y) { return (x * y) / msg; });
  std::vector<shortint::Ciphertext> packed;
  std::vector<std::size_t> column;
  std::vector<const shortint::LookupTable*> lut_of;
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; i + j < n; ++j) {
      if (a.blocks[i].degree == 0 || b.blocks[j].degree == 0) continue;
      const shortint::Ciphertext pk = pack(a.blocks[i], b.blocks[j]);
      packed.push_back(pk);
      column.push_back(i + j);
      lut_of.push_back(&lo_lut);
      if (i + j + 1 < n) {
        packed.push_back(pk);
        column.push_back(i + j + 1);
        lut_of.push_back(&hi_lut);
      }
    }
  }
  std::vector<shortint::Ciphertext> terms(packed.size());
  {
    std::vector<Job> jobs;
    for (std::size_t k = 0; k < packed.size(); ++k)
      jobs.push_back({&packed[k], lut_of[k], &terms[k]});
    run(jobs);
  }
  std::vector<std::vector<shortint::Ciphertext>> cols(n);
  for (std::size_t k = 0; k < terms.size(); ++k) cols[column[k]].push_back(std::move(terms[k]));

  const uint64_t max_deg = p.message_modulus * p.carry_modulus - 1;
  const auto msg_lut = shortint::make_lut(p, [msg](uint64_t x) { return x % msg; });
  const auto carry_lut = shortint::make_lut(p, [msg](uint64_t x) { return x / msg; });
  auto too_tall = [&] {
    for (const auto& c : cols)
      if (c.size() > 2) return true;
    return false;
  };
  while (too_tall()) {
    // Chunk every column with more than two terms; sums are formed without PBS.
    std::vector<shortint::Ciphertext> sums;
    std::vector<std::size_t> sum_col;
    std::vector<std::vector<shortint::Ciphertext>> next(n);
    for (std::size_t c = 0; c < n; ++c) {
      if (cols[c].size() <= 2) {
        for (auto& t : cols[c]) next[c].push_back(std::move(t));
        continue;
      }
      std::size_t k = 0;
      while (k < cols[c].size()) {
        shortint::Ciphertext s = cols[c][k++];
        std::size_t count = 1;
        while (k < cols[c].size() && count < p.max_noise_level &&
               s.degree + cols[c][k].degree <= max_deg &&
               s.noise_level + cols[c][k].noise_level <= p.max_noise_level) {
          s = local_.add(s, cols[c][k++]);
          ++count;
        }
        if (count == 1) {
          next[c].push_back(std::move(s));
        } else {
          sums.push_back(std::move(s));
          sum_col.push_back(c);
        }
      }
    }
    std::vector<shortint::Ciphertext> outs(2 * sums.size());
    std::vector<Job> jobs;
    for (std::size_t k = 0; k < sums.size(); ++k) {
      jobs.push_back({&sums[k], &msg_lut, &outs[2 * k]});
      if (sum_col[k] + 1 < n && sums[k].degree >= msg) {
        jobs.push_back({&sums[k], &carry_lut, &outs[2 * k + 1]});
      }
    }
    run(jobs);
    for (std::size_t k = 0; k < sums.size(); ++k) {
      next[sum_col[k]].push_back(std::move(outs[2 * k]));
      if (sum_col[k] + 1 < n && sums[k].degree >= msg) {
        next[sum_col[k] + 1].push_back(std::move(outs[2 * k + 1]));
      }
    }
    cols = std::move(next);
  }
  // At most two terms per column: their sum (degree <= 6) and one propagation.
  Ciphertext r{a.type, {}};
  for (std::size_t c = 0; c < n; ++c) {
    if (cols[c].empty()) {
      r.blocks.push_back(shortint::trivial(p, 0));
    } else if (cols[c].size() == 1) {
      r.blocks.push_back(cols[c][0]);
    } else {
      r.blocks.push_back(local_.add(cols[c][0], cols[c][1]));
    }
  }
  propagate(r.blocks);
  return r;
}

// ---------------------------------------------------------------------------------------------
// Division: restoring, one quotient bit per step, on a remainder one block wider than the
// operands (2R + bit must not overflow). Step j (from the top bit): R = 2R + a_j (one PBS per
// block);
// (R - D, R >= D) by a subtraction whose final carry is the comparison; R = R >= D ? R - D : R;
// q_j = R >= D. With D = 0 every step takes R - 0 and sets q_j: quotient all ones, remainder a.
// PBS for n blocks: n (bits of a) + bits * 5 (n + 1) + n (quotient blocks). A trivial block of
// R (zero, before the first steps reach it) still goes through its PBS: simple, not minimal.
// ---------------------------------------------------------------------------------------------

void Engine::div_rem(const Ciphertext& a, const Ciphertext& d, Ciphertext* q_out,
                     Ciphertext* r_out) {
  check_same_type(a, d, "div");
  check_uint(a, "div");
  const ShortintParams& p = params();
  const std::size_t n = a.blocks.size();
  const FheType wide = FheType::uint(a.type.bits + static_cast<uint32_t>(bits_per_block(p)));
  const std::vector<shortint::Ciphertext> abits = low_bits(a, a.type.bits);
  const Ciphertext dw = cast(d, wide);
  Ciphertext r = trivial(p, wide, U256{});
  std::vector<shortint::Ciphertext> qbits(a.type.bits);
  const uint64_t msg = p.message_modulus;
  // R = 2R + a_j in one PBS per block: block i takes its own top-shifted bits and the top bit of
  // block i-1; block 0 takes a_j.
  const auto shift_in = shortint::make_bivariate_lut(
      p, [msg](uint64_t prev, uint64_t cur) { return ((cur << 1) % msg) + ((prev << 1) / msg); });
  const auto insert = shortint::make_bivariate_lut(
      p, [msg](uint64_t bit, uint64_t cur) { return ((cur << 1) % msg) + (bit & 1); });
  for (uint32_t j = a.type.bits; j-- > 0;) {
    {
      std::vector<shortint::Ciphertext> packed, shifted(r.blocks.size());
      for (std::size_t i = 0; i < r.blocks.size(); ++i) {
        const shortint::Ciphertext& lhs = i == 0 ? abits[j] : r.blocks[i - 1];
        packed.push_back(pack(lhs, r.blocks[i]));
      }
      std::vector<Job> jobs;
      for (std::size_t i = 0; i < packed.size(); ++i) {
        jobs.push_back({&packed[i], i == 0 ? &insert : &shift_in, &shifted[i]});
      }
      run(jobs);
      r.blocks = std::move(shifted);
    }
    // r - dw = r + ~dw + 1, keeping the final carry (1 iff r >= dw).
    Ciphertext diff{wide, {}};
    for (std::size_t i = 0; i < r.blocks.size(); ++i) {
      diff.blocks.push_back(local_.add(r.blocks[i], local_.bitnot(dw.blocks[i])));
    }
    diff.blocks[0] = local_.scalar_add(diff.blocks[0], 1);
    shortint::Ciphertext ge;
    propagate(diff.blocks, &ge);
    const Ciphertext cond{FheType::boolean(), {ge}};
    r = if_then_else(cond, diff, r);
    qbits[j] = std::move(ge);
  }
  if (q_out) {
    Ciphertext q{a.type, {}};
    std::vector<shortint::Ciphertext> packed;
    for (std::size_t i = 0; i < n; ++i) {
      packed.push_back(local_.add(local_.scalar_mul(qbits[2 * i + 1], 2), qbits[2 * i]));
    }
    const auto clean = shortint::make_lut(p, [](uint64_t x) { return x % 4; });
    q.blocks = apply(packed, clean);
    *q_out = std::move(q);
  }
  if (r_out) *r_out = cast(r, a.type);
}

Ciphertext Engine::div(const Ciphertext& a, const Ciphertext& d) {
  Ciphertext q;
  div_rem(a, d, &q, nullptr);
  return q;
}

Ciphertext Engine::rem(const Ciphertext& a, const Ciphertext& d) {
  Ciphertext r;
  div_rem(a, d, nullptr, &r);
  return r;
}

// ---------------------------------------------------------------------------------------------
// Shifts and rotations by a cleartext amount
// ---------------------------------------------------------------------------------------------

Ciphertext Engine::shift_or_rotate(const Ciphertext& a, const U256& amount, bool left,
                                   bool rotate) {
  check_uint(a, rotate ? "rotate" : "shift");
  const ShortintParams& p = params();
  const uint64_t msg = p.message_modulus;
  const unsigned k = static_cast<unsigned>(bits_per_block(p));
  const std::size_t n = a.blocks.size();
  const uint64_t total = uint64_t{k} * n;
  U256 q, rem;
  U256::divmod(amount.truncate(a.type.bits), U256{total}, q, rem);
  const uint64_t s = rem.low();
  if (s == 0) return a;
  // Normalize to a left move: shr by s moves block j + s/k down to j.
  const std::size_t whole = s / k;
  const uint64_t w = s % k;
  // moved[j]: the block that lands at position j before the in-block part; -1 = zero.
  std::vector<long> src(n);
  for (std::size_t j = 0; j < n; ++j) {
    long from = left ? static_cast<long>(j) - static_cast<long>(whole)
                     : static_cast<long>(j) + static_cast<long>(whole);
    if (rotate) {
      from = ((from % static_cast<long>(n)) + static_cast<long>(n)) % static_cast<long>(n);
    } else if (from < 0 || from >= static_cast<long>(n)) {
      from = -1;
    }
    src[j] = from;
  }
  Ciphertext r{a.type, {}};
  if (w == 0) {
    for (std::size_t j = 0; j < n; ++j) {
      r.blocks.push_back(src[j] < 0 ? shortint::trivial(p, 0)
                                    : a.blocks[static_cast<std::size_t>(src[j])]);
    }
    return r;
  }
  // In-block part: block j combines its own source with the neighbour that feeds it the bits
  // crossing the block boundary (the lower neighbour for a left move, the upper for a right).
  const auto both =
      left ? shortint::make_bivariate_lut(p,
                                          [msg, w](uint64_t nb, uint64_t cur) {
                                            return ((cur << w) % msg) + ((nb << w) / msg);
                                          })
           : shortint::make_bivariate_lut(p, [msg, w, k](uint64_t nb, uint64_t cur) {
               return (cur >> w) | ((nb << (k - w)) % msg);
             });
  const auto alone =
      left ? shortint::make_lut(p, [msg, w](uint64_t cur) { return (cur << w) % msg; })
           : shortint::make_lut(p, [w](uint64_t cur) { return cur >> w; });
  std::vector<shortint::Ciphertext> packed;
  std::vector<const shortint::LookupTable*> luts;
  std::vector<std::size_t> where;
  r.blocks.assign(n, shortint::trivial(p, 0));
  for (std::size_t j = 0; j < n; ++j) {
    if (src[j] < 0) continue;
    const shortint::Ciphertext& cur = a.blocks[static_cast<std::size_t>(src[j])];
    const long nbj = left ? static_cast<long>(j) - 1 : static_cast<long>(j) + 1;
    long nb_src = -1;
    if (rotate) {
      nb_src = src[static_cast<std::size_t>((nbj + static_cast<long>(n)) % static_cast<long>(n))];
    } else if (nbj >= 0 && nbj < static_cast<long>(n)) {
      nb_src = src[static_cast<std::size_t>(nbj)];
    }
    if (nb_src < 0) {
      packed.push_back(cur);
      luts.push_back(&alone);
    } else {
      packed.push_back(pack(a.blocks[static_cast<std::size_t>(nb_src)], cur));
      luts.push_back(&both);
    }
    where.push_back(j);
  }
  std::vector<shortint::Ciphertext> outs(packed.size());
  std::vector<Job> jobs;
  for (std::size_t i = 0; i < packed.size(); ++i) jobs.push_back({&packed[i], luts[i], &outs[i]});
  run(jobs);
  for (std::size_t i = 0; i < outs.size(); ++i) r.blocks[where[i]] = std::move(outs[i]);
  return r;
}

Ciphertext Engine::scalar_shl(const Ciphertext& a, const U256& s) {
  return shift_or_rotate(a, s, true, false);
}
Ciphertext Engine::scalar_shr(const Ciphertext& a, const U256& s) {
  return shift_or_rotate(a, s, false, false);
}
Ciphertext Engine::scalar_rotl(const Ciphertext& a, const U256& s) {
  return shift_or_rotate(a, s, true, true);
}
Ciphertext Engine::scalar_rotr(const Ciphertext& a, const U256& s) {
  return shift_or_rotate(a, s, false, true);
}

// ---------------------------------------------------------------------------------------------
// Shifts and rotations by an encrypted amount: a barrel shifter. Stage k moves by 2^k when bit k
// of the amount is set: r = bit_k ? move(r, 2^k) : r. Moves by whole blocks cost no PBS; the
// stage of 1 bit costs one PBS per block; each selection costs three per block.
// PBS for n blocks and s = ceil(log2(bits)) stages: n (amount bits) + n + 3 n s.
// ---------------------------------------------------------------------------------------------

std::vector<shortint::Ciphertext> Engine::low_bits(const Ciphertext& a, std::size_t count) {
  const ShortintParams& p = params();
  const std::size_t k = bits_per_block(p);
  const auto lut = shortint::make_many_lut(
      p, {[](uint64_t x) { return x & 1; }, [](uint64_t x) { return (x >> 1) & 1; }});
  std::vector<shortint::Ciphertext> bits;
  for (std::size_t i = 0; i * k < count && i < a.blocks.size(); ++i) {
    auto outs = pool_->evals[0]->apply_many_lut(a.blocks[i], lut);
    for (std::size_t j = 0; j < k && bits.size() < count; ++j) bits.push_back(std::move(outs[j]));
  }
  return bits;
}

Ciphertext Engine::barrel(const Ciphertext& a, const Ciphertext& amount, bool left, bool rotate) {
  check_same_type(a, amount, rotate ? "rotate" : "shift");
  check_uint(a, rotate ? "rotate" : "shift");
  const uint32_t bits = a.type.bits;
  std::size_t stages = 0;
  while ((uint64_t{1} << stages) < bits) ++stages;  // ceil(log2(bits))
  const std::vector<shortint::Ciphertext> amount_bits = low_bits(amount, stages);
  Ciphertext r = a;
  for (std::size_t st = 0; st < stages; ++st) {
    // 2^st < bits always; for uint160 the stages add up to 255: a shift by 160..255 shifts every
    // bit out (0) and a rotation wraps mod 160, as in TFHE-rs.
    const Ciphertext moved = shift_or_rotate(r, U256{uint64_t{1} << st}, left, rotate);
    r = if_then_else(Ciphertext{FheType::boolean(), {amount_bits[st]}}, moved, r);
  }
  return r;
}

Ciphertext Engine::shl(const Ciphertext& a, const Ciphertext& amount) {
  return barrel(a, amount, true, false);
}
Ciphertext Engine::shr(const Ciphertext& a, const Ciphertext& amount) {
  return barrel(a, amount, false, false);
}
Ciphertext Engine::rotl(const Ciphertext& a, const Ciphertext& amount) {
  return barrel(a, amount, true, true);
}
Ciphertext Engine::rotr(const Ciphertext& a, const Ciphertext& amount) {
  return barrel(a, amount, false, true);
}

// ---------------------------------------------------------------------------------------------
// Sum and IsIn
// ---------------------------------------------------------------------------------------------

// Pairwise additions. PBS: (k - 1) * n.
Ciphertext Engine::sum(const std::vector<Ciphertext>& values, FheType type) {
  if (type.is_bool) throw IntegerError("sum: not defined on bool");
  if (values.empty()) return trivial(params(), type, U256{});
  Ciphertext acc = values[0];
  if (!(acc.type == type))
    throw IntegerError("sum: operand of type " + acc.type.name() + ", expected " + type.name());
  for (std::size_t i = 1; i < values.size(); ++i) acc = add(acc, values[i]);
  if (values.size() == 1) check_uint(acc, "sum");
  return acc;
}

// value == set[i] for every i, then "any": not(all(not eq_i)).
Ciphertext Engine::is_in(const Ciphertext& value, const std::vector<Ciphertext>& set) {
  if (set.empty()) return trivial(params(), FheType::boolean(), U256{});
  std::vector<shortint::Ciphertext> differs;
  for (const Ciphertext& e : set) differs.push_back(compare(Cmp::Ne, value, e).blocks[0]);
  Ciphertext none{FheType::boolean(), {all_true(std::move(differs))}};
  return bitnot(none);
}

// ---------------------------------------------------------------------------------------------
// Casts
// ---------------------------------------------------------------------------------------------

Ciphertext Engine::cast(const Ciphertext& a, FheType to) {
  if (a.blocks.size() != a.type.num_blocks()) throw IntegerError("cast: malformed ciphertext");
  if (a.type == to) return a;
  const ShortintParams& p = params();
  if (to.is_bool) {
    // a != 0: per block (x == 0), all true, negated. PBS: n + all_true.
    const auto is_zero = shortint::make_lut(p, [](uint64_t x) { return x == 0 ? 1 : 0; });
    Ciphertext z{FheType::boolean(), {all_true(apply(a.blocks, is_zero))}};
    return bitnot(z);
  }
  Ciphertext r{to, {}};
  const std::size_t n = to.num_blocks();
  for (std::size_t i = 0; i < n; ++i) {
    r.blocks.push_back(i < a.blocks.size() ? a.blocks[i] : shortint::trivial(p, 0));
  }
  if (a.type.is_bool) r.blocks[0].degree = std::max<uint64_t>(r.blocks[0].degree, 1);
  return r;
}

}  // namespace fhe::integer
