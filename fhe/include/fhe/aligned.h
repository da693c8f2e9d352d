// 64-byte aligned vectors for the FFT and key buffers, and zero-on-destruction vectors for secrets.
#pragma once

#include <cstddef>
#include <cstdint>
#include <new>
#include <vector>

namespace fhe {

// Memory aligned to `align` bytes. Blocks of 4 MiB or more (bootstrapping and keyswitching keys)
// are aligned to 2 MiB and advised for transparent huge pages: a key streamed from memory at every
// PBS then costs no TLB misses. deallocate_aligned takes the size and alignment given to
// allocate_aligned.
void* allocate_aligned(std::size_t bytes, std::size_t align);
void deallocate_aligned(void* p, std::size_t bytes, std::size_t align) noexcept;

template <class T, std::size_t Align = 64>
struct AlignedAllocator {
  using value_type = T;
  AlignedAllocator() noexcept = default;
  template <class U>
  AlignedAllocator(const AlignedAllocator<U, Align>&) noexcept {}
  template <class U>
  struct rebind {
    using other = AlignedAllocator<U, Align>;
  };
  T* allocate(std::size_t n) { return static_cast<T*>(allocate_aligned(n * sizeof(T), Align)); }
  void deallocate(T* p, std::size_t n) noexcept { deallocate_aligned(p, n * sizeof(T), Align); }
  friend bool operator==(const AlignedAllocator&, const AlignedAllocator&) { return true; }
};

template <class T>
using AVec = std::vector<T, AlignedAllocator<T>>;

// Overwrites memory in a way the optimizer may not remove.
void secure_zero(void* p, std::size_t n) noexcept;

// An allocator whose deallocate() zeroes the memory first: secret keys use it, so every copy and
// every reallocation is wiped when released (rule of zero for the owning types).
template <class T>
struct ZeroingAllocator {
  using value_type = T;
  ZeroingAllocator() noexcept = default;
  template <class U>
  ZeroingAllocator(const ZeroingAllocator<U>&) noexcept {}
  T* allocate(std::size_t n) { return std::allocator<T>{}.allocate(n); }
  void deallocate(T* p, std::size_t n) noexcept {
    secure_zero(p, n * sizeof(T));
    std::allocator<T>{}.deallocate(p, n);
  }
  friend bool operator==(const ZeroingAllocator&, const ZeroingAllocator&) { return true; }
};

template <class T>
using SecretVec = std::vector<T, ZeroingAllocator<T>>;

}  // namespace fhe
