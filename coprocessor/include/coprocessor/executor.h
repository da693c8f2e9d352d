// Runs a dataflow plan (dfg.h) on the engine with the per-operation pipeline of DESIGN.md §6:
// encrypted inputs re-randomized, the operation, allowed results compressed (the ct64 stored form);
// consumers of an allowed result use its decompressed stored form, consumers of another result
// its uncompressed value. The outputs are a pure function of the keys and the input bytes: the
// same rows split into other batches give the same bytes.
//
// A failing operation (OpError) fails its node and every node that consumes it, transitively,
// with a message naming the cause; other nodes still run.
//
// Scheduling: the stored inputs are decompressed first, all together (their PBS in full batches);
// then the plan runs level by level (a node's level is one more than its deepest node operand's).
// Independent nodes of a level run concurrently, one per engine worker, when the level has at
// least two; a narrower level runs on the shared engine, which spreads each operation's PBS over
// its workers in batches.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "coprocessor/dfg.h"

namespace coproc {

struct NodeResult {
  bool ok = false;
  std::string error;  // when !ok
  Bytes ct64;         // allowed results: the stored form
  uint64_t pbs = 0;
};

struct RunOptions {
  bool rerandomize = true;
  // Called after each node (progress display), from one thread at a time; may be empty.
  std::function<void(std::size_t done, std::size_t total)> progress;
};

// `stored` holds the ct64 bytes of every handle in plan.stored_inputs (the caller fetched them;
// a missing one is a precondition failure: std::out_of_range).
std::vector<NodeResult> run_plan(fhe::integer::Engine& engine,
                                 const std::vector<ComputationRow>& rows, const Plan& plan,
                                 const std::map<Handle, Bytes>& stored,
                                 const RunOptions& options = {});

}  // namespace coproc
