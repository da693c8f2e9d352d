#include "fhe/native_format.h"

#include <cstring>
#include <string>

namespace fhe::native {
namespace {

constexpr char kClientMagic[8] = {'F', 'H', 'E', 'C', 'K', 'E', 'Y', '\0'};
constexpr char kServerMagic[8] = {'F', 'H', 'E', 'S', 'K', 'E', 'Y', '\0'};
constexpr uint32_t kVersion = 2;  // 1 is read too (no optional parts)

class Writer {
 public:
  void bytes(const void* p, std::size_t n) {
    const auto* b = static_cast<const uint8_t*>(p);
    out_.insert(out_.end(), b, b + n);
  }
  void u8(uint8_t v) { out_.push_back(v); }
  void u32(uint32_t v) {
    for (int i = 0; i < 4; ++i) out_.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  void u64(uint64_t v) {
    for (int i = 0; i < 8; ++i) out_.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  void words(const uint64_t* p, std::size_t n) {
    u64(n);
    const std::size_t at = out_.size();
    out_.resize(at + 8 * n);
    for (std::size_t i = 0; i < n; ++i)
      for (int j = 0; j < 8; ++j) out_[at + 8 * i + j] = static_cast<uint8_t>(p[i] >> (8 * j));
  }
  void reserve(std::size_t n) { out_.reserve(n); }
  std::vector<uint8_t> take() { return std::move(out_); }

 private:
  std::vector<uint8_t> out_;
};

class Reader {
 public:
  Reader(std::span<const uint8_t> b, const char* what) : b_(b), what_(what) {}
  void need(std::size_t n) const {
    if (b_.size() - pos_ < n) fail("truncated");
  }
  [[noreturn]] void fail(const std::string& why) const {
    throw NativeFormatError(std::string(what_) + ": " + why + " (at byte " + std::to_string(pos_) +
                            " of " + std::to_string(b_.size()) + ")");
  }
  uint8_t u8() {
    need(1);
    return b_[pos_++];
  }
  uint32_t u32() {
    need(4);
    uint32_t v = 0;
    for (int i = 3; i >= 0; --i) v = (v << 8) | b_[pos_ + static_cast<std::size_t>(i)];
    pos_ += 4;
    return v;
  }
  uint64_t u64() {
    need(8);
    uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = (v << 8) | b_[pos_ + static_cast<std::size_t>(i)];
    pos_ += 8;
    return v;
  }
  void bits(SecretVec<uint64_t>& out, std::size_t n) {
    need(n);
    out.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      const uint8_t v = b_[pos_ + i];
      if (v > 1) fail("secret key bit is not 0 or 1");
      out[i] = v;
    }
    pos_ += n;
  }
  void words(AVec<uint64_t>& out, std::size_t expected) {
    const uint64_t n = u64();
    if (n != expected) {
      fail("array of " + std::to_string(n) + " words, expected " + std::to_string(expected));
    }
    need(8 * n);
    out.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      uint64_t v = 0;
      for (int j = 7; j >= 0; --j) v = (v << 8) | b_[pos_ + 8 * i + static_cast<std::size_t>(j)];
      out[i] = v;
    }
    pos_ += 8 * n;
  }
  void magic(const char (&m)[8]) {
    need(8);
    if (std::memcmp(b_.data(), m, 8) != 0)
      fail("not a " + std::string(what_) + " file (bad magic)");
    pos_ += 8;
    version_ = u32();
    if (version_ != 1 && version_ != kVersion) {
      fail("unsupported format version " + std::to_string(version_));
    }
  }
  uint32_t version() const { return version_; }
  bool flag() {
    const uint8_t f = u8();
    if (f > 1) fail("bad flag");
    return f == 1;
  }
  template <class Vec>
  void plain_words(Vec& out, std::size_t expected) {
    AVec<uint64_t> tmp;
    words(tmp, expected);
    out.assign(tmp.begin(), tmp.end());
  }
  const ShortintParams& params() {
    const uint32_t id = u32();
    try {
      return params_by_id(static_cast<ParamSetId>(id));
    } catch (const ParamError& e) {
      fail(e.what());
    }
  }
  void end() const {
    if (pos_ != b_.size()) fail("trailing bytes");
  }

