#include "coprocessor/ingest.h"

#include <map>
#include <set>
#include <string>

#include "fhe/hash.h"
#include "store/pg.h"

namespace coproc {

namespace {
// Byte strings as map keys: std::string (comparing byte vectors trips GCC 12's
// -Wstringop-overread).
std::string key(const Bytes& b) {
  return std::string(b.begin(), b.end());
}
Bytes bytes(const std::string& s) {
  return Bytes(s.begin(), s.end());
}
}  // namespace

void ingest(store::Connection& c, const std::vector<ComputationRow>& rows, uint64_t host_chain_id,
            int64_t block_number) {
  store::Transaction tx(c);
  // Transactions in order of first appearance; the producer transaction of each allowed handle.
  std::vector<std::string> order;
  std::map<std::string, std::size_t> index;
  std::map<Handle, std::string> producer;
  for (const ComputationRow& r : rows) {
    if (index.emplace(key(r.transaction_id), order.size()).second)
      order.push_back(key(r.transaction_id));
    if (r.is_allowed) producer[r.output_handle] = key(r.transaction_id);
  }
  // Chain dependencies: a transaction depends on the chains producing the allowed handles it
  // reads (in this insert, or already in the database and not processed yet).
  std::map<std::string, std::set<std::string>> deps;
  std::set<Handle> outside;
  for (const ComputationRow& r : rows) {
    for (const Bytes& d : r.dependencies) {
      if (d.size() != 32) continue;
      Handle h{};
      std::copy(d.begin(), d.end(), h.begin());
      auto p = producer.find(h);
      if (p != producer.end()) {
        if (p->second != key(r.transaction_id)) deps[key(r.transaction_id)].insert(p->second);
      } else {
        outside.insert(h);
      }
    }
  }
  if (!outside.empty()) {
    std::vector<Bytes> hs;
    for (const Handle& h : outside) hs.emplace_back(h.begin(), h.end());
    // Producers already inserted whose chain is not processed yet.
    const store::Result r = c.exec(
        "SELECT DISTINCT c.output_handle, c.dependence_chain_id FROM computations c"
        " JOIN dependence_chain d ON d.dependence_chain_id = c.dependence_chain_id"
        " WHERE c.output_handle = ANY($1) AND c.is_allowed AND d.status <> 'processed'",
        hs);
    std::map<Handle, std::string> old;
    for (int i = 0; i < r.rows(); ++i) {
      Handle h{};
      const Bytes b = r.get<Bytes>(i, 0);
      std::copy(b.begin(), b.end(), h.begin());
      old[h] = key(r.get<Bytes>(i, 1));
    }
    for (const ComputationRow& row : rows) {
      for (const Bytes& d : row.dependencies) {
        if (d.size() != 32) continue;
        Handle h{};
        std::copy(d.begin(), d.end(), h.begin());
        auto o = old.find(h);
        if (o != old.end() && o->second != key(row.transaction_id)) {
          deps[key(row.transaction_id)].insert(o->second);
        }
      }
    }
  }
  std::map<std::string, std::vector<Bytes>> dependents;
  for (const auto& [t, ps] : deps) {
    for (const std::string& p : ps) dependents[p].push_back(bytes(t));
  }
  // Chains: new ones, or dependents added to existing ones.
  for (std::size_t i = 0; i < order.size(); ++i) {
    const Bytes t = bytes(order[i]);
    const auto d = deps.find(order[i]);
    const int32_t count = d == deps.end() ? 0 : static_cast<int32_t>(d->second.size());
    const std::vector<Bytes> dep_list =
        dependents.count(order[i]) ? dependents[order[i]] : std::vector<Bytes>{};
    c.exec(
        "INSERT INTO dependence_chain(dependence_chain_id, status, last_updated_at,"
        " dependency_count, dependents, block_height, schedule_priority)"
        " VALUES ($1, 'updated', TIMESTAMPTZ '2026-01-01 00:00:00+00' + make_interval(secs => $2),"
        " $3, $4, $5, 0)"
        " ON CONFLICT (dependence_chain_id) DO NOTHING",
        t, static_cast<int64_t>(block_number * 1000 + static_cast<int64_t>(i)), count, dep_list,
        block_number);
  }
  for (const auto& [p, ts] : dependents) {
    if (index.count(p)) continue;  // a chain of this insert: its dependents were set above
    c.exec(
        "UPDATE dependence_chain SET dependents = (SELECT ARRAY(SELECT DISTINCT x FROM"
        " unnest(dependents || $2::bytea[]) AS x)) WHERE dependence_chain_id = $1",
        bytes(p), ts);
  }
  // Computations.
  for (const ComputationRow& r : rows) {
    const int64_t seq = static_cast<int64_t>(index[key(r.transaction_id)]);
    c.exec(
        "INSERT INTO computations(output_handle, dependencies, fhe_operation, is_scalar,"
        " transaction_id, dependence_chain_id, is_allowed, is_completed, schedule_order,"
        " host_chain_id, block_number)"
        " VALUES ($1, $2, $3, $4, $5, $5, $6, $7,"
        " TIMESTAMP '2026-01-01 00:00:00' + make_interval(secs => $8), $9, $10)"
        " ON CONFLICT (output_handle, transaction_id) DO NOTHING",
        Bytes(r.output_handle.begin(), r.output_handle.end()), r.dependencies, r.fhe_operation,
        r.is_scalar, r.transaction_id, r.is_allowed, !r.is_allowed, block_number * 1000 + seq,
        static_cast<int64_t>(host_chain_id), block_number);
    if (r.is_allowed) {
      const Bytes h(r.output_handle.begin(), r.output_handle.end());
      c.exec(
          "INSERT INTO allowed_handles(handle, account_address, event_type, transaction_id,"
          " host_chain_id) VALUES ($1, '', 1, $2, $3) ON CONFLICT DO NOTHING",
          h, r.transaction_id, static_cast<int64_t>(host_chain_id));
      c.exec(
          "INSERT INTO pbs_computations(handle, transaction_id, host_chain_id, block_number)"
          " VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
          h, r.transaction_id, static_cast<int64_t>(host_chain_id), block_number);
    }
  }
  tx.commit();
}

int64_t insert_keys(store::Connection& c, const std::vector<uint8_t>& server_key,
                    const std::vector<uint8_t>& compact_public_key,
                    const std::vector<uint8_t>* client_key) {
  const auto id = fhe::keccak256(server_key);
  const Bytes key_id(id.begin(), id.end());
  const store::Result r = c.exec(
      "INSERT INTO keys(key_id_gw, key_id, pks_key, sks_key, cks_key) VALUES ($1, $1, $2, $3, $4)"
      " RETURNING sequence_number",
      key_id, compact_public_key, server_key,
      client_key ? std::optional<Bytes>(*client_key) : std::nullopt);
  return r.get<int64_t>(0, 0);
}

}  // namespace coproc
