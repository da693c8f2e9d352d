#include "coprocessor/tfhe_worker.h"

#include <condition_variable>
#include <cstdio>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "coprocessor/executor.h"
#include "fhe/integer.h"
#include "fhe/native_format.h"
#include "store/pg.h"

namespace coproc {

std::string random_uuid() {
  uint8_t b[16];
  fhe::Csprng rng(fhe::Csprng::os_seed());
  rng.fill_bytes(b, 16);
  b[6] = static_cast<uint8_t>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<uint8_t>((b[8] & 0x3f) | 0x80);
  static const char* d = "0123456789abcdef";
  std::string s;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) s += '-';
    s += d[b[i] >> 4];
    s += d[b[i] & 15];
  }
  return s;
}

KeySet load_latest_keys(store::Connection& conn, KeySet cached) {
  const store::Result latest =
      conn.exec("SELECT sequence_number FROM keys ORDER BY sequence_number DESC LIMIT 1");
  if (latest.rows() == 0) throw std::runtime_error("no key set in the keys table");
  const int64_t seq = latest.get<int64_t>(0, 0);
  if (cached.sk && cached.sequence_number == seq) return cached;
  const store::Result r = conn.exec("SELECT sks_key FROM keys WHERE sequence_number = $1", seq);
  const store::Bytes bytes = r.get<store::Bytes>(0, 0);
  KeySet k;
  k.sequence_number = seq;
  k.sk = std::make_shared<const fhe::ServerKey>(
      fhe::make_server_key(fhe::native::deserialize_server_key(bytes)));
  return k;
}

