// The FHE side of the tfhe-worker on the toy set: operator dispatch from `computations` rows
// (scalar decoding, type checks, errors), re-randomized execution, the ct64 storage form, and the
// dataflow plan (ordering, pruning, cross-transaction edges, cycles).
#include <gtest/gtest.h>

#include "coprocessor/dfg.h"
#include "coprocessor/executor.h"
#include "coprocessor/fhe_ops.h"
#include "coprocessor/storage.h"
#include "coprocessor/workload.h"
#include "fhe/keys.h"
#include "test_util.h"

namespace coproc {
namespace {

using fhe::FheType;
using fhe::U256;
using CT = fhe::integer::Ciphertext;

struct Keys {
  fhe::ClientKey ck;
  fhe::ServerKey sk;
};

const Keys& keys() {
  static Keys* k = [] {
    fhe::allow_insecure(true);
    auto* x = new Keys{fhe::generate_client_key(fhe::kToyInsecure, 91), {}};
    fhe::Csprng secret(92);
    fhe::add_meta_keys(x->ck, secret);
    x->sk = fhe::generate_server_key(x->ck, 93);
    return x;
  }();
  return *k;
}

Bytes be(const U256& v, std::size_t n = 32) {
  Bytes out(n);
  for (std::size_t i = 0; i < n && i < 32; ++i)
    out[n - 1 - i] = static_cast<uint8_t>(v.w[i / 8] >> (8 * (i % 8)));
  return out;
}

Operand enc(FheType t, uint64_t v) {
  static fhe::Csprng mask(1), noise(2);
  return Operand{fhe::integer::encrypt(keys().ck, t, U256{v}, mask, noise), {}};
}
Operand scalar(Bytes b) {
  return Operand{std::nullopt, std::move(b)};
}
U256 dec(const CT& c) {
  return fhe::integer::decrypt(keys().ck, c);
}

TEST(CoprocOps, BinaryEncryptedAndScalarWithTruncation) {
  fhe::integer::Engine e(keys().sk);
  const FheType u8 = FheType::uint(8);
  EXPECT_EQ(dec(execute(e, 0, {enc(u8, 200), enc(u8, 100)}, u8, false)), U256{44});
  // A 32-byte scalar is truncated to the operand's width: 0x...0105 -> 5.
  EXPECT_EQ(dec(execute(e, 1, {enc(u8, 7), scalar(be(U256{0x105}))}, u8, false)), U256{2});
  EXPECT_EQ(dec(execute(e, 14, {enc(u8, 7), scalar(be(U256{7}))}, FheType::boolean(), false)),
            U256{1});
  EXPECT_EQ(dec(execute(e, 8, {enc(u8, 3), scalar(be(U256{9}))}, u8, false)), U256{6});  // 9 mod 8
  // Bool: bitwise and equality only; a bool scalar is "any byte set".
  const FheType b = FheType::boolean();
  EXPECT_EQ(dec(execute(e, 5, {enc(b, 1), scalar(be(U256{256}))}, b, false)), U256{1});
  EXPECT_THROW(execute(e, 0, {enc(b, 1), enc(b, 1)}, b, false), OpError);
  // Errors that become error rows.
  EXPECT_THROW(execute(e, 3, {enc(u8, 7), scalar(be(U256{256}))}, u8, false), OpError);
  EXPECT_THROW(execute(e, 0, {enc(u8, 7), enc(FheType::uint(16), 1)}, u8, false), OpError);
  EXPECT_THROW(execute(e, 0, {enc(u8, 7), enc(u8, 1)}, FheType::uint(16), false), OpError);
  EXPECT_THROW(execute(e, 22, {enc(u8, 7)}, u8, false), OpError);
  EXPECT_THROW(execute(e, 0, {enc(u8, 7)}, u8, false), OpError);
  EXPECT_THROW(type_from_code(9), OpError);
}

TEST(CoprocOps, OtherOperations) {
  fhe::integer::Engine e(keys().sk);
  const FheType u8 = FheType::uint(8), u16 = FheType::uint(16), b = FheType::boolean();
  EXPECT_EQ(dec(execute(e, 20, {enc(u8, 1)}, u8, false)), U256{255});
  EXPECT_EQ(dec(execute(e, 23, {enc(u8, 200), scalar({3})}, u16, false)), U256{200});
  EXPECT_THROW(execute(e, 23, {enc(u8, 200), scalar({3})}, u8, false), OpError);
  EXPECT_EQ(dec(execute(e, 24, {scalar(be(U256{0x1234})), scalar({2})}, u8, false)), U256{0x34});
  EXPECT_EQ(dec(execute(e, 24, {scalar(be(U256{256})), scalar({0})}, b, false)), U256{0});
  EXPECT_EQ(dec(execute(e, 25, {enc(b, 0), enc(u8, 1), enc(u8, 2)}, u8, false)), U256{2});
  const Bytes seed(16, 0xab);
  const U256 r = dec(execute(e, 26, {scalar(seed), scalar({3})}, u16, false));
  EXPECT_EQ(dec(execute(e, 26, {scalar(seed), scalar({3})}, u16, false)), r);
  EXPECT_LT(dec(execute(e, 27, {scalar(seed), scalar(be(U256{16})), scalar({3})}, u16, false)),
            U256{16});
  EXPECT_EQ(dec(execute(e, 28, {enc(u8, 1), enc(u8, 2), enc(u8, 3)}, u8, false)), U256{6});
  EXPECT_EQ(dec(execute(e, 28, {}, u8, false)), U256{0});
  EXPECT_EQ(dec(execute(e, 29, {enc(u8, 2), enc(u8, 1), enc(u8, 2)}, b, false)), U256{1});
  EXPECT_EQ(dec(execute(e, 29, {enc(u8, 2)}, b, false)), U256{0});
  EXPECT_EQ(
      dec(execute(e, 30, {enc(u8, 20), scalar(be(U256{30})), scalar(be(U256{7}))}, u8, false)),
      U256{600 / 7 % 256});
  EXPECT_THROW(execute(e, 30, {enc(u8, 20), enc(u8, 3), scalar(be(U256{0x100}))}, u8, false),
               OpError);
}

TEST(CoprocOps, RerandomizedExecutionIsDeterministicAndCorrect) {
  fhe::integer::Engine e(keys().sk);
  const FheType u8 = FheType::uint(8);
  const Operand a = enc(u8, 77), b = enc(u8, 11);
  uint64_t pbs = 0;
  const CT r1 = execute(e, 0, {a, b}, u8, true, &pbs);
  const CT r2 = execute(e, 0, {a, b}, u8, true);
  EXPECT_EQ(dec(r1), U256{88});
  EXPECT_GT(pbs, 0u);
  for (std::size_t i = 0; i < r1.blocks.size(); ++i)
    EXPECT_EQ(r1.blocks[i].ct.data, r2.blocks[i].ct.data);
  const CT plain = execute(e, 0, {a, b}, u8, false);
  EXPECT_NE(plain.blocks[0].ct.data, r1.blocks[0].ct.data);
}

TEST(CoprocStorage, Ct64RoundTripAndTypeCheck) {
  const FheType u16 = FheType::uint(16);
  const Operand a = enc(u16, 40000);
  const Bytes bytes = compress_ct64(keys().sk, *a.ct);
  EXPECT_EQ(dec(decompress_ct64(keys().sk, bytes, u16)), U256{40000});
  EXPECT_THROW(decompress_ct64(keys().sk, bytes, FheType::uint(8)), StorageError);
  EXPECT_THROW(decompress_ct64(keys().sk, Bytes(bytes.begin(), bytes.begin() + 50), u16),
               StorageError);
  EXPECT_EQ(ct64_digest(bytes), ct64_digest(compress_ct64(keys().sk, *a.ct)));
  const Operand t = enc(FheType::boolean(), 1);
  EXPECT_EQ(dec(decompress_ct64(keys().sk, compress_ct64(keys().sk, *t.ct), FheType::boolean())),
            U256{1});
}

Handle h(uint8_t id, uint8_t type = 2) {
  Handle x{};
  x[0] = id;
  x[21] = 0xff;
  x[30] = type;
  return x;
}
Bytes hb(uint8_t id, uint8_t type = 2) {
  const Handle x = h(id, type);
  return Bytes(x.begin(), x.end());
}

ComputationRow row(uint8_t out, std::vector<Bytes> deps, int16_t op, bool allowed, uint8_t tx,
                   bool is_scalar = false) {
  return ComputationRow{h(out), std::move(deps), op, is_scalar, allowed, Bytes{tx}};
}

TEST(CoprocDfg, OrderPruneAndCrossTransactionEdges) {
  // tx 1: t = a + b (not allowed), u = t + 1 (not allowed, unused), v = t * t (allowed)
  // tx 2: w = v + a (allowed, reads v from tx 1)
  const std::vector<ComputationRow> rows = {
      row(30, {hb(20), hb(10)}, 0, true, 2),              // w
      row(12, {hb(11), be(U256{1})}, 0, false, 1, true),  // u: pruned
      row(13, {hb(11), hb(11)}, 2, true, 1),              // v
      row(11, {hb(1), hb(2)}, 0, false, 1),               // t
  };
  std::vector<ComputationRow> r = rows;
  r[0].dependencies = {hb(13), hb(1)};
  const Plan p = build_plan(r);
  ASSERT_EQ(p.nodes.size(), 3u);
  EXPECT_EQ(p.pruned, std::vector<std::size_t>{1});
  EXPECT_EQ(p.nodes[0].row, 3u);  // t first
  EXPECT_EQ(p.nodes[1].row, 2u);  // then v
  EXPECT_EQ(p.nodes[2].row, 0u);  // then w (across transactions)
  EXPECT_EQ(p.nodes[2].operands[0].kind, OperandRef::Node);
  EXPECT_EQ(p.nodes[2].operands[0].node, 1u);
  EXPECT_TRUE(p.nodes[1].store);
  EXPECT_FALSE(p.nodes[0].store);
  EXPECT_EQ(p.stored_inputs, (std::vector<Handle>{h(1), h(2)}));
}

TEST(CoprocDfg, CyclesAndMalformedRowsAreErrors) {
  const std::vector<ComputationRow> cyc = {row(1, {hb(2), hb(3)}, 0, true, 1),
                                           row(2, {hb(1), hb(3)}, 0, false, 1)};
  EXPECT_THROW(build_plan(cyc), DfgError);
  const std::vector<ComputationRow> bad = {row(1, {Bytes{1, 2, 3}, hb(3)}, 0, true, 1)};
  EXPECT_THROW(build_plan(bad), DfgError);
  const std::vector<ComputationRow> dup = {row(1, {hb(2), hb(3)}, 0, true, 1),
                                           row(1, {hb(2), hb(3)}, 0, true, 1)};
  EXPECT_THROW(build_plan(dup), DfgError);
}

// The ERC20 workload run as one batch and as one batch per transaction: the stored bytes are
// identical (DESIGN.md §6), and the final balances decrypt to the expected values.
TEST(CoprocExecutor, Erc20SameBytesForAnyBatching) {
  const Erc20Workload w = make_erc20_workload(3, 4, static_cast<uint64_t>(fhe::test::test_seed(5)));
  fhe::integer::Engine e(keys().sk);
  // One batch.
  const Plan all = build_plan(w.rows);
  ASSERT_TRUE(all.stored_inputs.empty());
  const std::vector<NodeResult> r1 = run_plan(e, w.rows, all, {});
  std::map<Handle, Bytes> one;
  for (std::size_t k = 0; k < all.nodes.size(); ++k) {
    ASSERT_TRUE(r1[k].ok) << r1[k].error;
    if (all.nodes[k].store) one[w.rows[all.nodes[k].row].output_handle] = r1[k].ct64;
  }
  // A batch per transaction, reading earlier results from "the database".
  std::map<Handle, Bytes> db;
  for (const Bytes& tx : w.transactions) {
    std::vector<ComputationRow> batch;
    for (const auto& r : w.rows) {
      if (r.transaction_id == tx) batch.push_back(r);
    }
    const Plan p = build_plan(batch);
    std::map<Handle, Bytes> stored;
    for (const Handle& h : p.stored_inputs) stored[h] = db.at(h);
    const std::vector<NodeResult> r = run_plan(e, batch, p, stored);
    for (std::size_t k = 0; k < p.nodes.size(); ++k) {
      ASSERT_TRUE(r[k].ok) << r[k].error;
      if (p.nodes[k].store) db[batch[p.nodes[k].row].output_handle] = r[k].ct64;
    }
  }
  EXPECT_EQ(db, one);
  // The same bytes whatever the number of workers (levels of independent transfers run
  // concurrently when there are several).
  for (unsigned threads : {1u, 3u}) {
    fhe::integer::Engine other(keys().sk, threads);
    const std::vector<NodeResult> r = run_plan(other, w.rows, all, {});
    for (std::size_t k = 0; k < all.nodes.size(); ++k) {
      ASSERT_TRUE(r[k].ok) << r[k].error;
      if (all.nodes[k].store) {
        EXPECT_EQ(r[k].ct64, one[w.rows[all.nodes[k].row].output_handle]) << threads << " threads";
      }
      EXPECT_EQ(r[k].pbs, r1[k].pbs) << threads << " threads";
    }
  }
  for (std::size_t a = 0; a < w.final_balances.size(); ++a) {
    const CT bal = decompress_ct64(keys().sk, db.at(w.final_balances[a]), FheType::uint(64));
    EXPECT_EQ(dec(bal), U256{w.expected_balances[a]}) << "account " << a;
  }
}

TEST(CoprocExecutor, FailuresPropagateToConsumersOnly) {
  const FheType u8 = FheType::uint(8);
  const Operand a = enc(u8, 5);
  std::map<Handle, Bytes> stored{{h(1), compress_ct64(keys().sk, *a.ct)}};
  const std::vector<ComputationRow> rows = {
      row(2, {hb(1), be(U256{0})}, 3, false, 1, true),  // a / 0: error
      row(3, {hb(2), hb(1)}, 0, true, 1),               // consumes the error
      row(4, {hb(1), hb(1)}, 0, true, 1),               // independent
  };
  fhe::integer::Engine e(keys().sk);
  const Plan p = build_plan(rows);
  const std::vector<NodeResult> r = run_plan(e, rows, p, stored);
  ASSERT_EQ(r.size(), 3u);
  for (std::size_t k = 0; k < p.nodes.size(); ++k) {
    const std::size_t row_index = p.nodes[k].row;
    EXPECT_EQ(r[k].ok, row_index == 2) << row_index << ": " << r[k].error;
    if (row_index == 1) {
      EXPECT_NE(r[k].error.find("failed"), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace coproc
