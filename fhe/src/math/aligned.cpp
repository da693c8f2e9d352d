#include "fhe/aligned.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstring>

namespace fhe {

void secure_zero(void* p, std::size_t n) noexcept {
  // explicit_bzero is not elided by the optimizer (glibc >= 2.25).
  explicit_bzero(p, n);
}

namespace {
constexpr std::size_t kHugeThreshold = std::size_t{4} << 20;
constexpr std::size_t kHugePage = std::size_t{2} << 20;
}  // namespace

void* allocate_aligned(std::size_t bytes, std::size_t align) {
  if (bytes < kHugeThreshold) return ::operator new (bytes, std::align_val_t{align});
  const std::size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
  void* p = ::operator new (rounded, std::align_val_t{std::max(align, kHugePage)});
  // Advice only: without transparent huge pages the memory is used as it is.
  (void)madvise(p, rounded, MADV_HUGEPAGE);
  return p;
}

void deallocate_aligned(void* p, std::size_t bytes, std::size_t align) noexcept {
  if (bytes < kHugeThreshold) return ::operator delete (p, std::align_val_t{align});
  ::operator delete (p, std::align_val_t{std::max(align, kHugePage)});
}

}  // namespace fhe
