// Known-answer tests against TFHE-rs data (tests/data, produced by make_fixtures.js with
// node-tfhe@1.7.0).
//
// CSPRNG: TfheClientKey.generate_with_seed(default config, 42) derives its secret bits as
// (reference/tfhe-rs.md §2.2): root AES-CTR stream with key LE16(42) read from byte 1; s1 = its
// next 16 bytes (LE u128); s2 = the first 16 bytes of the stream seeded with s1; the stream seeded
// with s2 gives the small LWE key (918 bytes, & 1) then the GLWE key (2048 bytes, & 1). Reproducing
// the fixture's bits checks our AES-CTR stream, counter encoding and byte-per-bit sampling.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <vector>

#include "fhe/keys.h"
#include "fhe/tfhers.h"

#ifndef FHE_TEST_DATA_DIR
#error "FHE_TEST_DATA_DIR must be defined"
#endif

namespace fhe {
namespace {

std::vector<uint8_t> read_fixture(const char* name) {
  std::ifstream f(std::string(FHE_TEST_DATA_DIR) + "/" + name, std::ios::binary);
  EXPECT_TRUE(f.good()) << name;
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

TEST(Kat, CsprngReproducesSeededTfhersClientKey) {
  const ClientKey ck =
      tfhers::safe_deserialize_client_key(read_fixture("tfhers_client_key_seed42.bin"));
  Csprng root(42, /*byte_offset=*/1);  // TableIndex::SECOND
  const u128 s1 = root.next_u128();
  Csprng seeder(s1);
  const u128 s2 = seeder.next_u128();
  Csprng secret(s2);
  const LweSecretKey lwe = generate_lwe_key(918, secret);
  const GlweSecretKey glwe = generate_glwe_key(1, 2048, secret);
  EXPECT_TRUE(std::equal(lwe.bits.begin(), lwe.bits.end(), ck.lwe.bits.begin(), ck.lwe.bits.end()));
  EXPECT_TRUE(
      std::equal(glwe.bits.begin(), glwe.bits.end(), ck.glwe.bits.begin(), ck.glwe.bits.end()));
  // The dedicated OPRF small key comes next from the same stream.
  ASSERT_TRUE(ck.oprf_lwe.has_value());
  const LweSecretKey oprf = generate_lwe_key(918, secret);
  EXPECT_TRUE(std::equal(oprf.bits.begin(), oprf.bits.end(), ck.oprf_lwe->bits.begin(),
                         ck.oprf_lwe->bits.end()));
}

// tfhe-csprng's XofSeed generator (tfhe-rs-1.6.3, tfhe-csprng/src/generators/mod.rs test vectors
// test_vectors_xof_seed and test_vectors_xof_seed_bytes; first 32 bytes of each).
TEST(Kat, CsprngXofSeedMatchesTfheCsprngVectors) {
  const uint8_t seed_u128[16] = {1};
  Csprng a = Csprng::from_xof_seed(seed_u128, "abcdefgh");
  const uint8_t want_a[32] = {181, 134, 231, 117, 200, 60,  174, 158, 95,  80, 64,
                              236, 147, 204, 196, 251, 198, 110, 155, 74,  69, 162,
                              251, 224, 46,  46,  83,  209, 224, 89,  108, 68};
  for (uint8_t w : want_a) EXPECT_EQ(a.next_byte(), w);

  uint8_t seed_bytes[32];
  for (int i = 0; i < 32; ++i) seed_bytes[i] = static_cast<uint8_t>(i);
  Csprng b = Csprng::from_xof_seed(seed_bytes, "abcdefgh");
  const uint8_t want_b[32] = {122, 21,  82,  236, 82, 18,  196, 63,  129, 54, 134,
                              70,  114, 199, 200, 11, 5,   52,  170, 218, 49, 127,
                              45,  5,   252, 214, 82, 127, 196, 241, 83,  161};
  for (uint8_t w : want_b) EXPECT_EQ(b.next_byte(), w);
}

}  // namespace
}  // namespace fhe
