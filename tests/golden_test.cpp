// Determinism: a fixed workload from fixed seeds (keys, ciphertexts, PBS outputs) hashed into one
// SHA-256 digest, which must equal the committed value for every FFT backend and thread count
// (DESIGN.md §3). A change of the value is a change of the engine's output bytes: update it only
// on purpose, and say so in the commit.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <cstdio>
#include <string>
#include <vector>

#include "fhe/compression.h"
#include "fhe/core.h"
#include "fhe/cpk.h"
#include "fhe/integer.h"
#include "fhe/keys.h"
#include "fhe/shortint.h"
#include "fhe/threads.h"

namespace fhe {
namespace {

class Sha256 {
 public:
  Sha256() : ctx_(EVP_MD_CTX_new()) { EVP_DigestInit_ex(ctx_, EVP_sha256(), nullptr); }
  ~Sha256() { EVP_MD_CTX_free(ctx_); }
  template <class T>
  void add(const T* p, std::size_t n) {
    EVP_DigestUpdate(ctx_, p, n * sizeof(T));
  }
  std::string hex() {
    unsigned char md[32];
    unsigned int len = 0;
    EVP_DigestFinal_ex(ctx_, md, &len);
    std::string s;
    char buf[3];
    for (unsigned i = 0; i < len; ++i) {
      std::snprintf(buf, sizeof buf, "%02x", md[i]);
      s += buf;
    }
    return s;
  }

