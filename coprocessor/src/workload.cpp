#include "coprocessor/workload.h"

#include <string>

#include "fhe/hash.h"

namespace coproc {

Handle make_handle(const std::array<uint8_t, 32>& pre, uint64_t chain_id, uint8_t type) {
  Handle h{};
  for (int i = 0; i < 21; ++i) h[static_cast<std::size_t>(i)] = pre[static_cast<std::size_t>(i)];
  h[21] = 0xff;
  for (int i = 0; i < 8; ++i)
    h[22 + static_cast<std::size_t>(i)] = static_cast<uint8_t>(chain_id >> (56 - 8 * i));
  h[30] = type;
  h[31] = 0;
  return h;
}

namespace {
std::array<uint8_t, 32> hash_of(uint64_t seed, uint64_t tx, uint64_t k) {
  uint8_t b[24];
  for (int i = 0; i < 8; ++i) {
    b[i] = static_cast<uint8_t>(seed >> (8 * i));
    b[8 + i] = static_cast<uint8_t>(tx >> (8 * i));
    b[16 + i] = static_cast<uint8_t>(k >> (8 * i));
  }
  return fhe::keccak256(b);
}
Bytes bytes_of(const Handle& h) {
  return Bytes(h.begin(), h.end());
}
Bytes be32(uint64_t v) {
  Bytes b(32, 0);
  for (int i = 0; i < 8; ++i)
    b[31 - static_cast<std::size_t>(i)] = static_cast<uint8_t>(v >> (8 * i));
  return b;
}
}  // namespace

Erc20Workload make_erc20_workload(std::size_t accounts, std::size_t transfers, uint64_t seed,
                                  uint64_t chain_id) {
  constexpr uint8_t kBool = 0, kU64 = 5;
  Erc20Workload w;
  fhe::Csprng rng(seed);
  std::vector<Handle> bal(accounts);
  std::vector<uint64_t> value(accounts);
  auto tx_id = [&](uint64_t t) {
    const auto hsh = hash_of(seed, t, ~uint64_t{0});
    return Bytes(hsh.begin(), hsh.end());
  };
  // Transaction 0: mint.
  w.transactions.push_back(tx_id(0));
  for (std::size_t a = 0; a < accounts; ++a) {
    value[a] = 1000 + rng.next_u64() % 9000;
    bal[a] = make_handle(hash_of(seed, 0, a), chain_id, kU64);
    w.rows.push_back({bal[a], {be32(value[a]), Bytes{kU64}}, 24, true, true, w.transactions[0]});
  }
  for (std::size_t t = 1; t <= transfers; ++t) {
    const Bytes tx = tx_id(t);
    w.transactions.push_back(tx);
    const std::size_t from = rng.next_u64() % accounts;
    std::size_t to = rng.next_u64() % accounts;
    if (to == from) to = (to + 1) % accounts;
    // Sometimes more than the balance: the transfer must then change nothing.
    const uint64_t amount =
        rng.next_u64() % 4 == 0 ? 20000 + rng.next_u64() % 1000 : 1 + rng.next_u64() % 500;
    auto out = [&](uint64_t k, uint8_t type) {
      return make_handle(hash_of(seed, t, k), chain_id, type);
    };
    const Handle amt = out(0, kU64), ok = out(1, kBool), sub = out(2, kU64), nf = out(3, kU64),
                 add = out(4, kU64), nt = out(5, kU64);
    w.rows.push_back({amt, {be32(amount), Bytes{kU64}}, 24, true, false, tx});
    w.rows.push_back({ok, {bytes_of(bal[from]), bytes_of(amt)}, 14, false, false, tx});
    w.rows.push_back({sub, {bytes_of(bal[from]), bytes_of(amt)}, 1, false, false, tx});
    w.rows.push_back({nf, {bytes_of(ok), bytes_of(sub), bytes_of(bal[from])}, 25, false, true, tx});
    w.rows.push_back({add, {bytes_of(bal[to]), bytes_of(amt)}, 0, false, false, tx});
    w.rows.push_back({nt, {bytes_of(ok), bytes_of(add), bytes_of(bal[to])}, 25, false, true, tx});
    if (value[from] >= amount) {
      value[from] -= amount;
      value[to] += amount;
    }
    bal[from] = nf;
    bal[to] = nt;
  }
  w.final_balances = bal;
  w.expected_balances = value;
  return w;
}

}  // namespace coproc
