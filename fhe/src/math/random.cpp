#include "fhe/random.h"

#include <openssl/evp.h>
#include <sys/random.h>

#include <cstring>
#include <stdexcept>
#include <vector>

#include "fhe/aligned.h"

namespace fhe {

struct Csprng::Impl {
  EVP_CIPHER_CTX* ctx = nullptr;
  ~Impl() {
    if (ctx) EVP_CIPHER_CTX_free(ctx);
  }
};

namespace {
void le16(u128 v, uint8_t* out) {
  for (int i = 0; i < 16; ++i) out[i] = static_cast<uint8_t>(v >> (8 * i));
}
}  // namespace

Csprng::Csprng(u128 seed, uint64_t byte_offset) : impl_(std::make_unique<Impl>()) {
  uint8_t key[16];
  le16(seed, key);
  impl_->ctx = EVP_CIPHER_CTX_new();
  if (!impl_->ctx ||
      EVP_EncryptInit_ex(impl_->ctx, EVP_aes_128_ecb(), nullptr, key, nullptr) != 1) {
    throw std::runtime_error("Csprng: AES-128 initialisation failed");
  }
  EVP_CIPHER_CTX_set_padding(impl_->ctx, 0);
  secure_zero(key, sizeof key);
  counter_ = byte_offset / 16;
  pos_ = buf_.size();
  refill();
  pos_ = byte_offset % 16;
  consumed_ = 0;
}

Csprng Csprng::from_xof_seed(std::span<const uint8_t> seed, const char (&domain)[9]) {
  std::vector<uint8_t> data(domain, domain + 8);
  data.insert(data.end(), seed.begin(), seed.end());
  const u128 bit_len = static_cast<u128>(data.size()) * 8;
  data.resize((data.size() + 15) / 16 * 16, 0);
  uint8_t len_block[16];
  le16(bit_len, len_block);
  data.insert(data.end(), len_block, len_block + 16);

  // CBC-MAC with the all-zero key: c_i = AES_0(c_{i-1} xor m_i), c_0 = 0.
  Csprng zero(0);  // reuses the AES-128-ECB context of key LE16(0)
  uint8_t prev[16] = {}, c[16] = {};
  for (std::size_t off = 0; off < data.size(); off += 16) {
    std::memcpy(prev, c, 16);
    uint8_t in[16];
    for (int i = 0; i < 16; ++i) in[i] = static_cast<uint8_t>(prev[i] ^ data[off + i]);
    int outl = 0;
    if (EVP_EncryptUpdate(zero.impl_->ctx, c, &outl, in, 16) != 1 || outl != 16) {
      throw std::runtime_error("Csprng: AES-128 encryption failed");
    }
  }
  u128 key = 0, offset = 0;
  for (int i = 15; i >= 0; --i) {
    key = (key << 8) | c[i];
    offset = (offset << 8) | prev[i];
  }
  secure_zero(c, sizeof c);
  Csprng out(key);
  out.counter_offset_ = offset;
  out.counter_ = 0;
  out.refill();
  out.pos_ = 0;
  out.consumed_ = 0;
  return out;
}

Csprng::~Csprng() {
  secure_zero(buf_.data(), buf_.size());
}
Csprng::Csprng(Csprng&&) noexcept = default;
Csprng& Csprng::operator=(Csprng&&) noexcept = default;

u128 Csprng::os_seed() {
  u128 s = 0;
  uint8_t b[16];
  std::size_t got = 0;
  while (got < sizeof b) {
    ssize_t r = getrandom(b + got, sizeof b - got, 0);
    if (r < 0) throw std::runtime_error("getrandom failed");
    got += static_cast<std::size_t>(r);
  }
  for (int i = 15; i >= 0; --i) s = (s << 8) | b[i];
  secure_zero(b, sizeof b);
  return s;
}

void Csprng::refill() {
  // Counter blocks LE16(counter), encrypted in one call (AES-NI pipelines them).
  alignas(16) uint8_t ctr[sizeof buf_];
  for (std::size_t i = 0; i < buf_.size() / 16; ++i) {
    le16(counter_ + i + counter_offset_, ctr + 16 * i);
  }
  counter_ += buf_.size() / 16;
  int outl = 0;
  if (EVP_EncryptUpdate(impl_->ctx, buf_.data(), &outl, ctr, static_cast<int>(sizeof ctr)) != 1 ||
      outl != static_cast<int>(sizeof ctr)) {
    throw std::runtime_error("Csprng: AES-128 encryption failed");
  }
  pos_ = 0;
}

void Csprng::fill_bytes(uint8_t* out, std::size_t n) {
  consumed_ += n;
  while (n > 0) {
    if (pos_ == buf_.size()) refill();
    std::size_t take = std::min(n, buf_.size() - pos_);
    std::memcpy(out, buf_.data() + pos_, take);
    pos_ += take;
    out += take;
    n -= take;
  }
}

uint8_t Csprng::next_byte() {
  if (pos_ == buf_.size()) refill();
  ++consumed_;
  return buf_[pos_++];
}

uint64_t Csprng::next_u64() {
  uint8_t b[8];
  fill_bytes(b, 8);
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | b[i];
  return v;
}

u128 Csprng::next_u128() {
  uint64_t lo = next_u64();
  uint64_t hi = next_u64();
  return (static_cast<u128>(hi) << 64) | lo;
}

void Csprng::fill_uniform(std::span<uint64_t> out) {
  for (auto& v : out) v = next_u64();
}

int64_t Csprng::tuniform(uint32_t b) {
  const uint32_t nbytes = static_cast<uint32_t>(tuniform_bytes(b));
  uint8_t buf[16];
  fill_bytes(buf, nbytes);
  uint64_t r = 0;
  for (int i = static_cast<int>(nbytes) - 1; i >= 0; --i) r = (r << 8) | buf[i];
  const uint32_t bits = b + 2;
  if (bits < 64) r &= (uint64_t{1} << bits) - 1;
  // x = (r >> 1) + (r & 1) - 2^b, in [-2^b, 2^b].
  return static_cast<int64_t>((r >> 1) + (r & 1) - (uint64_t{1} << b));
}

void Csprng::fill_tuniform_add(std::span<uint64_t> out, TUniform d) {
  for (auto& v : out) v += static_cast<uint64_t>(tuniform(d.bound_log2));
}

void Csprng::fill_binary(std::span<uint64_t> out) {
  for (auto& v : out) v = next_byte() & 1u;
}

}  // namespace fhe
