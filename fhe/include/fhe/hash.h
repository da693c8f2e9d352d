// Hash primitives, written from the specifications in portable scalar C++ (the output never
// depends on the CPU):
//   SHA3-256   FIPS 202 (Keccak-f[1600], rate 136 bytes, domain padding 0x06)
//   Keccak256  Ethereum's Keccak-256 (same sponge, original Keccak padding 0x01); OpenSSL 3.0
//              has no Keccak-256, hence the own permutation, which SHA3-256 shares
//   Shake256   FIPS 202 SHAKE256 extendable output (same sponge and rate, padding 0x1F)
//   Blake3     BLAKE3 in plain hash mode (no keyed / derive-key modes), any input length, with
//              extendable output from offset 0
//
// Thread safety: the one-shot functions are pure. A hasher object is a mutable value: use one per
// thread while it is updated. Blake3's finalizers are const and leave the state unchanged, so a
// state may be copied (or finalized) to branch off several digests of a common prefix.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace fhe {

namespace detail {

// The Keccak-f[1600] sponge with rate 136 bytes (capacity 512) and a 32-byte digest; `pad` is
// the domain byte XORed in after the message (0x06 SHA3, 0x01 original Keccak, 0x1F SHAKE).
class KeccakSponge256 {
 public:
  explicit KeccakSponge256(uint8_t pad) : pad_(pad) {}
  void update(std::span<const uint8_t> data);
  // Returns the digest and resets the sponge to the empty message.
  std::array<uint8_t, 32> finalize();
  // Extendable output: pad() ends absorbing; squeeze() then reads the output stream in any
  // pieces. reset() returns to the empty message.
  void pad();
  void squeeze(uint8_t* out, std::size_t len);
  void reset();

 private:
  std::array<uint64_t, 25> lanes_{};
  std::size_t pos_ = 0;  // bytes absorbed into the current block, < 136
  uint8_t pad_;
};

}  // namespace detail

// Incremental SHA3-256. finalize() returns the digest and resets to the empty message.
class Sha3_256 {
 public:
  void update(std::span<const uint8_t> data) { sponge_.update(data); }
  std::array<uint8_t, 32> finalize() { return sponge_.finalize(); }

 private:
  detail::KeccakSponge256 sponge_{0x06};
};

// Incremental Keccak-256 (Ethereum). finalize() returns the digest and resets to the empty
// message.
class Keccak256 {
 public:
  void update(std::span<const uint8_t> data) { sponge_.update(data); }
  std::array<uint8_t, 32> finalize() { return sponge_.finalize(); }

 private:
  detail::KeccakSponge256 sponge_{0x01};
};

// Incremental SHAKE256 (FIPS 202 §6.2): absorb with update(), then read any amount of output
// with squeeze(), in pieces that concatenate to the same stream. update() after the first
// squeeze() throws std::logic_error; reset() starts a new message.
class Shake256 {
 public:
  void update(std::span<const uint8_t> data);
  void squeeze(uint8_t* out, std::size_t len);
  void reset() {
    sponge_.reset();
    squeezing_ = false;
  }

 private:
  detail::KeccakSponge256 sponge_{0x1F};
  bool squeezing_ = false;
};

std::array<uint8_t, 32> sha3_256(std::span<const uint8_t> data);
std::array<uint8_t, 32> keccak256(std::span<const uint8_t> data);
// The first out_len bytes of SHAKE256(data).
std::vector<uint8_t> shake256(std::span<const uint8_t> data, std::size_t out_len);

// BLAKE3 hash mode. Copyable (about 1.9 KB): a copy continues independently.
class Blake3 {
 public:
  Blake3();
  void update(std::span<const uint8_t> data);
  // The first `len` bytes of the extendable output (the first 32 are finalize()).
  void finalize_xof(uint8_t* out, std::size_t len) const;
  std::array<uint8_t, 32> finalize() const;

 private:
  static constexpr std::size_t kChunkLen = 1024;
  static constexpr std::size_t kBlockLen = 64;
  static constexpr std::size_t kMaxDepth = 54;  // 2^54 chunks = 2^64 bytes

  // The chunk being filled.
  std::array<uint32_t, 8> chunk_cv_;
  uint64_t chunk_counter_ = 0;
  std::array<uint8_t, kBlockLen> block_{};
  std::size_t block_len_ = 0;
  std::size_t blocks_compressed_ = 0;
  // Chaining values of completed subtrees, one per set bit of chunk_counter_, largest first.
  std::array<std::array<uint32_t, 8>, kMaxDepth> cv_stack_{};
  std::size_t cv_stack_len_ = 0;
};

}  // namespace fhe
