#include "coprocessor/dfg.h"

#include <algorithm>
#include <set>
#include <string>

namespace coproc {

namespace {
bool is_handle(const Bytes& b) {
  return b.size() == 32;
}
Handle to_handle(const Bytes& b) {
  Handle h{};
  std::copy(b.begin(), b.end(), h.begin());
  return h;
}
std::string hex(const Handle& h) {
  static const char* d = "0123456789abcdef";
  std::string s = "0x";
  for (uint8_t x : h) {
    s += d[x >> 4];
    s += d[x & 15];
  }
  return s;
}
}  // namespace

Plan build_plan(const std::vector<ComputationRow>& rows) {
  const std::size_t n = rows.size();
  // Producers: (transaction, handle) -> row; allowed outputs of the batch: handle -> row.
  // Transaction ids as strings: comparing byte vectors trips GCC 12's -Wstringop-overread.
  const auto tx = [&](std::size_t i) {
    return std::string(rows[i].transaction_id.begin(), rows[i].transaction_id.end());
  };
  std::map<std::pair<std::string, Handle>, std::size_t> in_tx;
  std::map<Handle, std::size_t> allowed_out;
  for (std::size_t i = 0; i < n; ++i) {
    const auto key = std::pair{tx(i), rows[i].output_handle};
    if (!in_tx.emplace(key, i).second) {
      throw DfgError("handle " + hex(rows[i].output_handle) +
                     " is produced twice in one transaction");
    }
    if (rows[i].is_allowed) allowed_out.emplace(rows[i].output_handle, i);
  }
  // Operands and edges.
  std::vector<std::vector<OperandRef>> ops(n);
  std::vector<std::vector<std::size_t>> producers(n);
  for (std::size_t i = 0; i < n; ++i) {
    const ComputationRow& r = rows[i];
    for (std::size_t k = 0; k < r.dependencies.size(); ++k) {
      OperandRef o;
      const Bytes& d = r.dependencies[k];
      if (is_operand_scalar(r.fhe_operation, r.is_scalar, k)) {
        o.kind = OperandRef::Scalar;
        o.scalar = d;
      } else {
        if (!is_handle(d)) {
          throw DfgError(std::string(op_name(r.fhe_operation)) + " operand " + std::to_string(k) +
                         " is not a 32-byte handle");
        }
        o.handle = to_handle(d);
        auto p = in_tx.find({tx(i), o.handle});
        if (p == in_tx.end()) {
          auto a = allowed_out.find(o.handle);
          if (a != allowed_out.end() && a->second != i) p = in_tx.find({tx(a->second), o.handle});
        }
        if (p != in_tx.end() && p->second != i) {
          o.kind = OperandRef::Node;
          o.node = p->second;  // a row index for now
          producers[i].push_back(p->second);
        } else {
          o.kind = OperandRef::Stored;
        }
      }
      ops[i].push_back(std::move(o));
    }
  }
  // Keep what feeds an allowed node.
  std::vector<bool> live(n, false);
  std::vector<std::size_t> stack;
  for (std::size_t i = 0; i < n; ++i) {
    if (rows[i].is_allowed) {
      live[i] = true;
      stack.push_back(i);
    }
  }
  while (!stack.empty()) {
    const std::size_t i = stack.back();
    stack.pop_back();
    for (std::size_t p : producers[i]) {
      if (!live[p]) {
        live[p] = true;
        stack.push_back(p);
      }
    }
  }
  // Topological order (Kahn), ties by row index: deterministic.
  std::vector<std::size_t> indegree(n, 0);
  std::vector<std::vector<std::size_t>> consumers(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (!live[i]) continue;
    for (std::size_t p : producers[i]) {
      ++indegree[i];
      consumers[p].push_back(i);
    }
  }
  std::set<std::size_t> ready;
  for (std::size_t i = 0; i < n; ++i) {
    if (live[i] && indegree[i] == 0) ready.insert(i);
  }
  Plan plan;
  std::vector<std::size_t> position(n, SIZE_MAX);
  while (!ready.empty()) {
    const std::size_t i = *ready.begin();
    ready.erase(ready.begin());
    position[i] = plan.nodes.size();
    PlanNode node;
    node.row = i;
    node.allowed = rows[i].is_allowed;
    node.store = rows[i].is_allowed;
    node.operands = ops[i];
    plan.nodes.push_back(std::move(node));
    for (std::size_t c : consumers[i]) {
      if (--indegree[c] == 0) ready.insert(c);
    }
  }
  std::size_t live_count = 0;
  for (std::size_t i = 0; i < n; ++i) live_count += live[i] ? 1 : 0;
  if (plan.nodes.size() != live_count) throw DfgError("the computations form a cycle");
  std::set<Handle> stored;
  for (PlanNode& node : plan.nodes) {
    for (OperandRef& o : node.operands) {
      if (o.kind == OperandRef::Node) o.node = position[o.node];
      if (o.kind == OperandRef::Stored) stored.insert(o.handle);
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (!live[i]) plan.pruned.push_back(i);
  }
  plan.stored_inputs.assign(stored.begin(), stored.end());
  return plan;
}

}  // namespace coproc
