// Deterministic, seedable CSPRNG: AES-128 in counter mode, as tfhe-csprng's "Ctr" seed.
//
// Byte j of the stream is AES128_K(LE16(j/16 + offset))[j%16] with K = LE16(seed), offset 0; bytes
// are consumed strictly in order. Samplers take bytes as TFHE-rs does (reference/tfhe-rs.md §2.3):
//   uniform u64      : 8 bytes, little endian
//   TUniform(b)      : ceil((b+2)/8) bytes LE, masked to b+2 bits r; x = (r>>1) + (r&1) - 2^b
//   binary key bits  : one byte per bit, byte & 1
// AES runs through OpenSSL (AES-NI when present); the output never depends on the CPU.
//
// Thread safety: a Csprng is a mutable stream; use one per thread.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "fhe/params.h"

namespace fhe {

__extension__ typedef unsigned __int128 u128;

class Csprng {
 public:
  // Starts at byte `byte_offset` of the stream: a child window, as tfhe-csprng's fork, so that
  // parallel generation equals one sequential stream.
  explicit Csprng(u128 seed, uint64_t byte_offset = 0);
  // tfhe-csprng's XofSeed: data = domain_separator (8 bytes) || seed. A CBC-MAC under the zero
  // AES key over the 16-byte blocks of data (last one zero-padded) then LE16(bit length of data)
  // gives the key (the last chaining value) and the counter offset (the one before it).
  static Csprng from_xof_seed(std::span<const uint8_t> seed, const char (&domain)[9]);
  ~Csprng();
  Csprng(Csprng&&) noexcept;
  Csprng& operator=(Csprng&&) noexcept;
  Csprng(const Csprng&) = delete;
  Csprng& operator=(const Csprng&) = delete;

  // A seed from the operating system (getrandom). For key generation without an explicit seed.
  static u128 os_seed();

  void fill_bytes(uint8_t* out, std::size_t n);
  uint8_t next_byte();
  uint64_t next_u64();
  u128 next_u128();

  void fill_uniform(std::span<uint64_t> out);
  int64_t tuniform(uint32_t bound_log2);
  void fill_tuniform_add(std::span<uint64_t> out, TUniform d);  // out[i] += sample (wrapping)
  void fill_binary(std::span<uint64_t> out);                    // one byte per bit

  uint64_t bytes_consumed() const { return consumed_; }
  // Bytes one TUniform(b) sample consumes.
  static uint64_t tuniform_bytes(uint32_t bound_log2) { return (bound_log2 + 2 + 7) / 8; }

 private:
  void refill();
  struct Impl;
  std::unique_ptr<Impl> impl_;
  alignas(16) std::array<uint8_t, 4096> buf_{};
  std::size_t pos_ = 4096;
  u128 counter_ = 0;
  u128 counter_offset_ = 0;  // added to every counter block (XofSeed); 0 for a plain seed
  uint64_t consumed_ = 0;
};

}  // namespace fhe
