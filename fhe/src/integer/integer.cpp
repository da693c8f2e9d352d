// Radix integers: client side, the engine's worker pool, and the operators
// (reference/tfhe-rs.md §4; algorithms and PBS counts are documented at each operator).
#include "fhe/integer.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <functional>
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

// ---- Inputs that use the padding bit ----
// The comparisons and the selection feed some PBS with a value known to lie in a fixed set of
// residues mod 2 * msg * carry (= 32) that reaches the upper half [16, 32), where the padding bit
// is set (a negative difference, or a value placed there on purpose). The blind rotation is
// negacyclic: an input x in [16, 32) reads -f(x - 16), and the centred boxes make this exact on
// both sides of every residue (0 and 16 included). Such a table is correct when f, written on
// [0, 16), gives the wanted output for every residue the algorithm can reach, the upper half
// included; each use states its reachable set and why f fits it. The noise level is bounded by
// max_noise_level as for any PBS input: the padding bit widens the value range, not the noise.
// (TFHE-rs's comparator uses the padding bit the same way: `x != 0` on a raw LWE difference.)

// A table given in half units of delta: f(x) * delta / 2 for x in [0, msg*carry). make_lut is
// linear in its values (boxes filled, then negated and rotated by half a box), so the table is
// the one of floor(f / 2) plus half of the one of (f mod 2), whose coefficients are 0 or +-delta.
shortint::LookupTable half_unit_lut(const ShortintParams& p,
                                    const std::function<int64_t(uint64_t)>& f, uint64_t degree) {
  shortint::LookupTable whole =
      shortint::make_lut(p, [&f](uint64_t x) { return static_cast<uint64_t>(f(x) >> 1); });
  const shortint::LookupTable odd =
      shortint::make_lut(p, [&f](uint64_t x) { return static_cast<uint64_t>(f(x) & 1); });
  uint64_t* body = whole.acc.poly(p.glwe_dimension);
  const uint64_t* half = odd.acc.poly(p.glwe_dimension);
  for (std::size_t j = 0; j < p.polynomial_size; ++j) {
    body[j] += static_cast<uint64_t>(static_cast<int64_t>(half[j]) >> 1);
  }
  whole.degree = degree;
  return whole;
}

// Adds c * delta / 2 to a ciphertext's body (no PBS; degree and noise level unchanged).
void add_half_units(const ShortintParams& p, shortint::Ciphertext& ct, int64_t c) {
  ct.ct.body() += static_cast<uint64_t>(c) * (p.delta() / 2);
}

// sum of coef * block, plus c_half * delta / 2, by plain LWE arithmetic: the input of a table that
// covers the residues it can reach (see above). Noise level: sum of |coef| * noise level. The
// degree marks the whole input space; it is not a bound of the value, which may use the padding
// bit.
struct Term {
  const shortint::Ciphertext* ct;
  int64_t coef;
};
shortint::Ciphertext padded_sum(const ShortintParams& p, const std::vector<Term>& terms,
                                int64_t c_half) {
  shortint::Ciphertext r;
  r.params = &p;
  r.ct = LweCiphertext(p.ciphertext_lwe_dimension());
  uint64_t noise = 0;
  for (const Term& t : terms) {
    const uint64_t k = static_cast<uint64_t>(t.coef);
    const auto& src = t.ct->ct.data;
    for (std::size_t j = 0; j < src.size(); ++j) r.ct.data[j] += k * src[j];
    noise += static_cast<uint64_t>(t.coef < 0 ? -t.coef : t.coef) * t.ct->noise_level;
  }
  add_half_units(p, r, c_half);
  r.noise_level = noise;
  r.degree = p.message_modulus * p.carry_modulus - 1;
  return r;
}

// The algorithms below that read blocks through the padding bit rely on clean operands: every
// block's value below message_modulus (bool: <= 1) and noise level <= 1.
void require_clean(const ShortintParams& p, const Ciphertext& a, const char* what) {
  const uint64_t max_degree = a.type.is_bool ? 1 : p.message_modulus - 1;
  for (const auto& b : a.blocks) {
    if (b.degree > max_degree || b.noise_level > 1) {
      throw IntegerError(std::string(what) + ": operand block of degree " +
                         std::to_string(b.degree) + " and noise level " +
                         std::to_string(b.noise_level) + " is not clean");
    }
  }
}

