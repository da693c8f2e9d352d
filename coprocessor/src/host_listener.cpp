#include "coprocessor/host_listener.h"

#include <cstdio>
#include <deque>
#include <map>
#include <thread>

#include "chain/eth.h"
#include "chain/rpc.h"
#include "coprocessor/host_events.h"
#include "store/pg.h"

namespace coproc {

namespace {

Bytes bytes(const chain::Hash32& h) {
  return Bytes(h.bytes.begin(), h.bytes.end());
}

class Listener {
 public:
  Listener(const ListenerConfig& cfg, const std::atomic<bool>& stop,
           const std::function<void(uint64_t)>& on_block)
      : cfg_(cfg), stop_(stop), on_block_(on_block) {}

  ListenerStats run() {
    while (!stop_) {
      try {
        connect();
        catch_up();
        follow();
        break;  // stop requested or end block reached
      } catch (const chain::TransportError& e) {
        log("rpc: " + std::string(e.what()) + " (retrying)");
      } catch (const store::DbError& e) {
        if (!e.is_connection_error()) throw;
        log("database: " + std::string(e.what()) + " (retrying)");
      }
      db_.reset();
      rpc_.reset();
      sleep_ms(backoff_ms_);
      backoff_ms_ = std::min(backoff_ms_ * 2, 5000);
    }
    return stats_;
  }

