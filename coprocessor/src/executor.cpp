#include "coprocessor/executor.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>

#include "coprocessor/storage.h"

namespace coproc {

namespace {
std::string short_hex(const Handle& h) {
  static const char* d = "0123456789abcdef";
  std::string s = "0x";
  for (int i = 0; i < 8; ++i) {
    s += d[h[static_cast<std::size_t>(i)] >> 4];
    s += d[h[static_cast<std::size_t>(i)] & 15];
  }
  return s + "..";
}
}  // namespace

std::vector<NodeResult> run_plan(fhe::integer::Engine& e, const std::vector<ComputationRow>& rows,
                                 const Plan& plan, const std::map<Handle, Bytes>& stored,
                                 const RunOptions& options) {
  const fhe::ServerKey& sk = e.server_key();
  std::vector<NodeResult> results(plan.nodes.size());
  // The form consumers read: decompressed stored bytes for allowed results, the value otherwise.
  std::vector<std::optional<fhe::integer::Ciphertext>> value(plan.nodes.size());
  std::vector<bool> consumed(plan.nodes.size(), false);
  // Every stored input is ready at the start: all of them are decompressed together, once each,
  // so that their blocks' PBS fill whole batches.
  std::map<Handle, DecompressedInput> inputs;
  {
    std::vector<Handle> handles;
    std::vector<StoredInput> items;
    for (const PlanNode& node : plan.nodes) {
      for (const OperandRef& o : node.operands) {
        if (o.kind == OperandRef::Node) consumed[o.node] = true;
        if (o.kind != OperandRef::Stored || inputs.count(o.handle) != 0) continue;
        inputs.emplace(o.handle, DecompressedInput{});
        handles.push_back(o.handle);
        items.push_back({stored.at(o.handle), handle_type(o.handle)});
      }
    }
    std::vector<DecompressedInput> done = decompress_ct64_many(sk, items);
    for (std::size_t i = 0; i < handles.size(); ++i) inputs[handles[i]] = std::move(done[i]);
  }
  // One node on engine `eng`: its own result slots only; it reads the values of nodes of
  // earlier levels (complete) and the decompressed inputs (read-only from here on).
  auto run_node = [&](std::size_t k, fhe::integer::Engine& eng) {
    const PlanNode& node = plan.nodes[k];
    const ComputationRow& row = rows[node.row];
    NodeResult& res = results[k];
    try {
      std::vector<Operand> ops;
      for (const OperandRef& o : node.operands) {
        Operand x;
        switch (o.kind) {
          case OperandRef::Scalar:
            x.scalar = o.scalar;
            break;
          case OperandRef::Node:
            if (!results[o.node].ok) {
              throw OpError("input " + short_hex(o.handle) + " failed: " + results[o.node].error);
            }
            x.ct = *value[o.node];
            break;
          case OperandRef::Stored: {
            const DecompressedInput& in = inputs.at(o.handle);
            if (!in.ct) throw OpError("input " + short_hex(o.handle) + ": " + in.error);
            x.ct = *in.ct;
            break;
          }
        }
        ops.push_back(std::move(x));
      }
      fhe::integer::Ciphertext r =
          execute(eng, row.fhe_operation, std::move(ops), handle_type(row.output_handle),
                  options.rerandomize, &res.pbs);
      if (node.store) {
        res.ct64 = compress_ct64(sk, r);
        if (consumed[k]) {  // consumers read the stored form
          value[k] = decompress_ct64(sk, res.ct64, r.type);
          res.pbs += r.blocks.size();
        }
      } else {
        value[k] = std::move(r);
      }
      res.ok = true;
    } catch (const OpError& err) {
      res.ok = false;
      res.error = err.what();
    }
  };
  std::mutex progress_m;
  std::size_t progress_done = 0;
  auto progress = [&] {
    if (!options.progress) return;
    std::lock_guard<std::mutex> lock(progress_m);
    options.progress(++progress_done, plan.nodes.size());
  };

  // Levels: a node's level is one more than its deepest node operand's. The nodes of one level are
  // independent. A level with fewer nodes than workers runs node by node on the shared engine
  // (which spreads each operation's PBS over the workers); a wider level runs its nodes
  // concurrently, one per worker on single-thread engines, so that sequential operations (carry
  // chains) of different transactions proceed side by side. Results do not depend on the split.
  std::vector<std::size_t> level(plan.nodes.size(), 0);
  std::size_t levels = 0;
  for (std::size_t k = 0; k < plan.nodes.size(); ++k) {
    for (const OperandRef& o : plan.nodes[k].operands) {
      if (o.kind == OperandRef::Node) level[k] = std::max(level[k], level[o.node] + 1);
    }
    levels = std::max(levels, level[k] + 1);
  }
  std::vector<std::vector<std::size_t>> by_level(levels);
  for (std::size_t k = 0; k < plan.nodes.size(); ++k) by_level[level[k]].push_back(k);
  const std::size_t workers = e.threads();
  std::vector<std::unique_ptr<fhe::integer::Engine>> lanes;  // single-thread engines, on demand
  for (const std::vector<std::size_t>& nodes : by_level) {
    if (nodes.size() < 2 || workers < 2) {
      for (std::size_t k : nodes) {
        run_node(k, e);
        progress();
      }
      continue;
    }
    const std::size_t n = std::min(workers, nodes.size());
    while (lanes.size() < n) lanes.push_back(std::make_unique<fhe::integer::Engine>(sk, 1));
    std::atomic<std::size_t> next{0};
    auto lane = [&](std::size_t w) {
      for (std::size_t i = next.fetch_add(1); i < nodes.size(); i = next.fetch_add(1)) {
        run_node(nodes[i], *lanes[w]);
        progress();
      }
    };
    std::vector<std::exception_ptr> errors(n);
    std::vector<std::thread> threads;
    for (std::size_t w = 1; w < n; ++w) {
      threads.emplace_back([&, w] {
        try {
          lane(w);
        } catch (...) {
          errors[w] = std::current_exception();
        }
      });
    }
    try {
      lane(0);
    } catch (...) {
      errors[0] = std::current_exception();
    }
    for (auto& t : threads) t.join();
    for (auto& err : errors) {
      if (err) std::rethrow_exception(err);
    }
  }
  return results;
}

}  // namespace coproc