// A reduction tree over the blocks of a comparison: node covers the blocks [lo, lo + size); its
// own input is block lo (a raw difference, no PBS of its own), its children cover the blocks above
// it in contiguous runs, lowest first, as evenly as possible (the fewest levels for that fan-in).
// One node, hence one PBS, per block. height: 1 for a node without children.
struct TreeNode {
  std::size_t lo;
  std::vector<std::size_t> children;
  std::size_t height;
};
std::size_t build_tree(std::vector<TreeNode>& nodes, std::size_t lo, std::size_t size,
                       std::size_t fan_in) {
  const std::size_t id = nodes.size();
  nodes.push_back({lo, {}, 1});
  const std::size_t rest = size - 1;
  const std::size_t k = std::min(fan_in, rest);
  std::size_t start = lo + 1;
  for (std::size_t i = 0; i < k; ++i) {
    const std::size_t s = rest / k + (i < rest % k ? 1 : 0);
    const std::size_t c = build_tree(nodes, start, s, fan_in);
    nodes[id].children.push_back(c);
    nodes[id].height = std::max(nodes[id].height, nodes[c].height + 1);
    start += s;
  }
  return id;
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

  // Workers claim batches of `chunk` consecutive jobs.
  std::size_t chunk = 1;  // guarded by m (set before a generation starts)

  void work(std::size_t w) {
    std::vector<Job>& js = *jobs;
    for (std::size_t j = next.fetch_add(chunk); j < js.size(); j = next.fetch_add(chunk)) {
      try {
        const std::size_t count = std::min(chunk, js.size() - j);
        evals[w]->apply_lut_batch(std::span<const Job>(js.data() + j, count));
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
  // Batches of up to kMaxPbsBatch jobs, split evenly over the workers. Every job's output
  // depends only on its own input, so neither the split nor the thread count changes results.
  const std::size_t workers = p.evals.size();
  const std::size_t chunk =
      std::clamp<std::size_t>((jobs.size() + workers - 1) / workers, 1, shortint::kMaxPbsBatch);
  if (jobs.size() <= chunk || p.threads.empty()) {
    for (std::size_t j = 0; j < jobs.size(); j += chunk) {
      p.evals[0]->apply_lut_batch(
          std::span<const Job>(jobs.data() + j, std::min(chunk, jobs.size() - j)));
    }
    return;
  }
  {
    std::lock_guard<std::mutex> lock(p.m);
    p.jobs = &jobs;
    p.chunk = chunk;
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

// Comparisons: one PBS per block, on a tree of raw block differences (no per-block sign pass).
// Node of a tree (build_tree): its input is d = a_lo - b_lo (in [-3, 3], noise 2, a raw LWE
// difference) plus the outputs of its children (PBS outputs, noise 1 each), pre-scaled by their
// tables so that one sum decides the node; one PBS maps the sum to the node's output.
//
// Gt/Ge/Lt/Le (fan-in 2): a child's output is w * sign(its run), w = 4 for the lower child and 8
// for the upper, sign in {-1, 0, 1}. The sum s = d + 4 s1 + 8 s2 lies in [-15, 15] and its sign is
// the sign of the node's run, most significant first (|d| <= 3 < 4, |d + 4 s1| <= 7 < 8). Noise:
// 2 + 2 = 4. Table: f(0) = 0, f(1..15) = w, so the negative residues [17, 31] read -w (negacyclic).
// The root maps the sign to the boolean result through half units: f = result - 1/2 on [0, 16)
// (f(0) for "equal", f(1..15) for "greater"), so negative sums read 1/2 - result(greater), the
// result for "less" as it must be (less = not greater, for each operator, when not equal), and
// 1/2 is added back. PBS: n; depth: ceil(log2(n + 1)) (32 blocks: 32 PBS, depth 6).
//
// Eq/Ne (fan-in 3): a child's output is 0 if its run differs and -4 if it is equal; the node adds
// 4 per child, so the sum is d + (0 or 4 per child) in [-3, 15], zero iff the whole run is equal
// (no cancellation: |d| <= 3 < 4). Noise: 2 + 3 = 5. Inner table: f(0) = -4, else 0, so the
// negative residues [29, 31] read 0 (differs). The root: Eq f(0) = 1, else 0; Ne f(0) = -1, else
// 0, then +1. PBS: n; depth: ceil(log3(2n + 1)) (32 blocks: 32 PBS, depth 4; bool: 1 PBS).
Ciphertext Engine::compare(Cmp op, const Ciphertext& a, const Ciphertext& b) {
  check_same_type(a, b, "compare");
  const bool equality = op == Cmp::Eq || op == Cmp::Ne;
  if (!equality) check_uint(a, "compare");
  const ShortintParams& p = params();
  require_clean(p, a, "compare");
  require_clean(p, b, "compare");
  const std::size_t n = a.blocks.size();
  std::vector<TreeNode> nodes;
  const std::size_t root = build_tree(nodes, 0, n, equality ? 3 : 2);

  // Tables (half units) and the constant each node adds to its input. Inner outputs are signed
  // and feed only the parent's sum: their degree marks the whole space, not a bound.
  const uint64_t signed_degree = p.message_modulus * p.carry_modulus - 1;
  const int64_t eq_child_offset = 4;
  std::vector<shortint::LookupTable> inner;  // ordering: by child slot (weight 4, 8); eq: one
  shortint::LookupTable root_lut;
  int64_t root_add = 0;  // half units added to the root's output
  if (equality) {
    inner.push_back(half_unit_lut(
        p, [](uint64_t x) -> int64_t { return x == 0 ? -8 : 0; }, signed_degree));
    const int64_t hit = op == Cmp::Eq ? 2 : -2;
    root_lut = half_unit_lut(
        p, [hit](uint64_t x) -> int64_t { return x == 0 ? hit : 0; }, 1);
    root_add = op == Cmp::Eq ? 0 : 2;
  } else {
    for (int64_t w : {4, 8}) {
      inner.push_back(half_unit_lut(
          p, [w](uint64_t x) -> int64_t { return x == 0 ? 0 : 2 * w; }, signed_degree));
    }
    // result - 1/2 in half units, for "equal" and for "greater".
    const bool if_equal = op == Cmp::Ge || op == Cmp::Le;
    const bool if_greater = op == Cmp::Gt || op == Cmp::Ge;
    const int64_t at_zero = if_equal ? 1 : -1;
    const int64_t above = if_greater ? 1 : -1;
    root_lut = half_unit_lut(
        p, [at_zero, above](uint64_t x) -> int64_t { return x == 0 ? at_zero : above; }, 1);
    root_add = 1;
  }

  // Slot of each node in its parent (its table), then the levels, lowest first.
  std::vector<std::size_t> slot(nodes.size(), 0);
  for (const TreeNode& node : nodes) {
    for (std::size_t k = 0; k < node.children.size(); ++k) slot[node.children[k]] = k;
  }
  std::vector<shortint::Ciphertext> out(nodes.size());
  for (std::size_t h = 1; h <= nodes[root].height; ++h) {
    std::vector<std::size_t> ids;
    for (std::size_t id = 0; id < nodes.size(); ++id) {
      if (nodes[id].height == h) ids.push_back(id);
    }
    std::vector<shortint::Ciphertext> inputs;
    std::vector<Job> jobs;
    inputs.reserve(ids.size());
    for (std::size_t id : ids) {
      const TreeNode& node = nodes[id];
      std::vector<Term> terms = {{&a.blocks[node.lo], 1}, {&b.blocks[node.lo], -1}};
      for (std::size_t c : node.children) terms.push_back({&out[c], 1});
      const int64_t offset =
          equality ? 2 * eq_child_offset * static_cast<int64_t>(node.children.size()) : 0;
      inputs.push_back(padded_sum(p, terms, offset));
    }
    for (std::size_t k = 0; k < ids.size(); ++k) {
      const std::size_t id = ids[k];
      const shortint::LookupTable* lut = id == root ? &root_lut : &inner[equality ? 0 : slot[id]];
      jobs.push_back({&inputs[k], lut, &out[id]});
    }
    run(jobs);
  }
  shortint::Ciphertext r = std::move(out[root]);
  add_half_units(p, r, root_add);
  r.degree = 1;
  return {FheType::boolean(), {std::move(r)}};
}

// min/max: one comparison, then a selection. PBS: n + 2n; depth: ceil(log2(n + 1)) + 2.
Ciphertext Engine::min(const Ciphertext& a, const Ciphertext& b) {
  return if_then_else(compare(Cmp::Lt, a, b), a, b);
}

Ciphertext Engine::max(const Ciphertext& a, const Ciphertext& b) {
  return if_then_else(compare(Cmp::Gt, a, b), a, b);
}

// cond ? a : b, two PBS per block, the second one giving the clean result (noise 1).
// 1. t_i = T(4 cond + b_i) (a bivariate input: degree 7, noise 5): cond = 1 gives 2; cond = 0
//    gives b_i for b_i in {0, 1} and 16 + (3 - b_i) for b_i in {2, 3} (17 and 16: upper half).
// 2. x_i = 4 a_i + t_i (noise 5), residues mod 32:
//      cond = 0: 4 a_i + {0, 1} (b = 0, 1) and 4 a_i + {16, 17} (b = 3, 2);
//      cond = 1: 4 a_i + 2.
//    F on [0, 16), in half units F = r - 3/2: r = 0 at x = 0 mod 4, r = 1 at x = 1 mod 4,
//    r = x / 4 at x = 2 mod 4 (x = 3 mod 4 is never reached, nor its upper twin). The upper
//    residues 4 a + 16 and 4 a + 17 read -F(4 a) = 3/2 and -F(4 a + 1) = 1/2, that is r = 3 and
//    r = 2 once 3/2 is added back: b in every case. The result is a PBS output (noise 1) plus a
//    constant: degree 3 (bool: 1).
// (Within [0, 16) alone this does not fit: with a_i in the input, cond = 0 takes all 16 residues
// (every (a_i, b_i), read as b_i) and cond = 1 needs 4 more; hence the classic 3 PBS per block,
// (cond ? a_i : 0) + (cond ? 0 : b_i) then a cleaning PBS for the sum's noise level 2.)
// PBS: 2 per block; depth 2.
Ciphertext Engine::if_then_else(const Ciphertext& cond, const Ciphertext& a, const Ciphertext& b) {
  if (!cond.type.is_bool || cond.blocks.size() != 1) {
    throw IntegerError("if_then_else: the condition must be a bool, not " + cond.type.name());
  }
  check_same_type(a, b, "if_then_else");
  const ShortintParams& p = params();
  require_clean(p, cond, "if_then_else");
  require_clean(p, a, "if_then_else");
  require_clean(p, b, "if_then_else");
  const std::size_t n = a.blocks.size();
  // t_i's values 16 and 17 use the padding bit; t_i only feeds x_i: its degree marks the whole
  // space.
  auto t_lut = shortint::make_lut(
      p, [](uint64_t y) -> uint64_t { return y >= 4 ? 2 : (y < 2 ? y : 16 + (3 - y)); });
  t_lut.degree = p.message_modulus * p.carry_modulus - 1;
  const auto f_lut = half_unit_lut(
      p,
      [](uint64_t x) -> int64_t {
        const int64_t r = x % 4 == 1 ? 1 : (x % 4 == 2 ? static_cast<int64_t>(x / 4) : 0);
        return 2 * r - 3;
      },
      0);
  std::vector<shortint::Ciphertext> packed;
  for (std::size_t i = 0; i < n; ++i) packed.push_back(pack(cond.blocks[0], b.blocks[i]));
  const std::vector<shortint::Ciphertext> t = apply(packed, t_lut);
  std::vector<shortint::Ciphertext> xs;
  for (std::size_t i = 0; i < n; ++i)
    xs.push_back(padded_sum(p, {{&a.blocks[i], 4}, {&t[i], 1}}, 0));
  Ciphertext r{a.type, apply(xs, f_lut)};
  for (auto& blk : r.blocks) {
    add_half_units(p, blk, 3);
    blk.degree = a.type.is_bool ? 1 : p.message_modulus - 1;
  }
  return r;
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
// PBS for n blocks: n (bits of a) + bits * 4 (n + 1) + n (quotient blocks). A trivial block of
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
  // The table's degree is its largest value over every input: `cur % msg` keeps the right
  // shift's degree within the message (a clean block is below msg anyway).
  const auto alone =
      left ? shortint::make_lut(p, [msg, w](uint64_t cur) { return (cur << w) % msg; })
           : shortint::make_lut(p, [msg, w](uint64_t cur) { return (cur % msg) >> w; });
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
// stage of 1 bit costs one PBS per block; each selection costs two per block.
// PBS for n blocks and s = ceil(log2(bits)) stages: n (amount bits) + n + 2 n s.
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
