// The host-listener service (reference/fhevm-coprocessor.md §1.1, §10.1): follows the host chain
// and turns the FHEVMExecutor and ACL logs of every block into rows (host_events.h), one database
// transaction per block, never missing or duplicating one.
//
//   start     --start-at-block N (negative: relative to the head), else the highest block in
//             host_chain_blocks_valid minus --catchup-margin, else the head
//   catch-up  every block up to the head, by number then its logs by block hash
//   follow    newHeads over WebSocket (ws:// URL), else polling eth_blockNumber; a gap in the
//             subscription (reconnect) or a silent period falls back to polling
//   reorgs    for each head, its ancestors are walked by parent hash (up to
//             --reorg-maximum-duration-in-blocks) until a block already ingested, and the missing
//             ones are ingested oldest first; results of orphaned blocks are kept (handles are
//             fork-scoped), the blocks themselves are marked
//   finality  blocks at or below head - --catchup-finalization-in-blocks: the canonical block of
//             each height becomes `finalized`, its siblings and their descendants `orphaned`
//
// Errors: RPC transport errors and database connection errors are retried with back-off; a
// malformed log of a watched contract stops the listener with a clear message (it would
// otherwise be skipped silently).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "chain/hex.h"

namespace coproc {

struct ListenerConfig {
  std::string url;  // ws://... or http://...
  std::string database_url;
  chain::Address acl, executor;
  std::optional<int64_t> start_at_block;
  std::optional<uint64_t> end_at_block;  // stop after ingesting this block
  uint64_t catchup_margin = 5;
  uint64_t reorg_maximum_duration_in_blocks = 50;
  uint64_t catchup_finalization_in_blocks = 20;
  int poll_interval_ms = 1000;
  bool quiet = false;
};

struct ListenerStats {
  uint64_t blocks = 0;        // ingested
  uint64_t computations = 0;  // rows decoded
  uint64_t last_block = 0;
};

// Runs until `stop` (or end_at_block). `on_block` is called after each ingested block.
ListenerStats run_host_listener(const ListenerConfig& cfg, const std::atomic<bool>& stop,
                                const std::function<void(uint64_t block)>& on_block = {});

}  // namespace coproc
