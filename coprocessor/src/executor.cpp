#include "coprocessor/executor.h"

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
  std::map<Handle, fhe::integer::Ciphertext> inputs;  // decompressed stored inputs, once each
  std::vector<bool> consumed(plan.nodes.size(), false);
  for (const PlanNode& node : plan.nodes) {
    for (const OperandRef& o : node.operands) {
      if (o.kind == OperandRef::Node) consumed[o.node] = true;
    }
  }
  for (std::size_t k = 0; k < plan.nodes.size(); ++k) {
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
            auto it = inputs.find(o.handle);
            if (it == inputs.end()) {
              try {
                it = inputs
                         .emplace(o.handle,
                                  decompress_ct64(sk, stored.at(o.handle), handle_type(o.handle)))
                         .first;
              } catch (const StorageError& s) {
                throw OpError("input " + short_hex(o.handle) + ": " + s.what());
              }
            }
            x.ct = it->second;
            break;
          }
        }
        ops.push_back(std::move(x));
      }
      fhe::integer::Ciphertext r =
          execute(e, row.fhe_operation, std::move(ops), handle_type(row.output_handle),
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
    if (options.progress) options.progress(k + 1, plan.nodes.size());
  }
  return results;
}

}  // namespace coproc
