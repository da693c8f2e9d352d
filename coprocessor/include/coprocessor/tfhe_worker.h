// The tfhe-worker service (reference/fhevm-coprocessor.md §1.2, §10.2; DESIGN.md §6-7).
//
// A cycle: take a dependence chain (extend the current lock, else acquire the next unlocked chain
// whose dependencies are processed, or one whose lock expired: FOR UPDATE SKIP LOCKED, committed
// at once so that a crashed worker's chain is taken over after the TTL); load its pending allowed
// computations (oldest schedule_order first, up to batch_size) and every computation of their
// host transactions; build the dataflow plan; fetch stored inputs; run it (the lock is extended
// from a heartbeat thread meanwhile); then in one transaction store allowed results
// (ON CONFLICT DO NOTHING), mark them completed, store error rows, notify
// event_ciphertext_computed, and release the chain as processed when nothing of it is pending
// (dependents' dependency_count decremented, work_available notified when one reaches 0).
//
// Computations whose inputs are not stored yet stay pending (retried next cycle; reported once
// per cycle on stderr). A lost database connection is retried with backoff; the computed results
// of an aborted cycle are recomputed later (same bytes).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "fhe/keys.h"

namespace store {
class Connection;
}

namespace coproc {

struct WorkerConfig {
  std::string database_url;
  std::string worker_id;            // a UUID; random when empty
  int work_items_batch_size = 100;  // --work-items-batch-size
  int dcid_ttl_sec = 30;            // --dcid-ttl-sec: lock lifetime without extension
  int polling_interval_ms = 1000;   // --worker-polling-interval-ms
  unsigned threads = 0;             // engine workers (0: fhe::thread_count())
  bool quiet = false;
};

struct CycleStats {
  bool found_work = false;
  std::size_t computed = 0;  // allowed results stored
  std::size_t errors = 0;
  std::size_t waiting = 0;  // pending for missing inputs
  uint64_t pbs = 0;
};

// The latest key set from the `keys` table (cached by sequence number).
struct KeySet {
  int64_t sequence_number = 0;
  std::shared_ptr<const fhe::ServerKey> sk;
};
KeySet load_latest_keys(store::Connection& conn, KeySet cached);

class TfheWorker {
 public:
  explicit TfheWorker(WorkerConfig cfg);
  ~TfheWorker();
  // One cycle (connects on first use). Throws store::DbError on database failures.
  CycleStats cycle();
  // Cycles until `stop` (LISTEN work_available + polling); reconnects after connection errors.
  void run(const std::atomic<bool>& stop,
           const std::function<void(const CycleStats&)>& on_cycle = {});
  const std::string& worker_id() const { return cfg_.worker_id; }

 private:
  struct State;
  WorkerConfig cfg_;
  std::unique_ptr<State> st_;
};

std::string random_uuid();

}  // namespace coproc
