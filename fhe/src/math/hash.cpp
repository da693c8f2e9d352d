#include "fhe/hash.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace fhe {

namespace {

// ---------------------------------------------------------------------------------------------
// Keccak-f[1600] (FIPS 202 §3). Lane (x, y) is lanes[x + 5y]; bytes map to lanes little endian.

constexpr uint64_t rotl64(uint64_t v, unsigned r) {
  return r == 0 ? v : (v << r) | (v >> (64 - r));
}

// Round constants from the degree-8 LFSR rc(t) (FIPS 202 Algorithm 5): bit 2^j - 1 of RC[i] is
// rc(j + 7i).
constexpr std::array<uint64_t, 24> make_round_constants() {
  std::array<uint64_t, 24> rc{};
  unsigned r = 1;  // LFSR state, bit k = R[k]
  for (unsigned t = 0; t < 24 * 7; ++t) {
    if (r & 1) rc[t / 7] |= uint64_t{1} << ((1u << (t % 7)) - 1);
    r <<= 1;
    if (r & 0x100) r ^= 0x171;  // R[0], R[4], R[5], R[6] ^= R[8]; truncate to 8 bits
  }
  return rc;
}

// Rotation offsets of rho (FIPS 202 Algorithm 2).
constexpr std::array<unsigned, 25> make_rho_offsets() {
  std::array<unsigned, 25> off{};
  unsigned x = 1, y = 0;
  for (unsigned t = 0; t < 24; ++t) {
    off[x + 5 * y] = ((t + 1) * (t + 2) / 2) % 64;
    const unsigned nx = y, ny = (2 * x + 3 * y) % 5;
    x = nx;
    y = ny;
  }
  return off;
}

constexpr std::array<uint64_t, 24> kRoundConstants = make_round_constants();
constexpr std::array<unsigned, 25> kRhoOffsets = make_rho_offsets();
static_assert(kRoundConstants[0] == 0x0000000000000001ull);
static_assert(kRoundConstants[1] == 0x0000000000008082ull);
static_assert(kRoundConstants[23] == 0x8000000080008008ull);
static_assert(kRhoOffsets[1] == 1 && kRhoOffsets[24] == 14);

void keccak_f1600(std::array<uint64_t, 25>& a) {
  for (unsigned round = 0; round < 24; ++round) {
    // theta
    uint64_t c[5];
    for (unsigned x = 0; x < 5; ++x) c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
    for (unsigned x = 0; x < 5; ++x) {
      const uint64_t d = c[(x + 4) % 5] ^ rotl64(c[(x + 1) % 5], 1);
      for (unsigned y = 0; y < 25; y += 5) a[x + y] ^= d;
    }
    // rho and pi: B[y, 2x + 3y] = rot(A[x, y])
    uint64_t b[25];
    for (unsigned x = 0; x < 5; ++x) {
      for (unsigned y = 0; y < 5; ++y) {
        b[y + 5 * ((2 * x + 3 * y) % 5)] = rotl64(a[x + 5 * y], kRhoOffsets[x + 5 * y]);
      }
    }
    // chi
    for (unsigned y = 0; y < 25; y += 5) {
      for (unsigned x = 0; x < 5; ++x) {
        a[x + y] = b[x + y] ^ (~b[(x + 1) % 5 + y] & b[(x + 2) % 5 + y]);
      }
    }
    // iota
    a[0] ^= kRoundConstants[round];
  }
}

constexpr std::size_t kKeccakRate = 136;  // bytes, for a 256-bit capacity-512 sponge

uint64_t load64_le(const uint8_t* p) {
  uint64_t v = 0;
  for (unsigned i = 0; i < 8; ++i) v |= uint64_t{p[i]} << (8 * i);
  return v;
}

uint32_t load32_le(const uint8_t* p) {
  return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}

void store32_le(uint8_t* p, uint32_t v) {
  for (unsigned i = 0; i < 4; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Sponge

void detail::KeccakSponge256::update(std::span<const uint8_t> data) {
  const uint8_t* p = data.data();
  std::size_t n = data.size();
  while (n > 0) {
    if (pos_ == 0 && n >= kKeccakRate) {  // a whole block at a block boundary: lane by lane
      for (std::size_t i = 0; i < kKeccakRate / 8; ++i) lanes_[i] ^= load64_le(p + 8 * i);
      keccak_f1600(lanes_);
      p += kKeccakRate;
      n -= kKeccakRate;
      continue;
    }
    lanes_[pos_ / 8] ^= uint64_t{*p++} << (8 * (pos_ % 8));
    --n;
    if (++pos_ == kKeccakRate) {
      keccak_f1600(lanes_);
      pos_ = 0;
    }
  }
}

void detail::KeccakSponge256::pad() {
  lanes_[pos_ / 8] ^= uint64_t{pad_} << (8 * (pos_ % 8));
  lanes_[(kKeccakRate - 1) / 8] ^= uint64_t{0x80} << (8 * ((kKeccakRate - 1) % 8));
  keccak_f1600(lanes_);
  pos_ = 0;
}

// Squeezing: pos_ counts the bytes of the current output block already read.
void detail::KeccakSponge256::squeeze(uint8_t* out, std::size_t len) {
  for (std::size_t i = 0; i < len; ++i) {
    if (pos_ == kKeccakRate) {
      keccak_f1600(lanes_);
      pos_ = 0;
    }
    out[i] = static_cast<uint8_t>(lanes_[pos_ / 8] >> (8 * (pos_ % 8)));
    ++pos_;
  }
}

void detail::KeccakSponge256::reset() {
  lanes_.fill(0);
  pos_ = 0;
}

std::array<uint8_t, 32> detail::KeccakSponge256::finalize() {
  pad();
  std::array<uint8_t, 32> out;
  squeeze(out.data(), out.size());
  reset();
  return out;
}

void Shake256::update(std::span<const uint8_t> data) {
  if (squeezing_) throw std::logic_error("Shake256::update after squeeze");
  sponge_.update(data);
}

void Shake256::squeeze(uint8_t* out, std::size_t len) {
  if (!squeezing_) {
    sponge_.pad();
    squeezing_ = true;
  }
  sponge_.squeeze(out, len);
}

std::array<uint8_t, 32> sha3_256(std::span<const uint8_t> data) {
  Sha3_256 h;
  h.update(data);
  return h.finalize();
}

std::array<uint8_t, 32> keccak256(std::span<const uint8_t> data) {
  Keccak256 h;
  h.update(data);
  return h.finalize();
}

std::vector<uint8_t> shake256(std::span<const uint8_t> data, std::size_t out_len) {
  Shake256 h;
  h.update(data);
  std::vector<uint8_t> out(out_len);
  h.squeeze(out.data(), out.size());
  return out;
}

// ---------------------------------------------------------------------------------------------
// BLAKE3 (specification §2): compression function, chunks of 16 blocks, binary tree of parents.

namespace {

constexpr std::array<uint32_t, 8> kBlake3Iv = {0x6A09E667, 0xBB67AE85, 0x3C6EF372, 0xA54FF53A,
                                               0x510E527F, 0x9B05688C, 0x1F83D9AB, 0x5BE0CD19};
constexpr std::array<unsigned, 16> kMsgPermutation = {2, 6,  3,  10, 7, 0,  4,  13,
                                                      1, 11, 12, 5,  9, 14, 15, 8};
constexpr uint32_t kChunkStart = 1, kChunkEnd = 2, kParent = 4, kRoot = 8;

using Cv = std::array<uint32_t, 8>;
using Words16 = std::array<uint32_t, 16>;

constexpr uint32_t rotr32(uint32_t v, unsigned r) {
  return (v >> r) | (v << (32 - r));
}

inline void g(Words16& s, unsigned a, unsigned b, unsigned c, unsigned d, uint32_t mx,
              uint32_t my) {
  s[a] = s[a] + s[b] + mx;
  s[d] = rotr32(s[d] ^ s[a], 16);
  s[c] = s[c] + s[d];
  s[b] = rotr32(s[b] ^ s[c], 12);
  s[a] = s[a] + s[b] + my;
  s[d] = rotr32(s[d] ^ s[a], 8);
  s[c] = s[c] + s[d];
  s[b] = rotr32(s[b] ^ s[c], 7);
}

// The full 16-word output of the compression function.
Words16 compress(const Cv& cv, const Words16& block, uint64_t counter, uint32_t block_len,
                 uint32_t flags) {
  Words16 s = {cv[0],
               cv[1],
               cv[2],
               cv[3],
               cv[4],
               cv[5],
               cv[6],
               cv[7],
               kBlake3Iv[0],
               kBlake3Iv[1],
               kBlake3Iv[2],
               kBlake3Iv[3],
               static_cast<uint32_t>(counter),
               static_cast<uint32_t>(counter >> 32),
               block_len,
               flags};
  Words16 m = block;
  for (unsigned round = 0; round < 7; ++round) {
    g(s, 0, 4, 8, 12, m[0], m[1]);
    g(s, 1, 5, 9, 13, m[2], m[3]);
    g(s, 2, 6, 10, 14, m[4], m[5]);
    g(s, 3, 7, 11, 15, m[6], m[7]);
    g(s, 0, 5, 10, 15, m[8], m[9]);
    g(s, 1, 6, 11, 12, m[10], m[11]);
    g(s, 2, 7, 8, 13, m[12], m[13]);
    g(s, 3, 4, 9, 14, m[14], m[15]);
    if (round < 6) {
      Words16 p;
      for (unsigned i = 0; i < 16; ++i) p[i] = m[kMsgPermutation[i]];
      m = p;
    }
  }
  for (unsigned i = 0; i < 8; ++i) {
    s[i] ^= s[i + 8];
    s[i + 8] ^= cv[i];
  }
  return s;
}

Cv first8(const Words16& w) {
  Cv cv;
  std::copy_n(w.begin(), 8, cv.begin());
  return cv;
}

Words16 block_words(const uint8_t* block64) {
  Words16 w;
  for (unsigned i = 0; i < 16; ++i) w[i] = load32_le(block64 + 4 * i);
  return w;
}

// The inputs of a node's last compression, from which its chaining value or (at the root) the
// extendable output derive.
struct Node {
  Cv cv;
  Words16 block;
  uint64_t counter;
  uint32_t block_len;
  uint32_t flags;

  Cv chaining_value() const { return first8(compress(cv, block, counter, block_len, flags)); }
};

Node parent_node(const Cv& left, const Cv& right) {
  Node n{kBlake3Iv, {}, 0, 64, kParent};
  std::copy(left.begin(), left.end(), n.block.begin());
  std::copy(right.begin(), right.end(), n.block.begin() + 8);
  return n;
}

}  // namespace

Blake3::Blake3() : chunk_cv_(kBlake3Iv) {}

void Blake3::update(std::span<const uint8_t> data) {
  const uint8_t* p = data.data();
  std::size_t n = data.size();
  while (n > 0) {
    const std::size_t chunk_filled = blocks_compressed_ * kBlockLen + block_len_;
    if (chunk_filled == kChunkLen) {
      // The chunk is complete and more input follows: it is not the root. Close it, then merge
      // completed subtrees: one merge per trailing zero bit of the new chunk count.
      const uint32_t flags = kChunkEnd | (blocks_compressed_ == 0 ? kChunkStart : 0);
      Cv cv = first8(compress(chunk_cv_, block_words(block_.data()), chunk_counter_,
                              static_cast<uint32_t>(block_len_), flags));
      uint64_t total_chunks = chunk_counter_ + 1;
      while ((total_chunks & 1) == 0) {
        cv = parent_node(cv_stack_[--cv_stack_len_], cv).chaining_value();
        total_chunks >>= 1;
      }
      cv_stack_[cv_stack_len_++] = cv;
      chunk_cv_ = kBlake3Iv;
      ++chunk_counter_;
      block_.fill(0);
      block_len_ = 0;
      blocks_compressed_ = 0;
      continue;
    }
    if (block_len_ == kBlockLen) {
      // A full block with more input after it in this chunk: not the chunk's last block.
      const uint32_t flags = blocks_compressed_ == 0 ? kChunkStart : 0;
      chunk_cv_ =
          first8(compress(chunk_cv_, block_words(block_.data()), chunk_counter_, 64, flags));
      ++blocks_compressed_;
      block_.fill(0);
      block_len_ = 0;
    }
    const std::size_t take = std::min(kBlockLen - block_len_, n);
    std::memcpy(block_.data() + block_len_, p, take);
    block_len_ += take;
    p += take;
    n -= take;
  }
}

void Blake3::finalize_xof(uint8_t* out, std::size_t len) const {
  // The current chunk, then its merges with the stacked subtrees, right to left; the last node
  // is the root.
  Node node{chunk_cv_, block_words(block_.data()), chunk_counter_,
            static_cast<uint32_t>(block_len_),
            kChunkEnd | (blocks_compressed_ == 0 ? kChunkStart : 0)};
  for (std::size_t i = cv_stack_len_; i > 0; --i) {
    node = parent_node(cv_stack_[i - 1], node.chaining_value());
  }
  // Extendable output: the root compression with output block counters 0, 1, 2, ...
  uint8_t block[64];
  for (uint64_t counter = 0; len > 0; ++counter) {
    const Words16 w = compress(node.cv, node.block, counter, node.block_len, node.flags | kRoot);
    for (unsigned i = 0; i < 16; ++i) store32_le(block + 4 * i, w[i]);
    const std::size_t take = std::min<std::size_t>(len, sizeof block);
    std::memcpy(out, block, take);
    out += take;
    len -= take;
  }
}

std::array<uint8_t, 32> Blake3::finalize() const {
  std::array<uint8_t, 32> out;
  finalize_xof(out.data(), out.size());
  return out;
}

}  // namespace fhe
