// Conformance of the encrypted-integer operators against the plain reference (integer_ref.h):
// a data-driven table of operator x type x (encrypted | scalar right-hand side) x edge values
// (0, 1, max, max-1, random). The toy set runs every type with a few value pairs per operator
// (label toy; multiplication on one pair above 32 bits), or every pair with FHE_CONFORMANCE=full;
// the real set runs a representative subset (label real). Random values print their seed.
#include "fhe/integer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "fhe/keys.h"
#include "integer_ref.h"
#include "test_util.h"

namespace fhe {

// Test names and CTest names show the type ("uint16"), not its bytes.
void PrintTo(const FheType& t, std::ostream* os) {
  *os << t.name();
}

namespace {

using integer::Cmp;
using integer::Engine;
using CT = integer::Ciphertext;

enum class Kind { Binary, Unary, Select, Cast, ScalarShift, EncShift, List };

// One operator: how to run it, what the reference says, on which types.
struct OpRow {
  const char* name;
  Kind kind;
  bool on_bool;
  bool on_uint;
  bool quadratic;  // cost grows with n^2: fewer pairs on wide types unless FHE_CONFORMANCE=full
  std::function<CT(Engine&, const CT&, const CT&)> run;
  std::function<U256(FheType, const U256&, const U256&)> expect;
};

std::vector<OpRow> op_table() {
  auto cmp_row = [](const char* name, Cmp op, bool on_bool) {
    return OpRow{
        name,
        Kind::Binary,
        on_bool,
        true,
        false,
        [op](Engine& e, const CT& a, const CT& b) { return e.compare(op, a, b); },
        [op](FheType, const U256& a, const U256& b) { return test::ref::compare(op, a, b); }};
  };
  return {
      {"add", Kind::Binary, false, true, false,
       [](Engine& e, const CT& a, const CT& b) { return e.add(a, b); }, test::ref::add},
      {"sub", Kind::Binary, false, true, false,
       [](Engine& e, const CT& a, const CT& b) { return e.sub(a, b); }, test::ref::sub},
      {"bitand", Kind::Binary, true, true, false,
       [](Engine& e, const CT& a, const CT& b) { return e.bitand_(a, b); }, test::ref::bitand_},
      {"bitor", Kind::Binary, true, true, false,
       [](Engine& e, const CT& a, const CT& b) { return e.bitor_(a, b); }, test::ref::bitor_},
      {"bitxor", Kind::Binary, true, true, false,
       [](Engine& e, const CT& a, const CT& b) { return e.bitxor_(a, b); }, test::ref::bitxor_},
      cmp_row("eq", Cmp::Eq, true),
      cmp_row("ne", Cmp::Ne, true),
      cmp_row("gt", Cmp::Gt, false),
      cmp_row("ge", Cmp::Ge, false),
      cmp_row("lt", Cmp::Lt, false),
      cmp_row("le", Cmp::Le, false),
      {"min", Kind::Binary, false, true, false,
       [](Engine& e, const CT& a, const CT& b) { return e.min(a, b); },
       [](FheType, const U256& a, const U256& b) { return test::ref::min(a, b); }},
      {"max", Kind::Binary, false, true, false,
       [](Engine& e, const CT& a, const CT& b) { return e.max(a, b); },
       [](FheType, const U256& a, const U256& b) { return test::ref::max(a, b); }},
      {"neg", Kind::Unary, false, true, false,
       [](Engine& e, const CT& a, const CT&) { return e.neg(a); },
       [](FheType t, const U256& a, const U256&) { return test::ref::neg(t, a); }},
      {"not", Kind::Unary, true, true, false,
       [](Engine& e, const CT& a, const CT&) { return e.bitnot(a); },
       [](FheType t, const U256& a, const U256&) { return test::ref::bitnot(t, a); }},
      {"mul", Kind::Binary, false, true, true,
       [](Engine& e, const CT& a, const CT& b) { return e.mul(a, b); }, test::ref::mul},
      {"div", Kind::Binary, false, true, true,
       [](Engine& e, const CT& a, const CT& b) { return e.div(a, b); }, test::ref::div},
      {"rem", Kind::Binary, false, true, true,
       [](Engine& e, const CT& a, const CT& b) { return e.rem(a, b); }, test::ref::rem},
      {"shl", Kind::ScalarShift, false, true, false, nullptr, test::ref::shl},
      {"shr", Kind::ScalarShift, false, true, false, nullptr, test::ref::shr},
      {"rotl", Kind::ScalarShift, false, true, false, nullptr, test::ref::rotl},
      {"rotr", Kind::ScalarShift, false, true, false, nullptr, test::ref::rotr},
      {"shl (encrypted amount)", Kind::EncShift, false, true, false,
       [](Engine& e, const CT& a, const CT& b) { return e.shl(a, b); }, test::ref::shl_enc},
      {"shr (encrypted amount)", Kind::EncShift, false, true, false,
       [](Engine& e, const CT& a, const CT& b) { return e.shr(a, b); }, test::ref::shr_enc},
      {"rotl (encrypted amount)", Kind::EncShift, false, true, false,
       [](Engine& e, const CT& a, const CT& b) { return e.rotl(a, b); }, test::ref::rotl_enc},
      {"rotr (encrypted amount)", Kind::EncShift, false, true, false,
       [](Engine& e, const CT& a, const CT& b) { return e.rotr(a, b); }, test::ref::rotr_enc},
      {"if_then_else", Kind::Select, true, true, false, nullptr, nullptr},
      {"cast", Kind::Cast, true, true, false, nullptr, nullptr},
      {"sum", Kind::List, false, true, false, nullptr, nullptr},
      {"is_in", Kind::List, false, true, false, nullptr, nullptr},
  };
}

const FheType kAllTypes[] = {FheType::boolean(), FheType::uint(2),   FheType::uint(4),
                             FheType::uint(8),   FheType::uint(16),  FheType::uint(32),
                             FheType::uint(64),  FheType::uint(128), FheType::uint(160),
                             FheType::uint(256)};

// Edge values of a type: 0, 1, max, max-1 and two random ones.
std::vector<U256> edge_values(FheType t, Csprng& rng) {
  if (t.is_bool) return {U256{0}, U256{1}};
  U256 r1, r2;
  for (auto& w : r1.w) w = rng.next_u64();
  for (auto& w : r2.w) w = rng.next_u64();
  const U256 m = test::ref::max_value(t);
  return {U256{0}, U256{1}, m, m - U256{1}, r1.truncate(t.bits), r2.truncate(t.bits)};
}

// The value pairs an operator is run on: every pair in full mode, else a fixed selection that
// still covers 0, 1, max, max-1 and the random values on both sides (above 64 bits, where every
// PBS step is long, three of them: random, max/max-1 and 0/max).
std::vector<std::pair<U256, U256>> value_pairs(const std::vector<U256>& v, bool full, bool wide) {
  std::vector<std::pair<U256, U256>> out;
  if (full || v.size() <= 2) {
    for (const auto& a : v)
      for (const auto& b : v) out.push_back({a, b});
    return out;
  }
  // indices: 0 zero, 1 one, 2 max, 3 max-1, 4 r1, 5 r2
  const int sel[][2] = {{4, 5}, {2, 3}, {0, 2}, {3, 2}, {1, 1}};
  for (std::size_t i = 0; i < (wide ? 3 : 5); ++i) {
    out.push_back({v[static_cast<std::size_t>(sel[i][0])], v[static_cast<std::size_t>(sel[i][1])]});
  }
  return out;
}

struct Keys {
  ClientKey ck;
  ServerKey sk;
};

const Keys& keys_for(const ShortintParams& p) {
  static Keys* toy = nullptr;
  static Keys* real = nullptr;
  Keys*& k = (&p == &kToyInsecure) ? toy : real;
  if (!k) {
    allow_insecure(true);
    k = new Keys{generate_client_key(p, 61), {}};
    k->sk = generate_server_key(k->ck, 62);
  }
  return *k;
}

// Runs every operator of the table on one type and checks each result against the reference.
void run_conformance(const ShortintParams& p, FheType t, bool full,
                     const std::vector<std::string>& only) {
  const Keys& k = keys_for(p);
  Engine e(k.sk, 2);
  Csprng rng(test::test_seed(63 + t.bits)), mask(64 + t.bits), noise(65 + t.bits);
  const auto values = edge_values(t, rng);
  const auto pairs = value_pairs(values, full, t.bits > 64);
  auto enc = [&](FheType ty, const U256& v) { return integer::encrypt(k.ck, ty, v, mask, noise); };
  auto dec = [&](const CT& c) { return integer::decrypt(k.ck, c); };
  int checked = 0;
  for (const OpRow& op : op_table()) {
    if (!only.empty() && std::find(only.begin(), only.end(), op.name) == only.end()) continue;
    if (t.is_bool ? !op.on_bool : !op.on_uint) continue;
    const bool division = std::string(op.name) == "div" || std::string(op.name) == "rem";
    // Division costs bits x blocks: by default one pair and a zero divisor (encrypted), up to
    // 32 bits; FHE_CONFORMANCE=full runs every pair on every type.
    if (division && !full && t.bits > 32) continue;
    const bool reduced = !full && ((op.quadratic && t.bits > 32) || division);
    auto op_pairs = pairs;
    if (division) op_pairs.push_back({values[2], U256{0}});  // division by zero
    for (std::size_t pi = 0; pi < op_pairs.size(); ++pi) {
      if (reduced && pi > 0 && !(division && pi + 1 == op_pairs.size())) continue;
      const auto& [va, vb] = op_pairs[pi];
      const CT a = enc(t, va);
      const std::string where =
          std::string(op.name) + " " + t.name() + " a=" + va.to_string() + " b=" + vb.to_string();
      switch (op.kind) {
        case Kind::Binary:
          for (bool scalar : {false, true}) {
            if (scalar && reduced) continue;
            const CT b = scalar ? e.scalar(a, vb) : enc(t, vb);
            const CT r = op.run(e, a, b);
            ASSERT_EQ(dec(r), op.expect(t, va, vb)) << where << (scalar ? " (scalar)" : "");
            ++checked;
          }
          break;
        case Kind::Unary:
          if (pi > 0 && op_pairs[pi - 1].first == va) break;  // once per value
          ASSERT_EQ(dec(op.run(e, a, a)), op.expect(t, va, va)) << where;
          ++checked;
          break;
        case Kind::Select: {
          const U256 cond{pi % 2};
          const CT r = e.if_then_else(enc(FheType::boolean(), cond), a, enc(t, vb));
          ASSERT_EQ(dec(r), test::ref::if_then_else(cond, va, vb)) << where << " cond=" << pi % 2;
          ++checked;
          break;
        }
        case Kind::ScalarShift: {
          if (pi > 0 && op_pairs[pi - 1].first == va) break;
          // Amounts inside, at and beyond the width (and a wide random one).
          const U256 amounts[] = {U256{1},
                                  U256{t.bits / 2 + 1},
                                  U256{t.bits - 1},
                                  U256{t.bits},
                                  U256{t.bits + 1},
                                  U256{2 * t.bits + 3},
                                  vb};
          for (const U256& s : amounts) {
            CT r;
            if (std::string(op.name) == "shl") r = e.scalar_shl(a, s);
            if (std::string(op.name) == "shr") r = e.scalar_shr(a, s);
            if (std::string(op.name) == "rotl") r = e.scalar_rotl(a, s);
            if (std::string(op.name) == "rotr") r = e.scalar_rotr(a, s);
            ASSERT_EQ(dec(r), op.expect(t, va, s)) << where << " amount=" << s.to_string();
            ++checked;
          }
          break;
        }
        case Kind::EncShift: {
          if (pi > 0) break;  // once per type, on the amounts below
          // Amounts inside, at and beyond the width, reduced to the type (encrypted like a).
          // Above 32 bits (without FHE_CONFORMANCE=full) one amount beyond the width: each
          // costs log2(bits) selections of the whole value.
          std::vector<U256> amounts = {U256{t.bits + 3}};
          if (full || t.bits <= 32) {
            amounts = {U256{1},          U256{t.bits - 1},     U256{t.bits},
                       U256{t.bits + 3}, U256{2 * t.bits + 1}, vb};
          }
          for (const U256& amt : amounts) {
            const U256 s = test::ref::reduce(t, amt);
            const CT r = op.run(e, a, enc(t, s));
            ASSERT_EQ(dec(r), op.expect(t, va, s)) << where << " amount=" << s.to_string();
            ++checked;
          }
          break;
        }
        case Kind::List: {
          if (pi > 0) break;  // once per type: 0, 1 and several operands
          std::vector<U256> vals(values.begin(), values.end());
          for (std::size_t count : {std::size_t{0}, std::size_t{1}, std::size_t{3}}) {
            std::vector<CT> cts;
            for (std::size_t i = 0; i < count; ++i)
              cts.push_back(enc(t, vals[(i + 2) % vals.size()]));
            if (std::string(op.name) == "sum") {
              U256 want;
              for (std::size_t i = 0; i < count; ++i)
                want = test::ref::add(t, want, vals[(i + 2) % vals.size()]);
              ASSERT_EQ(dec(e.sum(cts, t)), want) << where << " count=" << count;
            } else {
              for (const U256& probe : {vals[2], vals[0]}) {
                bool found = false;
                for (std::size_t i = 0; i < count; ++i)
                  found |= vals[(i + 2) % vals.size()] == probe;
                const CT r = e.is_in(enc(t, probe), cts);
                ASSERT_EQ(r.type, FheType::boolean());
                ASSERT_EQ(dec(r), test::ref::boolean(found))
                    << where << " count=" << count << " probe=" << probe.to_string();
              }
            }
            ++checked;
          }
          break;
        }
        case Kind::Cast:
          if (pi > 0 && op_pairs[pi - 1].first == va) break;
          for (FheType to : kAllTypes) {
            if (!full && !to.is_bool && to.bits != 8 && to.bits != 64 && to.bits != 256 &&
                to.bits != t.bits)
              continue;
            const CT r = e.cast(a, to);
            ASSERT_EQ(r.type, to);
            ASSERT_EQ(dec(r), test::ref::cast(t, to, va)) << where << " to " << to.name();
            ++checked;
          }
          break;
      }
    }
  }
  std::printf("[conformance] %s %s: %d checks, %llu PBS\n", std::string(p.name).c_str(),
              t.name().c_str(), checked, static_cast<unsigned long long>(e.pbs_count()));
}

bool full_mode() {
  const char* e = std::getenv("FHE_CONFORMANCE");
  return e != nullptr && std::string(e) == "full";
}

class ToyConformance : public ::testing::TestWithParam<FheType> {};

TEST_P(ToyConformance, EveryOperator) {
  run_conformance(kToyInsecure, GetParam(), full_mode(), {});
}

INSTANTIATE_TEST_SUITE_P(Types, ToyConformance, ::testing::ValuesIn(kAllTypes),
                         [](const auto& p) { return p.param.name(); });

// Real parameters: bool, uint8 and uint64 with the default value pairs, every operator.
class RealConformance : public ::testing::TestWithParam<FheType> {};

TEST_P(RealConformance, EveryOperator) {
  run_conformance(kFhevmCompute, GetParam(), false, {});
}

INSTANTIATE_TEST_SUITE_P(Types, RealConformance,
                         ::testing::Values(FheType::boolean(), FheType::uint(8)),
                         [](const auto& p) { return p.param.name(); });

TEST(IntegerEngine, ResultsDoNotDependOnTheThreadCount) {
  const Keys& k = keys_for(kToyInsecure);
  Csprng mask(test::test_seed(70)), noise(71);
  const FheType t = FheType::uint(16);
  const CT a = integer::encrypt(k.ck, t, U256{54321}, mask, noise);
  const CT b = integer::encrypt(k.ck, t, U256{1234}, mask, noise);
  std::vector<std::vector<uint64_t>> outputs;
  for (unsigned threads : {1u, 2u, 3u}) {
    Engine e(k.sk, threads);
    const CT r = e.if_then_else(e.compare(Cmp::Gt, a, b), e.sub(a, b), e.add(a, b));
    EXPECT_EQ(integer::decrypt(k.ck, r), U256{54321 - 1234});
    std::vector<uint64_t> bytes;
    for (const auto& blk : r.blocks)
      bytes.insert(bytes.end(), blk.ct.data.begin(), blk.ct.data.end());
    outputs.push_back(bytes);
  }
  EXPECT_EQ(outputs[0], outputs[1]);
  EXPECT_EQ(outputs[0], outputs[2]);
}

// A radix value from its 2-bit blocks, least significant first.
U256 from_blocks(const std::vector<uint64_t>& blocks) {
  U256 v;
  for (std::size_t i = blocks.size(); i-- > 0;) v = (v << 2) | U256{blocks[i]};
  return v;
}

// Every block of a result holds exactly its message: nothing in the carries or the padding bit,
// degree within the message (bool: 1), noise level 1.
void expect_clean(const ClientKey& ck, const CT& r, const std::string& where) {
  const uint64_t max_degree = r.type.is_bool ? 1 : 3;
  for (std::size_t i = 0; i < r.blocks.size(); ++i) {
    const auto& blk = r.blocks[i];
    EXPECT_LE(blk.degree, max_degree) << where << " block " << i;
    EXPECT_EQ(blk.noise_level, 1u) << where << " block " << i;
    EXPECT_LE(shortint::decrypt_message_and_carry(ck, blk), max_degree) << where << " block " << i;
  }
}

// The comparison trees on uint8 (4 blocks): every pattern of per-block orderings (less, equal,
// greater for each block, 81 patterns) with random block values; each ordering operator and
// each of eq/ne in turn.
TEST(IntegerEngine, ComparisonsOnEveryPatternOfBlockOrderings) {
  const Keys& k = keys_for(kToyInsecure);
  Engine e(k.sk, 2);
  Csprng rng(test::test_seed(72)), mask(73), noise(74);
  const FheType t = FheType::uint(8);
  const Cmp orderings[] = {Cmp::Gt, Cmp::Ge, Cmp::Lt, Cmp::Le};
  for (int pattern = 0; pattern < 81; ++pattern) {
    std::vector<uint64_t> av(4), bv(4);
    int rest = pattern;
    for (std::size_t i = 0; i < 4; ++i, rest /= 3) {
      const int rel = rest % 3;  // 0 less, 1 equal, 2 greater
      uint64_t x = rng.next_u64() % 4;
      uint64_t y = rng.next_u64() % 4;
      if (rel == 1) y = x;
      if (rel != 1 && x == y) {
        if (x == 3) {
          --y;
        } else {
          ++x;
        }
      }
      if (rel != 1 && (rel == 0) != (x < y)) std::swap(x, y);
      av[i] = x;
      bv[i] = y;
    }
    const U256 va = from_blocks(av), vb = from_blocks(bv);
    const CT a = integer::encrypt(k.ck, t, va, mask, noise);
    const CT b = integer::encrypt(k.ck, t, vb, mask, noise);
    for (Cmp op : {orderings[pattern % 4], pattern % 2 ? Cmp::Ne : Cmp::Eq}) {
      const std::string where = "pattern " + std::to_string(pattern) + " a=" + va.to_string() +
                                " b=" + vb.to_string() + " op " +
                                std::to_string(static_cast<int>(op));
      const CT r = e.compare(op, a, b);
      EXPECT_EQ(integer::decrypt(k.ck, r), test::ref::compare(op, va, vb)) << where;
      expect_clean(k.ck, r, where);
    }
  }
}

// uint64 (32 blocks, the deepest trees of the default widths): values that differ in one block
// only (at the ends and in the middle of the tree, both ways) and equal values.
TEST(IntegerEngine, ComparisonsFindTheDifferingBlockOfUint64) {
  const Keys& k = keys_for(kToyInsecure);
  Engine e(k.sk, 2);
  Csprng rng(test::test_seed(75)), mask(76), noise(77);
  const FheType t = FheType::uint(64);
  std::vector<uint64_t> base(32);
  for (auto& x : base) x = rng.next_u64() % 4;
  // (a block, b block) at the differing position: less, equal (both from base), greater.
  const int64_t pairs[3][2] = {{0, 2}, {-1, -1}, {3, 1}};
  for (std::size_t pos : {std::size_t{0}, std::size_t{1}, std::size_t{16}, std::size_t{31}}) {
    for (const auto& pr : pairs) {
      std::vector<uint64_t> av = base, bv = base;
      if (pr[0] >= 0) {
        av[pos] = static_cast<uint64_t>(pr[0]);
        bv[pos] = static_cast<uint64_t>(pr[1]);
      }
      const U256 va = from_blocks(av), vb = from_blocks(bv);
      const CT a = integer::encrypt(k.ck, t, va, mask, noise);
      const CT b = integer::encrypt(k.ck, t, vb, mask, noise);
      for (Cmp op : {Cmp::Ge, Cmp::Lt, Cmp::Eq}) {
        const std::string where = "pos " + std::to_string(pos) + " a=" + va.to_string() +
                                  " b=" + vb.to_string() + " op " +
                                  std::to_string(static_cast<int>(op));
        const CT r = e.compare(op, a, b);
        EXPECT_EQ(integer::decrypt(k.ck, r), test::ref::compare(op, va, vb)) << where;
        expect_clean(k.ck, r, where);
      }
    }
  }
}

// The selection on every (condition, a block, b block) combination, uint8 and bool; results
// are clean.
TEST(IntegerEngine, SelectionOnEveryBlockCombination) {
  const Keys& k = keys_for(kToyInsecure);
  Engine e(k.sk, 2);
  Csprng mask(test::test_seed(78)), noise(79);
  const FheType t = FheType::uint(8);
  for (uint64_t group = 0; group < 4; ++group) {
    std::vector<uint64_t> av(4), bv(4);
    for (uint64_t i = 0; i < 4; ++i) {
      av[i] = group;  // block i: the pair (group, i)
      bv[i] = i;
    }
    const U256 va = from_blocks(av), vb = from_blocks(bv);
    for (uint64_t c : {0u, 1u}) {
      const CT r = e.if_then_else(integer::encrypt(k.ck, FheType::boolean(), U256{c}, mask, noise),
                                  integer::encrypt(k.ck, t, va, mask, noise),
                                  integer::encrypt(k.ck, t, vb, mask, noise));
      const std::string where =
          "cond=" + std::to_string(c) + " a=" + va.to_string() + " b=" + vb.to_string();
      EXPECT_EQ(integer::decrypt(k.ck, r), c ? va : vb) << where;
      expect_clean(k.ck, r, where);
    }
  }
  for (uint64_t combo = 0; combo < 8; ++combo) {
    const uint64_t c = combo >> 2, x = (combo >> 1) & 1, y = combo & 1;
    auto enc = [&](uint64_t v) {
      return integer::encrypt(k.ck, FheType::boolean(), U256{v}, mask, noise);
    };
    const CT r = e.if_then_else(enc(c), enc(x), enc(y));
    const std::string where = "bool combo " + std::to_string(combo);
    EXPECT_EQ(integer::decrypt(k.ck, r), U256{c ? x : y}) << where;
    expect_clean(k.ck, r, where);
  }
}

// The PBS counts documented in integer.cpp (FheUint64, 32 blocks).
TEST(IntegerEngine, PbsCountsOfTheTransferOperators) {
  const Keys& k = keys_for(kToyInsecure);
  Engine e(k.sk, 2);
  const FheType t = FheType::uint(64);
  const CT a = integer::trivial(kToyInsecure, t, U256{1000000});
  const CT b = integer::trivial(kToyInsecure, t, U256{2500});
  const CT c = integer::trivial(kToyInsecure, FheType::boolean(), U256{1});
  auto count = [&](const std::function<CT()>& f) {
    const uint64_t before = e.pbs_count();
    (void)f();
    return e.pbs_count() - before;
  };
  EXPECT_EQ(count([&] { return e.add(a, b); }), 32u);
  EXPECT_EQ(count([&] { return e.sub(a, b); }), 32u);
  EXPECT_EQ(count([&] { return e.compare(Cmp::Ge, a, b); }), 32u);
  EXPECT_EQ(count([&] { return e.compare(Cmp::Eq, a, b); }), 32u);
  EXPECT_EQ(count([&] { return e.if_then_else(c, a, b); }), 64u);
}

TEST(IntegerEngine, RejectsMismatchedTypes) {
  const Keys& k = keys_for(kToyInsecure);
  Engine e(k.sk, 1);
  const CT a = integer::trivial(kToyInsecure, FheType::uint(8), U256{1});
  const CT b = integer::trivial(kToyInsecure, FheType::uint(16), U256{1});
  const CT c = integer::trivial(kToyInsecure, FheType::boolean(), U256{1});
  EXPECT_THROW(e.add(a, b), integer::IntegerError);
  EXPECT_THROW(e.add(c, c), integer::IntegerError);
  EXPECT_THROW(e.compare(Cmp::Gt, c, c), integer::IntegerError);
  EXPECT_THROW(e.if_then_else(a, a, a), integer::IntegerError);
}

}  // namespace
}  // namespace fhe