namespace {

Handle to_handle(const store::Bytes& b) {
  if (b.size() != 32) throw DfgError("a handle is not 32 bytes");
  Handle h{};
  std::copy(b.begin(), b.end(), h.begin());
  return h;
}

std::string hex(std::span<const uint8_t> b, std::size_t max = 8) {
  static const char* d = "0123456789abcdef";
  std::string s = "0x";
  for (std::size_t i = 0; i < b.size() && i < max; ++i) {
    s += d[b[i] >> 4];
    s += d[b[i] & 15];
  }
  return b.size() > max ? s + ".." : s;
}

// Extends a chain's lock from its own connection while a batch computes.
class Heartbeat {
 public:
  Heartbeat(const std::string& url, store::Bytes dcid, std::string worker, int ttl)
      : thread_([=, this] {
          try {
            store::Connection c(url);
            std::unique_lock lock(m_);
            while (!cv_.wait_for(lock, std::chrono::milliseconds(ttl * 1000 / 3),
                                 [&] { return stop_; })) {
              c.exec(
                  "UPDATE dependence_chain SET lock_expires_at = NOW() + make_interval(secs => $3) "
                  "WHERE dependence_chain_id = $1 AND worker_id = $2::uuid",
                  dcid, worker, static_cast<int64_t>(ttl));
            }
          } catch (const std::exception& e) {
            std::fprintf(stderr, "tfhe-worker: lock heartbeat stopped: %s\n", e.what());
          }
        }) {}
  ~Heartbeat() {
    {
      std::lock_guard lock(m_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

 private:
  std::mutex m_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace

struct TfheWorker::State {
  std::unique_ptr<store::Connection> conn;
  KeySet keys;
  std::unique_ptr<fhe::integer::Engine> engine;
  std::optional<store::Bytes> dcid;  // the chain this worker holds
};

TfheWorker::TfheWorker(WorkerConfig cfg) : cfg_(std::move(cfg)), st_(std::make_unique<State>()) {
  if (cfg_.worker_id.empty()) cfg_.worker_id = random_uuid();
}
TfheWorker::~TfheWorker() = default;

CycleStats TfheWorker::cycle() {
  CycleStats stats;
  if (!st_->conn) {
    st_->conn = std::make_unique<store::Connection>(cfg_.database_url);
    st_->conn->listen("work_available");
    // Startup: release every lock of this worker id (a restart with the same id).
    st_->conn->exec(
        "UPDATE dependence_chain SET worker_id = NULL, lock_acquired_at = NULL, "
        "lock_expires_at = NULL, status = CASE WHEN status = 'processing' THEN 'updated' ELSE "
        "status END WHERE worker_id = $1::uuid",
        cfg_.worker_id);
    st_->dcid.reset();
  }
  store::Connection& c = *st_->conn;
  const int64_t ttl = cfg_.dcid_ttl_sec;

  // 1. The chain: extend the current lock, else take the next one.
  if (st_->dcid) {
    const store::Result r = c.exec(
        "UPDATE dependence_chain SET lock_expires_at = NOW() + make_interval(secs => $3) "
        "WHERE dependence_chain_id = $1 AND worker_id = $2::uuid RETURNING dependence_chain_id",
        *st_->dcid, cfg_.worker_id, ttl);
    if (r.rows() == 0) st_->dcid.reset();
  }
  if (!st_->dcid) {
    const store::Result r = c.exec(
        "WITH candidate AS ("
        "  SELECT dependence_chain_id FROM dependence_chain"
        "  WHERE (status = 'updated' AND worker_id IS NULL AND dependency_count = 0)"
        "     OR (lock_expires_at < NOW() AND dependency_count = 0)"
        "  ORDER BY schedule_priority ASC, last_updated_at ASC"
        "  FOR UPDATE SKIP LOCKED LIMIT 1)"
        " UPDATE dependence_chain AS dc SET worker_id = $1::uuid, status = 'processing',"
        "   lock_acquired_at = NOW(), lock_expires_at = NOW() + make_interval(secs => $2)"
        " FROM candidate WHERE dc.dependence_chain_id = candidate.dependence_chain_id"
        " RETURNING dc.dependence_chain_id",
        cfg_.worker_id, ttl);
    if (r.rows() == 0) return stats;
    st_->dcid = r.get<store::Bytes>(0, 0);
  }
  const store::Bytes dcid = *st_->dcid;

  // 2. The work: pending allowed rows of the chain, then every row of their transactions.
  const store::Result w = c.exec(
      "SELECT c.output_handle, c.dependencies, c.fhe_operation, c.is_scalar, c.is_allowed,"
      "       c.transaction_id"
      " FROM computations c WHERE c.transaction_id IN ("
      "   SELECT DISTINCT s.transaction_id FROM ("
      "     SELECT transaction_id FROM computations"
      "     WHERE is_completed = FALSE AND is_error = FALSE AND is_allowed = TRUE"
      "       AND dependence_chain_id = $1 ORDER BY schedule_order ASC LIMIT $2) AS s)"
      " ORDER BY c.schedule_order, c.transaction_id, c.output_handle",
      dcid, static_cast<int64_t>(cfg_.work_items_batch_size));
  auto release = [&](bool processed) {
    store::Transaction tx(c);
    const store::Result r = c.exec(
        "UPDATE dependence_chain SET worker_id = NULL, lock_acquired_at = NULL,"
        " lock_expires_at = NULL, status = CASE WHEN status = 'processing' AND $3 THEN 'processed'"
        " WHEN status = 'processing' THEN 'updated' ELSE status END"
        " WHERE dependence_chain_id = $1 AND worker_id = $2::uuid RETURNING status, dependents",
        dcid, cfg_.worker_id, processed);
    if (r.rows() == 1 && r.get<std::string>(0, 0) == "processed") {
      const auto dependents = r.get<std::vector<store::Bytes>>(0, 1);
      if (!dependents.empty()) {
        const store::Result d = c.exec(
            "UPDATE dependence_chain SET dependency_count = GREATEST(dependency_count - 1, 0)"
            " WHERE dependence_chain_id = ANY($1) RETURNING dependency_count",
            dependents);
        for (int i = 0; i < d.rows(); ++i) {
          if (d.get<int32_t>(i, 0) == 0) {
            c.notify("work_available");
            break;
          }
        }
      }
    }
    tx.commit();
    st_->dcid.reset();
  };
  if (w.rows() == 0) {
    release(true);
    stats.found_work = true;  // a chain changed state: look again at once
    return stats;
  }
  std::vector<ComputationRow> rows;
  for (int i = 0; i < w.rows(); ++i) {
    ComputationRow r;
    r.output_handle = to_handle(w.get<store::Bytes>(i, 0));
    r.dependencies = w.get<std::vector<store::Bytes>>(i, 1);
    r.fhe_operation = w.get<int16_t>(i, 2);
    r.is_scalar = w.get<bool>(i, 3);
    r.is_allowed = w.get<bool>(i, 4);
    r.transaction_id = w.get<store::Bytes>(i, 5);
    rows.push_back(std::move(r));
  }

  // 3. Keys and engine.
  const KeySet keys = load_latest_keys(c, st_->keys);
  if (keys.sk != st_->keys.sk || !st_->engine) {
    st_->keys = keys;
    st_->engine = std::make_unique<fhe::integer::Engine>(*keys.sk, cfg_.threads);
  }

  // 4. The plan, without the computations whose stored inputs do not exist yet.
  std::vector<std::pair<std::size_t, std::string>> row_errors;  // (row, message)
  Plan plan;
  std::map<Handle, Bytes> stored;
  try {
    plan = build_plan(rows);
    std::vector<store::Bytes> wanted;
    for (const Handle& h : plan.stored_inputs) wanted.emplace_back(h.begin(), h.end());
    if (!wanted.empty()) {
      const store::Result s =
          c.exec("SELECT handle, ciphertext FROM ciphertexts WHERE handle = ANY($1)", wanted);
      for (int i = 0; i < s.rows(); ++i) {
        stored[to_handle(s.get<store::Bytes>(i, 0))] = s.get<store::Bytes>(i, 1);
      }
    }
    std::set<Handle> missing;
    for (const Handle& h : plan.stored_inputs) {
      if (!stored.count(h)) missing.insert(h);
    }
    if (!missing.empty()) {
      std::vector<bool> blocked(plan.nodes.size(), false);
      std::set<std::size_t> blocked_rows;
      for (std::size_t k = 0; k < plan.nodes.size(); ++k) {
        for (const OperandRef& o : plan.nodes[k].operands) {
          if ((o.kind == OperandRef::Stored && missing.count(o.handle)) ||
              (o.kind == OperandRef::Node && blocked[o.node])) {
            blocked[k] = true;
          }
        }
        if (blocked[k]) blocked_rows.insert(plan.nodes[k].row);
      }
      std::vector<ComputationRow> kept;
      for (std::size_t i = 0; i < rows.size(); ++i) {
        if (!blocked_rows.count(i)) kept.push_back(rows[i]);
      }
      stats.waiting = blocked_rows.size();
      if (!cfg_.quiet) {
        std::fprintf(stderr,
                     "tfhe-worker: chain %s: %zu computations wait for %zu missing inputs "
                     "(first %s)\n",
                     hex(dcid).c_str(), blocked_rows.size(), missing.size(),
                     hex(*missing.begin()).c_str());
      }
      rows = std::move(kept);
      plan = build_plan(rows);
    }
  } catch (const DfgError& e) {
    // A malformed batch: every allowed row of it is an error.
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (rows[i].is_allowed) row_errors.emplace_back(i, e.what());
    }
    plan = Plan{};
  }

  // 5. Compute, the lock kept alive meanwhile.
  std::vector<NodeResult> results;
  {
    Heartbeat hb(cfg_.database_url, dcid, cfg_.worker_id, cfg_.dcid_ttl_sec);
    results = run_plan(*st_->engine, rows, plan, stored);
  }

  // 6. Store, complete, release.
  std::vector<store::Bytes> handles, cts, done_handles, done_txs;
  std::vector<int16_t> versions, types;
  for (std::size_t k = 0; k < plan.nodes.size(); ++k) {
    const ComputationRow& r = rows[plan.nodes[k].row];
    stats.pbs += results[k].pbs;
    if (!results[k].ok) {
      row_errors.emplace_back(plan.nodes[k].row, results[k].error);
      continue;
    }
    if (!plan.nodes[k].store) continue;
    handles.emplace_back(r.output_handle.begin(), r.output_handle.end());
    cts.push_back(results[k].ct64);
    versions.push_back(0);
    types.push_back(static_cast<int16_t>(r.output_handle[30]));
    done_handles.push_back(handles.back());
    done_txs.push_back(r.transaction_id);
  }
  store::Transaction tx(c);
  if (!handles.empty()) {
    c.exec(
        "INSERT INTO ciphertexts(handle, ciphertext, ciphertext_version, ciphertext_type)"
        " SELECT * FROM UNNEST($1::bytea[], $2::bytea[], $3::int2[], $4::int2[])"
        " ON CONFLICT (handle, ciphertext_version) DO NOTHING",
        handles, cts, versions, types);
    c.exec(
        "UPDATE computations SET is_completed = true, completed_at = CURRENT_TIMESTAMP"
        " WHERE is_completed = false AND (output_handle, transaction_id) IN"
        " (SELECT * FROM unnest($1::bytea[], $2::bytea[]))",
        done_handles, done_txs);
    c.notify("event_ciphertext_computed", "");
  }
  for (const auto& [i, msg] : row_errors) {
    const ComputationRow& r = rows[i];
    c.exec(
        "UPDATE computations SET is_error = true, error_message = $1"
        " WHERE output_handle = $2 AND transaction_id = $3",
        msg, store::Bytes(r.output_handle.begin(), r.output_handle.end()), r.transaction_id);
    if (r.is_allowed) {
      c.exec("UPDATE dependence_chain SET error_message = $2 WHERE dependence_chain_id = $1", dcid,
             msg);
    }
  }
  tx.commit();
  stats.computed = handles.size();
  stats.errors = row_errors.size();
  stats.found_work = stats.computed > 0 || stats.errors > 0;

  const store::Result pending = c.exec(
      "SELECT count(*) FROM computations WHERE dependence_chain_id = $1 AND is_allowed = true"
      " AND is_completed = false AND is_error = false",
      dcid);
  if (pending.get<int64_t>(0, 0) == 0) {
    release(true);
  } else if (!stats.found_work) {
    release(false);  // only waiting rows: let the chain go until its inputs exist
  }
  return stats;
}

void TfheWorker::run(const std::atomic<bool>& stop,
                     const std::function<void(const CycleStats&)>& on_cycle) {
  bool last_found = true;
  int backoff_ms = 100;
  while (!stop.load()) {
    try {
      if (!last_found && st_->conn) {
        (void)st_->conn->wait_for_notification(std::chrono::milliseconds(cfg_.polling_interval_ms));
      }
      const CycleStats s = cycle();
      last_found = s.found_work;
      backoff_ms = 100;
      if (on_cycle) on_cycle(s);
    } catch (const store::DbError& e) {
      if (!cfg_.quiet) std::fprintf(stderr, "tfhe-worker: database: %s (retrying)\n", e.what());
      if (e.is_connection_error()) {
        st_->conn.reset();
        st_->dcid.reset();
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(backoff_ms));
      backoff_ms = std::min(backoff_ms * 2, 5000);
      last_found = true;
    }
  }
  // Graceful stop: hand the chain back at once rather than after its lock expires.
  if (st_->conn && st_->dcid) {
    try {
      st_->conn->exec(
          "UPDATE dependence_chain SET worker_id = NULL, lock_acquired_at = NULL,"
          " lock_expires_at = NULL, status = CASE WHEN status = 'processing' THEN 'updated'"
          " ELSE status END WHERE dependence_chain_id = $1 AND worker_id = $2::uuid",
          *st_->dcid, cfg_.worker_id);
      st_->conn->notify("work_available");
    } catch (const store::DbError&) {
      // The lock expires on its own.
    }
    st_->dcid.reset();
  }
}

}  // namespace coproc
