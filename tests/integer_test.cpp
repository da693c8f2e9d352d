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
