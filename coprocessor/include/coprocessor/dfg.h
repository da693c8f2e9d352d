// The tfhe-worker's dataflow graph over a batch of `computations` rows
// (reference/fhevm-coprocessor.md §1.2 steps 4-5, DESIGN.md §6).
//
// Rows are grouped by host transaction. Inside a transaction an operand that names the output of
// another row of the same transaction is an edge; across transactions, an operand that names an
// allowed output of another row of the batch is an edge too (the consumer reads the producer's
// stored form). Nodes that feed no allowed node, directly or transitively, are pruned: their
// results could never be read. Every other encrypted operand must come from the `ciphertexts`
// table (listed in `stored_inputs`).
//
// The storage rule (DESIGN.md §6): an allowed result is compressed and stored, and every consumer
// of it uses its decompressed stored form; a result that is not allowed is never stored and is
// passed uncompressed to its consumers in the same transaction. An operand's form therefore
// depends only on whether its producer is allowed, never on how rows were batched.
//
// Errors: DfgError for a cycle or a malformed row (both stored as errors by the worker).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <vector>

#include "coprocessor/fhe_ops.h"

namespace coproc {

class DfgError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One `computations` row (the columns the worker reads).
struct ComputationRow {
  Handle output_handle{};
  std::vector<Bytes> dependencies;
  int16_t fhe_operation = 0;
  bool is_scalar = false;
  bool is_allowed = false;
  Bytes transaction_id;
};

struct OperandRef {
  enum Kind { Scalar, Node, Stored } kind = Scalar;
  std::size_t node = 0;  // Node: index into Plan::nodes
  Handle handle{};       // Node, Stored: the handle read
  Bytes scalar;          // Scalar
};

struct PlanNode {
  std::size_t row = 0;  // index into the rows given to build_plan
  std::vector<OperandRef> operands;
  bool allowed = false;
  // A consumer in another transaction or an allowed result: needs the stored (compressed) form.
  bool store = false;
};

struct Plan {
  std::vector<PlanNode> nodes;        // in an execution order (producers first)
  std::vector<std::size_t> pruned;    // rows that feed no allowed node
  std::vector<Handle> stored_inputs;  // distinct handles to read from `ciphertexts`, sorted
};

Plan build_plan(const std::vector<ComputationRow>& rows);

}  // namespace coproc