 private:
  EVP_MD_CTX* ctx_;
};

std::string run_workload(const ShortintParams& p, FftKind kind, unsigned threads) {
  set_thread_count(threads);
  Sha256 h;
  const ClientKey ck = generate_client_key(p, 1001);
  h.add(ck.lwe.bits.data(), ck.lwe.bits.size());
  h.add(ck.glwe.bits.data(), ck.glwe.bits.size());
  const ServerKeyMaterial m = generate_server_key_material(ck, 1002);
  h.add(m.ksk.data.data(), m.ksk.data.size());
  h.add(m.bsk.data.data(), m.bsk.data.size());
  const ServerKey sk = make_server_key(m, kind);
  // Fourier doubles (backend-independent bits), each GGSW unpacked from the in-memory key layout
  // to the usual Fourier layout in storage order.
  AVec<double> fourier(sk.bsk.data.size());
  const std::size_t ggsw_len = sk.bsk.data.size() / sk.bsk.input_dimension;
  for (std::size_t i = 0; i < sk.bsk.input_dimension; ++i) {
    unpack_key(p.polynomial_size, fourier.data() + i * ggsw_len, sk.bsk.ggsw(i),
               ggsw_len / p.polynomial_size);
  }
  h.add(fourier.data(), fourier.size());
  shortint::Evaluator ev(sk);
  Csprng mask(1003), noise(1004);
  const auto lut = shortint::make_lut(p, [](uint64_t x) { return (3 * x + 1) % 4; });
  const auto biv = shortint::make_bivariate_lut(p, [](uint64_t a, uint64_t b) { return a * b; });
  for (uint64_t v = 0; v < 4; ++v) {
    const auto a = shortint::encrypt(ck, v, mask, noise);
    const auto b = shortint::encrypt(ck, 3 - v, mask, noise);
    h.add(a.ct.data.data(), a.ct.data.size());
    const auto r1 = ev.apply_lut(a, lut);
    const auto r2 = ev.apply_bivariate_lut(a, b, biv);
    const auto r3 = ev.message_extract(ev.add(r1, r2));
    for (const auto* r : {&r1, &r2, &r3}) {
      h.add(r->ct.data.data(), r->ct.data.size());
      h.add(&r->degree, 1);
      h.add(&r->noise_level, 1);
    }
  }
  set_thread_count(0);
  return h.hex();
}

struct Variant {
  FftKind kind;
  unsigned threads;
  const char* name;
};
const Variant kVariants[] = {
    {FftKind::Scalar, 1, "scalar/1 thread"}, {FftKind::Scalar, 2, "scalar/2 threads"},
    {FftKind::Avx2, 1, "avx2/1 thread"},     {FftKind::Avx2, 2, "avx2/2 threads"},
    {FftKind::Avx512, 1, "avx512/1 thread"}, {FftKind::Avx512, 2, "avx512/2 threads"}};

// Committed digests. Produced by this test (it prints the value it computes).
const char* kToyGolden = "c0b7e5902aa5671ff30d4c1f86c34e4800070d4250e7c8b676d5a32b20070362";
const char* kRealGolden = "140c200c0577303598a88ac5a75676d8f5610820c30a37c8ccbde2f96d95a12f";

void check(const ShortintParams& p, const char* golden, bool all_variants) {
  for (const Variant& v : kVariants) {
    // The real set runs the extremes only (scalar/1 thread, each SIMD backend with 2 threads):
    // its keygen is slow.
    if (!all_variants && ((v.kind == FftKind::Scalar) != (v.threads == 1))) continue;
    if (!fft_kind_supported(v.kind)) {
      std::printf("[golden] %s: %s not supported by this CPU, skipped\n",
                  std::string(p.name).c_str(), v.name);
      continue;
    }
    const std::string d = run_workload(p, v.kind, v.threads);
    std::printf("[golden] %s %-17s %s\n", std::string(p.name).c_str(), v.name, d.c_str());
    EXPECT_EQ(d, golden) << v.name;
  }
}

TEST(Golden, ToySetEveryBackendAndThreadCount) {
  allow_insecure(true);
  check(kToyInsecure, kToyGolden, true);
}

std::string integer_workload(FftKind kind, unsigned threads) {
  const ShortintParams& p = kToyInsecure;
  const ClientKey ck = generate_client_key(p, 2001);
  const ServerKey sk = generate_server_key(ck, 2002, kind);
  integer::Engine e(sk, threads);
  Csprng mask(2003), noise(2004);
  const FheType t = FheType::uint(8);
  const integer::Ciphertext a = integer::encrypt(ck, t, U256{200}, mask, noise);
  const integer::Ciphertext b = integer::encrypt(ck, t, U256{37}, mask, noise);
  const integer::Ciphertext c = e.compare(integer::Cmp::Ge, a, b);
  const integer::Ciphertext r = e.if_then_else(c, e.sub(e.mul(a, b), a), e.add(a, b));
  EXPECT_EQ(integer::decrypt(ck, r), U256{(200u * 37u - 200u) % 256u});
  Sha256 h;
  for (const auto* x : {&c, &r}) {
    for (const auto& blk : x->blocks) h.add(blk.ct.data.data(), blk.ct.data.size());
  }
  return h.hex();
}

const char* kIntegerGolden = "ae5135c3d484c31acc10816d53ce7fecac01171833c944a5e5703bf042a5cf31";

TEST(Golden, ToyIntegerOperatorsEveryBackendAndThreadCount) {
  allow_insecure(true);
  for (const Variant& v : kVariants) {
    if (!fft_kind_supported(v.kind)) continue;
    const std::string d = integer_workload(v.kind, v.threads);
    std::printf("[golden] integer ops %-17s %s\n", v.name, d.c_str());
    EXPECT_EQ(d, kIntegerGolden) << v.name;
  }
}

TEST(Golden, RealSetScalarAndVectorized) {
  check(kFhevmCompute, kRealGolden, false);
}

// The meta set's paths: re-randomization of operation inputs, OPRF, list compression and
// decompression. Everything after key generation is integer arithmetic except the blind
// rotations (OPRF, decompression), whose outputs must not depend on the FFT backend either.
std::string meta_workload(const ShortintParams& p, FftKind kind, unsigned threads) {
  set_thread_count(threads);
  ClientKey ck = generate_client_key(p, 3001);
  Csprng secret(3002);
  add_meta_keys(ck, secret);
  const ServerKey sk = generate_server_key(ck, 3003, kind);
  Csprng mask(3004), noise(3005);
  integer::Ciphertext a = integer::encrypt(ck, FheType::uint(8), U256{173}, mask, noise);
  auto ctx = shortint::fhevm_operation_context(0);
  ctx.add_ciphertext(a.blocks);
  auto seeds = ctx.finalize();
  shortint::rerandomize(a.blocks, sk, seeds.next_seed());
  const integer::Ciphertext r = integer::random(sk, FheType::uint(16), 3006, 16);
  std::vector<shortint::Ciphertext> blocks = a.blocks;
  blocks.insert(blocks.end(), r.blocks.begin(), r.blocks.end());
  const shortint::CompressedBlocks list = shortint::compress(sk, blocks);
  shortint::Evaluator ev(sk);
  Sha256 h;
  for (const auto& g : list.glwes) h.add(g.packed.data(), g.packed.size());
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    h.add(blocks[i].ct.data.data(), blocks[i].ct.data.size());
    const shortint::Ciphertext d = shortint::decompress(ev, list, i);
    h.add(d.ct.data.data(), d.ct.data.size());
    EXPECT_EQ(shortint::decrypt(ck, d), shortint::decrypt(ck, blocks[i]));
  }
  EXPECT_EQ(integer::decrypt(ck, a), U256{173});
  set_thread_count(0);
  return h.hex();
}

const char* kToyMetaGolden = "9e4c6f85c3f20dfcc54289f204c02154dce908ed4839300c45a6e3f3a29d1d5e";
const char* kRealMetaGolden = "636f80f480e5bd5f1a2d084253b7c2af450a60d6c6c6148baa317aed1f8ac555";

void check_meta(const ShortintParams& p, const char* golden, bool all_variants) {
  for (const Variant& v : kVariants) {
    if (!all_variants && ((v.kind == FftKind::Scalar) != (v.threads == 1))) continue;
    if (!fft_kind_supported(v.kind)) continue;
    const std::string d = meta_workload(p, v.kind, v.threads);
    std::printf("[golden] meta %s %-17s %s\n", std::string(p.name).c_str(), v.name, d.c_str());
    EXPECT_EQ(d, golden) << v.name;
  }
}

TEST(Golden, ToyMetaPathsEveryBackendAndThreadCount) {
  allow_insecure(true);
  check_meta(kToyInsecure, kToyMetaGolden, true);
}

TEST(Golden, RealMetaPathsScalarAndVectorized) {
  check_meta(kFhevmCompute, kRealMetaGolden, false);
}

}  // namespace
}  // namespace fhe
