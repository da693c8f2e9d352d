#include "fhe/threads.h"

#include <atomic>
#include <cstdlib>
#include <thread>

namespace fhe {
namespace {
std::atomic<unsigned> g_threads{0};
}

void set_thread_count(unsigned n) {
  g_threads.store(n);
}

unsigned thread_count() {
  if (unsigned n = g_threads.load()) return n;
  if (const char* e = std::getenv("FHE_THREADS")) {
    const int v = std::atoi(e);
    if (v > 0) return static_cast<unsigned>(v);
  }
  const unsigned h = std::thread::hardware_concurrency();
  return h == 0 ? 1 : h;
}

}  // namespace fhe
