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
Handle handle(const Bytes& d) {
  Handle h{};
  std::copy(d.begin(), d.end(), h.begin());
  return h;
}
std::string hex(const Bytes& b) {
  static const char* d = "0123456789abcdef";
  std::string s = "0x";
  for (uint8_t x : b) {
    s += d[x >> 4];
    s += d[x & 15];
  }
  return s;
}
}  // namespace

void ingest_block(store::Connection& c, const BlockRows& b) {
  store::Transaction tx(c);
  const int64_t chain_id = static_cast<int64_t>(b.chain_id);
  const int64_t number = static_cast<int64_t>(b.number);
  // A block ingested before (a restart, a duplicate notification): nothing to do.
  if (c.exec("SELECT 1 FROM host_chain_blocks_valid WHERE chain_id = $1 AND block_hash = $2",
             chain_id, b.hash)
          .rows() > 0) {
    return;
  }
  c.notify("event_new_block", "{\"chain_id\":" + std::to_string(b.chain_id) +
                                  ",\"block_height\":" + std::to_string(b.number) +
                                  ",\"block_hash\":\"" + hex(b.hash) + "\"}");

  // Transactions in log order; each one's inputs (not produced earlier in the same transaction)
  // and allowed outputs.
  std::vector<std::string> order;
  std::map<std::string, std::size_t> index;
  std::map<Handle, std::string> producer;  // allowed output -> transaction
  std::map<std::string, std::set<Handle>> inputs;
  std::map<std::string, std::size_t> op_count;
  std::map<std::string, std::set<Handle>> produced;
  for (const ComputationRow& r : b.computations) {
    const std::string t = key(r.transaction_id);
    if (index.emplace(t, order.size()).second) order.push_back(t);
    ++op_count[t];
    for (std::size_t k = 0; k < r.dependencies.size(); ++k) {
      if (is_operand_scalar(r.fhe_operation, r.is_scalar, k)) continue;
      const Bytes& d = r.dependencies[k];
      if (d.size() == 32 && !produced[t].count(handle(d))) inputs[t].insert(handle(d));
    }
    produced[t].insert(r.output_handle);
    if (r.is_allowed && !producer.count(r.output_handle)) producer[r.output_handle] = t;
  }
  // In-block dependencies and depths.
  std::map<std::string, std::set<std::string>> deps;
  std::map<std::string, std::set<std::string>> dependents;
  std::map<std::string, int64_t> depth;
  std::set<Handle> outside;
  for (const std::string& t : order) {
    int64_t d = 0;
    for (const Handle& h : inputs[t]) {
      auto p = producer.find(h);
      if (p != producer.end() && p->second != t && index[p->second] < index[t]) {
        deps[t].insert(p->second);
        dependents[p->second].insert(t);
        d = std::max(d, depth[p->second] + static_cast<int64_t>(op_count[p->second]));
      } else if (p == producer.end()) {
        outside.insert(h);
      }
    }
    depth[t] = d;
  }
  // "No fork" grouping: extend the parent's chain when the chain is a line there.
  std::map<std::string, std::string> chain_of;
  for (const std::string& t : order) {
    chain_of[t] = t;
    const auto d = deps.find(t);
    if (d != deps.end() && d->second.size() == 1) {
      const std::string& p = *d->second.begin();
      if (dependents[p].size() == 1) chain_of[t] = chain_of[p];
    }
  }
  // Chain-level dependencies inside the block, and on unprocessed chains of earlier blocks.
  std::map<std::string, std::set<std::string>> chain_deps;
  for (const std::string& t : order) {
    for (const std::string& p : deps[t]) {
      if (chain_of[p] != chain_of[t]) chain_deps[chain_of[t]].insert(chain_of[p]);
    }
  }
  std::map<std::string, std::set<std::string>> old_dependents;  // earlier chain -> new chains
  if (!outside.empty()) {
    std::vector<Bytes> hs;
    for (const Handle& h : outside) hs.emplace_back(h.begin(), h.end());
    // FOR SHARE: a worker releasing one of these chains waits for this transaction, so it
    // either sees the new dependents or we see it processed (never a lost decrement).
    const store::Result r = c.exec(
        "SELECT c.output_handle, c.dependence_chain_id FROM computations c"
        " JOIN dependence_chain d ON d.dependence_chain_id = c.dependence_chain_id"
        " WHERE c.output_handle = ANY($1) AND c.is_allowed AND d.status <> 'processed'"
        " FOR SHARE OF d",
        hs);
    std::map<Handle, std::string> old;
    for (int i = 0; i < r.rows(); ++i) {
      old[handle(r.get<Bytes>(i, 0))] = key(r.get<Bytes>(i, 1));
    }
    for (const std::string& t : order) {
      for (const Handle& h : inputs[t]) {
        auto o = old.find(h);
        if (o != old.end() && o->second != chain_of[t]) {
          chain_deps[chain_of[t]].insert(o->second);
          old_dependents[o->second].insert(chain_of[t]);
        }
      }
    }
  }
  std::map<std::string, std::vector<Bytes>> chain_dependents;
  for (const auto& [ch, ps] : chain_deps) {
    for (const std::string& p : ps) {
      if (index.count(p) || chain_of.count(p)) chain_dependents[p].push_back(bytes(ch));
    }
  }
  // The block time, in microseconds since the epoch, orders the work.
  const int64_t base_us = static_cast<int64_t>(b.timestamp) * 1000000;
  std::set<std::string> written;
  for (const std::string& t : order) {
    const std::string& ch = chain_of[t];
    if (!written.insert(ch).second) continue;
    const auto cd = chain_deps.find(ch);
    const int32_t count = cd == chain_deps.end() ? 0 : static_cast<int32_t>(cd->second.size());
    const std::vector<Bytes> deps_list =
        chain_dependents.count(ch) ? chain_dependents[ch] : std::vector<Bytes>{};
    c.exec(
        "INSERT INTO dependence_chain(dependence_chain_id, status, last_updated_at,"
        " dependency_count, dependents, block_hash, block_height, schedule_priority)"
        " VALUES ($1, 'updated', TIMESTAMPTZ 'epoch' + make_interval(secs => $2::float8 / 1e6),"
        " $3, $4, $5, $6, 0)"
        " ON CONFLICT (dependence_chain_id) DO UPDATE SET status = 'updated',"
        " last_updated_at = CASE WHEN dependence_chain.status = 'processed'"
        "   THEN EXCLUDED.last_updated_at"
        "   ELSE LEAST(dependence_chain.last_updated_at, EXCLUDED.last_updated_at) END,"
        " dependents = (SELECT ARRAY(SELECT DISTINCT x FROM"
        "   unnest(dependence_chain.dependents || EXCLUDED.dependents) AS x)),"
        " dependency_count = dependence_chain.dependency_count + EXCLUDED.dependency_count,"
        " schedule_priority = GREATEST(dependence_chain.schedule_priority,"
        "   EXCLUDED.schedule_priority)",
        bytes(ch), base_us + depth[t], count, deps_list, b.hash, number);
  }
  for (const auto& [p, ts] : old_dependents) {
    std::vector<Bytes> list;
    for (const std::string& t : ts) list.push_back(bytes(t));
    c.exec(
        "UPDATE dependence_chain SET dependents = (SELECT ARRAY(SELECT DISTINCT x FROM"
        " unnest(dependents || $2::bytea[]) AS x)) WHERE dependence_chain_id = $1",
        bytes(p), list);
  }
  for (const ComputationRow& r : b.computations) {
    const std::string t = key(r.transaction_id);
    c.exec(
        "INSERT INTO computations(output_handle, dependencies, fhe_operation, is_scalar,"
        " transaction_id, dependence_chain_id, is_allowed, is_completed, schedule_order,"
        " host_chain_id, block_number)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8,"
        " TIMESTAMP 'epoch' + make_interval(secs => $9::float8 / 1e6), $10, $11)"
        " ON CONFLICT (output_handle, transaction_id) DO NOTHING",
        Bytes(r.output_handle.begin(), r.output_handle.end()), r.dependencies, r.fhe_operation,
        r.is_scalar, r.transaction_id, bytes(chain_of[t]), r.is_allowed, !r.is_allowed,
        base_us + depth[t], chain_id, number);
  }
  for (const AllowedRow& a : b.allowed) {
    const Bytes h(a.handle.begin(), a.handle.end());
    c.exec(
        "INSERT INTO allowed_handles(handle, account_address, event_type, transaction_id,"
        " host_chain_id) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
        h, a.account_address, a.event_type, a.transaction_id, chain_id);
    c.exec(
        "INSERT INTO pbs_computations(handle, transaction_id, host_chain_id, block_number)"
        " VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        h, a.transaction_id, chain_id, number);
  }
  for (const DelegationRow& d : b.delegations) {
    c.exec(
        "INSERT INTO delegate_user_decrypt(delegator, delegate, contract_address,"
        " delegation_counter, old_expiration_date, new_expiration_date, host_chain_id,"
        " block_number, block_hash, transaction_id, on_gateway, reorg_out)"
        " VALUES ($1, $2, $3, $4, $5::text::numeric, $6::text::numeric, $7, $8, $9, $10, false,"
        " false) ON CONFLICT DO NOTHING",
        d.delegator, d.delegate, d.contract_address, static_cast<int64_t>(d.delegation_counter),
        std::to_string(d.old_expiration_date), std::to_string(d.new_expiration_date), chain_id,
        number, b.hash, d.transaction_id);
  }
  c.exec(
      "INSERT INTO host_chain_blocks_valid(chain_id, block_hash, block_number, block_status,"
      " fhe_event_count, allow_event_count, parent_hash) VALUES ($1, $2, $3, $4, $5, $6, $7)"
      " ON CONFLICT DO NOTHING",
      chain_id, b.hash, number, std::string(b.finalized ? "finalized" : "pending"),
      static_cast<int32_t>(b.fhe_event_count), static_cast<int32_t>(b.allow_event_count),
      b.parent_hash);
  tx.commit();
}

void ingest(store::Connection& c, const std::vector<ComputationRow>& rows, uint64_t host_chain_id,
            int64_t block_number) {
  // The synthetic workload as one block: allowed results are allowed for decryption.
  BlockRows b;
  b.chain_id = host_chain_id;
  b.number = static_cast<uint64_t>(block_number);
  fhe::Keccak256 k;
  uint8_t n[8];
  for (int i = 0; i < 8; ++i) n[i] = static_cast<uint8_t>(block_number >> (8 * i));
  k.update(n);
  for (const ComputationRow& r : rows) k.update(r.transaction_id);
  const auto h = k.finalize();
  b.hash.assign(h.begin(), h.end());
  b.parent_hash.assign(32, 0);
  b.timestamp = 1767225600 + static_cast<uint64_t>(block_number);  // 2026-01-01 + n seconds
  b.finalized = true;
  b.computations = rows;
  for (const ComputationRow& r : rows) {
    if (r.is_allowed) b.allowed.push_back({r.output_handle, "", 1, r.transaction_id});
  }
  b.fhe_event_count = rows.size();
  b.allow_event_count = b.allowed.size();
  ingest_block(c, b);
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
