// A minimal deterministic parallel loop: splits [0, n) into contiguous chunks, one per worker.
// Results must not depend on the split (each index writes only its own output), so they are the
// same for any thread count.
#pragma once

#include <algorithm>
#include <cstddef>
#include <exception>
#include <system_error>
#include <thread>
#include <vector>

#include "fhe/threads.h"

namespace fhe::detail {

template <class F>
void parallel_for(std::size_t n, F&& body) {
  const std::size_t workers = std::min<std::size_t>(thread_count(), n);
  if (workers <= 1) {
    for (std::size_t i = 0; i < n; ++i) body(i);
    return;
  }
  std::vector<std::thread> threads;
  std::vector<std::exception_ptr> errors(workers);
  const std::size_t chunk = (n + workers - 1) / workers;
  auto run_chunk = [&](std::size_t w) {
    try {
      const std::size_t lo = w * chunk, hi = std::min(n, lo + chunk);
      for (std::size_t i = lo; i < hi; ++i) body(i);
    } catch (...) {
      errors[w] = std::current_exception();
    }
  };
  std::size_t started = 1;  // chunk 0 runs on the calling thread
  try {
    for (; started < workers; ++started) threads.emplace_back(run_chunk, started);
  } catch (const std::system_error&) {
    // No more threads to be had: the remaining chunks run here (same results, only slower).
  }
  run_chunk(0);
  for (std::size_t w = started; w < workers; ++w) run_chunk(w);
  for (auto& t : threads) t.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
}

// Splits [0, n) into batches of at most `max_batch` consecutive indices, as evenly as the workers
// allow, and runs body(lo, hi) for each batch through parallel_for. Results must not depend on the
// split (each index writes only its own output).
template <class F>
void parallel_batches(std::size_t n, std::size_t max_batch, F&& body) {
  if (n == 0) return;
  const std::size_t workers = std::max<std::size_t>(1, std::min<std::size_t>(thread_count(), n));
  const std::size_t size = std::clamp<std::size_t>((n + workers - 1) / workers, 1, max_batch);
  parallel_for((n + size - 1) / size,
               [&](std::size_t b) { body(b * size, std::min(n, (b + 1) * size)); });
}

}  // namespace fhe::detail