 private:
  void log(const std::string& s) {
    if (!cfg_.quiet) std::fprintf(stderr, "host-listener: %s\n", s.c_str());
  }
  void sleep_ms(int ms) {
    for (int i = 0; i < ms / 10 && !stop_; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  bool done() const {
    return stop_ || (cfg_.end_at_block && stats_.last_block >= *cfg_.end_at_block);
  }

  void connect() {
    if (!db_) db_ = std::make_unique<store::Connection>(cfg_.database_url);
    if (!rpc_) {
      rpc_ = chain::make_rpc_client(cfg_.url);
      eth_ = std::make_unique<chain::EthClient>(*rpc_);
      chain_id_ = eth_->chain_id();
      filter_.addresses = {cfg_.acl, cfg_.executor};
      log("chain " + std::to_string(chain_id_) + " at " + rpc_->url());
    }
    backoff_ms_ = 100;
  }

  bool known(const chain::Hash32& hash) {
    return db_->exec(
                  "SELECT 1 FROM host_chain_blocks_valid WHERE chain_id = $1 AND block_hash = $2",
                  static_cast<int64_t>(chain_id_), bytes(hash))
               .rows() > 0;
  }

  void ingest(const chain::BlockHeader& h, uint64_t head) {
    const std::vector<chain::Log> logs = eth_->logs_by_block_hash(h.hash, filter_);
    BlockRows rows = decode_block(chain_id_, h, logs, cfg_.acl, cfg_.executor);
    rows.finalized = h.number + cfg_.catchup_finalization_in_blocks <= head;
    ingest_block(*db_, rows);
    ++stats_.blocks;
    stats_.computations += rows.computations.size();
    stats_.last_block = std::max(stats_.last_block, h.number);
    if (on_block_) on_block_(h.number);
  }

  // Ingests `head` and every ancestor not ingested yet (oldest first).
  void ingest_with_ancestors(const chain::BlockHeader& head_block, uint64_t head) {
    std::deque<chain::BlockHeader> missing;
    chain::BlockHeader h = head_block;
    while (!known(h.hash)) {
      missing.push_front(h);
      if (h.number == 0 || missing.size() > cfg_.reorg_maximum_duration_in_blocks) break;
      if (next_ > 0 &&
          h.number < next_ - std::min<uint64_t>(next_, cfg_.reorg_maximum_duration_in_blocks))
        break;
      auto parent = eth_->block_by_hash(h.parent_hash);
      if (!parent) break;  // the parent vanished meanwhile: a newer head will come
      h = *parent;
    }
    for (const chain::BlockHeader& b : missing) {
      if (b.number < first_) continue;  // before where this listener starts
      ingest(b, head);
    }
    next_ = std::max(next_, head_block.number + 1);
  }

  void catch_up() {
    const uint64_t head = eth_->block_number();
    if (!started_) {
      started_ = true;
      if (cfg_.start_at_block) {
        const int64_t s = *cfg_.start_at_block;
        next_ = s >= 0 ? static_cast<uint64_t>(s)
                       : (static_cast<uint64_t>(-s) > head ? 0 : head - static_cast<uint64_t>(-s));
      } else {
        const store::Result r =
            db_->exec("SELECT max(block_number) FROM host_chain_blocks_valid WHERE chain_id = $1",
                      static_cast<int64_t>(chain_id_));
        const auto last = r.get<std::optional<int64_t>>(0, 0);
        next_ = last ? static_cast<uint64_t>(
                           std::max<int64_t>(0, *last - static_cast<int64_t>(cfg_.catchup_margin)))
                     : head;
      }
      first_ = next_;
      log("starting at block " + std::to_string(next_) + " (head " + std::to_string(head) + ")");
    }
    while (next_ <= head && !done()) {
      auto b = eth_->block_by_number(chain::BlockRef::number(next_));
      if (!b) break;
      if (!known(b->hash)) ingest_with_ancestors(*b, head);
      next_ = std::max(next_, b->number + 1);
    }
    finalize(head);
  }

  void on_head(const chain::BlockHeader& h) {
    const uint64_t head = std::max(h.number, next_ == 0 ? 0 : next_ - 1);
    if (h.number + 1 < next_) {
      // A head at or below what we have: a reorg to a shorter or equal branch.
      if (!known(h.hash)) ingest_with_ancestors(h, head);
    } else {
      // Anything between next_ and the head by number first (missed notifications).
      while (next_ < h.number && !done()) {
        auto b = eth_->block_by_number(chain::BlockRef::number(next_));
        if (!b) break;
        if (!known(b->hash)) ingest_with_ancestors(*b, h.number);
        next_ = std::max(next_, b->number + 1);
      }
      if (!known(h.hash)) ingest_with_ancestors(h, h.number);
    }
    finalize(h.number);
  }

  void follow() {
    std::optional<chain::Subscription> sub;
    if (auto* ws = dynamic_cast<chain::WsRpcClient*>(rpc_.get())) {
      sub = ws->subscribe("newHeads");
    }
    while (!done()) {
      if (sub && sub->active()) {
        auto ev = sub->next(std::chrono::milliseconds(cfg_.poll_interval_ms));
        if (ev && ev->kind == chain::SubscriptionEvent::Kind::kNotification) {
          on_head(chain::parse_block_header(ev->result));
          continue;
        }
        // A gap or a quiet period: poll (catches up anything missed).
      } else {
        sleep_ms(cfg_.poll_interval_ms);
      }
      auto latest = eth_->block_by_number(chain::BlockRef::latest());
      if (latest) on_head(*latest);
    }
  }

  // Heights at or below head - lag: the canonical block finalized, the others orphaned.
  void finalize(uint64_t head) {
    if (head < cfg_.catchup_finalization_in_blocks) return;
    const uint64_t upto = head - cfg_.catchup_finalization_in_blocks;
    const store::Result r = db_->exec(
        "SELECT DISTINCT block_number FROM host_chain_blocks_valid WHERE chain_id = $1 AND"
        " block_number <= $2 AND block_status = 'pending' ORDER BY block_number",
        static_cast<int64_t>(chain_id_), static_cast<int64_t>(upto));
    for (int i = 0; i < r.rows(); ++i) {
      const uint64_t n = static_cast<uint64_t>(r.get<int64_t>(i, 0));
      auto canonical = eth_->block_by_number(chain::BlockRef::number(n));
      if (!canonical) break;
      store::Transaction tx(*db_);
      db_->exec(
          "UPDATE host_chain_blocks_valid SET block_status = 'finalized' WHERE chain_id = $1 AND"
          " block_hash = $2 AND block_status <> 'orphaned'",
          static_cast<int64_t>(chain_id_), bytes(canonical->hash));
      // Siblings at that height and their descendants.
      db_->exec(
          "WITH RECURSIVE orphans(block_hash) AS ("
          "  SELECT block_hash FROM host_chain_blocks_valid WHERE chain_id = $1"
          "    AND block_number = $2 AND block_hash <> $3"
          "  UNION SELECT b.block_hash FROM host_chain_blocks_valid b JOIN orphans o"
          "    ON b.parent_hash = o.block_hash WHERE b.chain_id = $1)"
          " UPDATE host_chain_blocks_valid SET block_status = 'orphaned' WHERE chain_id = $1"
          " AND block_hash IN (SELECT block_hash FROM orphans)",
          static_cast<int64_t>(chain_id_), static_cast<int64_t>(n), bytes(canonical->hash));
      tx.commit();
    }
  }

  const ListenerConfig& cfg_;
  const std::atomic<bool>& stop_;
  const std::function<void(uint64_t)>& on_block_;
  std::unique_ptr<store::Connection> db_;
  std::unique_ptr<chain::RpcClient> rpc_;
  std::unique_ptr<chain::EthClient> eth_;
  chain::LogFilter filter_;
  uint64_t chain_id_ = 0;
  uint64_t next_ = 0, first_ = 0;
  bool started_ = false;
  int backoff_ms_ = 100;
  ListenerStats stats_;
};

}  // namespace

ListenerStats run_host_listener(const ListenerConfig& cfg, const std::atomic<bool>& stop,
                                const std::function<void(uint64_t)>& on_block) {
  Listener l(cfg, stop, on_block);
  return l.run();
}

}  // namespace coproc
