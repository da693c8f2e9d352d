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

}  // namespace
}  // namespace fhe