 private:
  std::span<const uint8_t> b_;
  std::size_t pos_ = 0;
  const char* what_;
  uint32_t version_ = 0;
};

void write_bits(Writer& w, const SecretVec<uint64_t>& bits) {
  for (uint64_t b : bits) w.u8(static_cast<uint8_t>(b));
}

}  // namespace

std::vector<uint8_t> serialize_client_key(const ClientKey& ck) {
  if (!ck.params) throw NativeFormatError("client key: no parameters");
  Writer w;
  // Exact size up front: no reallocation leaves copies of key bits behind.
  w.reserve(
      19 + ck.lwe.bits.size() + ck.glwe.bits.size() + (ck.oprf_lwe ? ck.oprf_lwe->bits.size() : 0) +
      (ck.compression ? ck.compression->bits.size() : 0) + (ck.cpk ? ck.cpk->bits.size() : 0));
  w.bytes(kClientMagic, 8);
  w.u32(kVersion);
  w.u32(static_cast<uint32_t>(ck.params->id));
  w.u8(ck.oprf_lwe ? 1 : 0);
  w.u8(ck.compression ? 1 : 0);
  w.u8(ck.cpk ? 1 : 0);
  write_bits(w, ck.lwe.bits);
  write_bits(w, ck.glwe.bits);
  if (ck.oprf_lwe) write_bits(w, ck.oprf_lwe->bits);
  if (ck.compression) write_bits(w, ck.compression->bits);
  if (ck.cpk) write_bits(w, ck.cpk->bits);
  return w.take();
}

ClientKey deserialize_client_key(std::span<const uint8_t> bytes) {
  Reader r(bytes, "client key");
  r.magic(kClientMagic);
  ClientKey ck;
  ck.params = &r.params();
  const ShortintParams& p = *ck.params;
  const bool has_oprf = r.flag();
  const bool has_compression = r.version() >= 2 && r.flag();
  const bool has_cpk = r.version() >= 2 && r.flag();
  r.bits(ck.lwe.bits, p.lwe_dimension);
  ck.glwe.glwe_dimension = p.glwe_dimension;
  ck.glwe.polynomial_size = p.polynomial_size;
  r.bits(ck.glwe.bits, p.big_lwe_dimension());
  if (has_oprf) {
    ck.oprf_lwe.emplace();
    r.bits(ck.oprf_lwe->bits, p.lwe_dimension);
  }
  const MetaParams& meta = meta_params(p);
  if (has_compression) {
    ck.compression.emplace();
    ck.compression->glwe_dimension = meta.compression->packing_glwe_dimension;
    ck.compression->polynomial_size = meta.compression->packing_polynomial_size;
    r.bits(ck.compression->bits, std::size_t{meta.compression->packing_glwe_dimension} *
                                     meta.compression->packing_polynomial_size);
  }
  if (has_cpk) {
    ck.cpk.emplace();
    r.bits(ck.cpk->bits, meta.cpk->encryption_lwe_dimension);
  }
  r.end();
  return ck;
}

std::vector<uint8_t> serialize_server_key(const ServerKeyMaterial& m) {
  if (!m.params) throw NativeFormatError("server key: no parameters");
  Writer w;
  w.bytes(kServerMagic, 8);
  w.u32(kVersion);
  w.u32(static_cast<uint32_t>(m.params->id));
  w.words(m.ksk.data.data(), m.ksk.data.size());
  w.words(m.bsk.data.data(), m.bsk.data.size());
  w.u8(m.oprf_bsk ? 1 : 0);
  w.u8(m.packing_ksk && m.decompression_bsk ? 1 : 0);
  w.u8(m.cpk && m.rerand_ksk ? 1 : 0);
  if (m.oprf_bsk) w.words(m.oprf_bsk->data.data(), m.oprf_bsk->data.size());
  if (m.packing_ksk && m.decompression_bsk) {
    w.words(m.packing_ksk->data.data(), m.packing_ksk->data.size());
    w.words(m.decompression_bsk->data.data(), m.decompression_bsk->data.size());
  }
  if (m.cpk && m.rerand_ksk) {
    w.words(m.cpk->a.data(), m.cpk->a.size());
    w.words(m.cpk->b.data(), m.cpk->b.size());
    w.words(m.rerand_ksk->data.data(), m.rerand_ksk->data.size());
  }
  return w.take();
}

ServerKeyMaterial deserialize_server_key(std::span<const uint8_t> bytes) {
  Reader r(bytes, "server key");
  r.magic(kServerMagic);
  ServerKeyMaterial m;
  m.params = &r.params();
  const ShortintParams& p = *m.params;
  m.ksk.input_dimension = p.big_lwe_dimension();
  m.ksk.output_dimension = p.lwe_dimension;
  m.ksk.decomp = p.ks;
  r.words(m.ksk.data, std::size_t{p.big_lwe_dimension()} * p.ks.level * (p.lwe_dimension + 1));
  m.bsk.input_dimension = p.lwe_dimension;
  m.bsk.glwe_dimension = p.glwe_dimension;
  m.bsk.polynomial_size = p.polynomial_size;
  m.bsk.decomp = p.pbs;
  const std::size_t k1 = p.glwe_dimension + 1;
  r.words(m.bsk.data, std::size_t{p.lwe_dimension} * p.pbs.level * k1 * k1 * p.polynomial_size);
  if (r.version() >= 2) {
    const bool has_oprf = r.flag(), has_compression = r.flag(), has_rerand = r.flag();
    const MetaParams& meta = meta_params(p);
    const auto bsk = [&](uint32_t in, Decomposition d) {
      StandardBootstrapKey b;
      b.input_dimension = in;
      b.glwe_dimension = p.glwe_dimension;
      b.polynomial_size = p.polynomial_size;
      b.decomp = d;
      r.words(b.data, std::size_t{in} * d.level * k1 * k1 * p.polynomial_size);
      return b;
    };
    if (has_oprf) m.oprf_bsk = bsk(p.lwe_dimension, p.pbs);
    if (has_compression) {
      const CompressionParams& cp = *meta.compression;
      PackingKeyswitchKey& k = m.packing_ksk.emplace();
      k.input_dimension = p.big_lwe_dimension();
      k.glwe_dimension = cp.packing_glwe_dimension;
      k.polynomial_size = cp.packing_polynomial_size;
      k.decomp = cp.packing_ks;
      r.words(k.data, std::size_t{k.input_dimension} * k.decomp.level *
                          (std::size_t{k.glwe_dimension} + 1) * k.polynomial_size);
      m.decompression_bsk = bsk(cp.packing_glwe_dimension * cp.packing_polynomial_size, cp.br);
    }
    if (has_rerand) {
      const uint32_t n = meta.cpk->encryption_lwe_dimension;
      CompactPublicKey& cpk = m.cpk.emplace();
      cpk.params = meta.cpk;
      r.plain_words(cpk.a, n);
      r.plain_words(cpk.b, n);
      LweKeyswitchKey& k = m.rerand_ksk.emplace();
      k.input_dimension = n;
      k.output_dimension = p.big_lwe_dimension();
      k.decomp = meta.rerand_ksk->ks;
      r.words(k.data, std::size_t{n} * k.decomp.level * (std::size_t{k.output_dimension} + 1));
    }
  }
  r.end();
  return m;
}

}  // namespace fhe::native
