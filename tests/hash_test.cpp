// SHA3-256, Keccak-256 and SHAKE256 against known answers and OpenSSL; BLAKE3 against the official
// test vectors; incremental feeding in odd pieces and cloned states.
#include "fhe/hash.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <cstdio>
#include <string>
#include <vector>

#include "fhe/random.h"
#include "test_util.h"

namespace fhe {
namespace {

std::string hex(const uint8_t* p, std::size_t n) {
  std::string s;
  char buf[3];
  for (std::size_t i = 0; i < n; ++i) {
    std::snprintf(buf, sizeof buf, "%02x", p[i]);
    s += buf;
  }
  return s;
}

template <std::size_t N>
std::string hex(const std::array<uint8_t, N>& a) {
  return hex(a.data(), a.size());
}

std::vector<uint8_t> bytes(const std::string& s) {
  return std::vector<uint8_t>(s.begin(), s.end());
}

// Bytes i % m for i in [0, n).
std::vector<uint8_t> pattern(std::size_t n, unsigned m) {
  std::vector<uint8_t> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<uint8_t>(i % m);
  return v;
}

// Piece sizes that cross block, rate and chunk boundaries at varying offsets.
constexpr std::size_t kPieces[] = {1, 7, 63, 64, 65, 135, 136, 137, 1023, 1024, 1025, 3};

template <class H>
void update_in_pieces(H& h, const std::vector<uint8_t>& data) {
  std::size_t off = 0;
  for (std::size_t k = 0; off < data.size(); ++k) {
    const std::size_t n = std::min(kPieces[k % std::size(kPieces)], data.size() - off);
    h.update(std::span<const uint8_t>(data.data() + off, n));
    off += n;
  }
}

// Known answers: "", "abc" and bytes i for i in [0, 200) (two blocks of the 136-byte rate).
// SHA3-256 values are FIPS 202's (checked against Python's hashlib); the Keccak-256 value of ""
// is the well-known Ethereum empty hash.
TEST(Sha3_256, KnownAnswers) {
  EXPECT_EQ(hex(sha3_256({})), "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a");
  EXPECT_EQ(hex(sha3_256(bytes("abc"))),
            "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532");
  EXPECT_EQ(hex(sha3_256(pattern(200, 256))),
            "5f728f63bf5ee48c77f453c0490398fa645b8d4c4e56be9a41cfec344d6ca899");
}

TEST(Keccak256, KnownAnswers) {
  EXPECT_EQ(hex(keccak256({})), "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
  EXPECT_EQ(hex(keccak256(bytes("abc"))),
            "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
  EXPECT_EQ(hex(keccak256(pattern(200, 256))),
            "bfb0aa97863e797943cf7c33bb7e880bb4543f3d2703c0923c6901c2af57b890");
}

std::array<uint8_t, 32> openssl_sha3_256(const std::vector<uint8_t>& data) {
  std::array<uint8_t, 32> out{};
  unsigned len = 0;
  EXPECT_EQ(EVP_Digest(data.data(), data.size(), out.data(), &len, EVP_sha3_256(), nullptr), 1);
  EXPECT_EQ(len, 32u);
  return out;
}

TEST(Sha3_256, MatchesOpenSslOnRandomInputs) {
  Csprng rng(test::test_seed(301));
  for (int i = 0; i < 300; ++i) {
    std::vector<uint8_t> data(rng.next_u64() % 1001);
    rng.fill_bytes(data.data(), data.size());
    const auto expected = openssl_sha3_256(data);
    ASSERT_EQ(hex(sha3_256(data)), hex(expected)) << "length " << data.size();
    Sha3_256 h;
    update_in_pieces(h, data);
    ASSERT_EQ(hex(h.finalize()), hex(expected)) << "length " << data.size();
  }
  // Every length around the rate boundaries.
  for (std::size_t n = 0; n <= 3 * 136 + 1; ++n) {
    const auto data = pattern(n, 251);
    ASSERT_EQ(hex(sha3_256(data)), hex(openssl_sha3_256(data))) << "length " << n;
  }
}

TEST(Keccak256, IncrementalMatchesOneShotAndResets) {
  for (std::size_t n : {0u, 1u, 135u, 136u, 137u, 200u, 272u, 1000u, 5000u}) {
    const auto data = pattern(n, 251);
    Keccak256 h;
    update_in_pieces(h, data);
    ASSERT_EQ(hex(h.finalize()), hex(keccak256(data))) << "length " << n;
    // finalize() resets to the empty message.
    h.update(bytes("abc"));
    ASSERT_EQ(hex(h.finalize()), hex(keccak256(bytes("abc"))));
    Sha3_256 s;
    update_in_pieces(s, data);
    ASSERT_EQ(hex(s.finalize()), hex(sha3_256(data))) << "length " << n;
    ASSERT_EQ(hex(s.finalize()), hex(sha3_256({})));
  }
}

// SHAKE256 known answers from NIST's FIPS 202 examples (SHAKE256_Msg0 and SHAKE256_Msg1600:
// the empty message and 200 bytes 0xA3, 4096 output bits), checked against Python's hashlib.
const char kShake256Empty512[] =
    "46b9dd2b0ba88d13233b3feb743eeb243fcd52ea62b81b82b50c27646ed5762fd75dc4ddd8c0f200cb05019d"
    "67b592f6fc821c49479ab48640292eacb3b7c4be141e96616fb13957692cc7edd0b45ae3dc07223c8e92937b"
    "ef84bc0eab862853349ec75546f58fb7c2775c38462c5010d846c185c15111e595522a6bcd16cf86f3d12210"
    "9e3b1fdd943b6aec468a2d621a7c06c6a957c62b54dafc3be87567d677231395f6147293b68ceab7a9e0c58d"
    "864e8efde4e1b9a46cbe854713672f5caaae314ed9083dab4b099f8e300f01b8650f1f4b1d8fcf3f3cb53fb8"
    "e9eb2ea203bdc970f50ae55428a91f7f53ac266b28419c3778a15fd248d339ede785fb7f5a1aaa96d313eacc"
    "890936c173cdcd0fab882c45755feb3aed96d477ff96390bf9a66d1368b208e21f7c10d04a3dbd4e360633e5"
    "db4b602601c14cea737db3dcf722632cc77851cbdde2aaf0a33a07b373445df490cc8fc1e4160ff118378f11"
    "f0477de055a81a9eda57a4a2cfb0c83929d310912f729ec6cfa36c6ac6a75837143045d791cc85eff5b21932"
    "f23861bcf23a52b5da67eaf7baae0f5fb1369db78f3ac45f8c4ac5671d85735cdddb09d2b1e34a1fc066ff4a"
    "162cb263d6541274ae2fcc865f618abe27c124cd8b074ccd516301b91875824d09958f341ef274bdab0bae31"
    "6339894304e35877b0c28a9b1fd166c796b9cc258a064a8f57e27f2a";
const char kShake256A3x200_512[] =
    "cd8a920ed141aa0407a22d59288652e9d9f1a7ee0c1e7c1ca699424da84a904d2d700caae7396ece96604440"
    "577da4f3aa22aeb8857f961c4cd8e06f0ae6610b1048a7f64e1074cd629e85ad7566048efc4fb500b486a330"
    "9a8f26724c0ed628001a1099422468de726f1061d99eb9e93604d5aa7467d4b1bd6484582a384317d7f47d75"
    "0b8f5499512bb85a226c4243556e696f6bd072c5aa2d9b69730244b56853d16970ad817e213e470618178001"
    "c9fb56c54fefa5fee67d2da524bb3b0b61ef0e9114a92cdbb6cccb98615cfe76e3510dd88d1cc28ff9928751"
    "2f24bfafa1a76877b6f37198e3a641c68a7c42d45fa7acc10dae5f3cefb7b735f12d4e589f7a456e78c0f5e4"
    "c4471fffa5e4fa0514ae974d8c2648513b5db494cea847156d277ad0e141c24c7839064cd08851bc2e7ca109"
    "fd4e251c35bb0a04fb05b364ff8c4d8b59bc303e25328c09a882e952518e1a8ae0ff265d61c465896973d749"
    "0499dc639fb8502b39456791b1b6ec5bcc5d9ac36a6df622a070d43fed781f5f149f7b62675e7d1a4d6dec48"
    "c1c7164586eae06a51208c0b791244d307726505c3ad4b26b6822377257aa152037560a739714a3ca79bd605"
    "547c9b78dd1f596f2d4f1791bc689a0e9b799a37339c04275733740143ef5d2b58b96a363d4e08076a1a9d78"
    "46436e4dca5728b6f760eef0ca92bf0be5615e96959d767197a0beeb";

TEST(Shake256, NistExamples) {
  EXPECT_EQ(hex(shake256({}, 512).data(), 512), kShake256Empty512);
  const std::vector<uint8_t> a3(200, 0xA3);
  EXPECT_EQ(hex(shake256(a3, 512).data(), 512), kShake256A3x200_512);
  // Shorter outputs are prefixes (64 bytes = SHAKE256's 512-bit output).
  EXPECT_EQ(hex(shake256(a3, 64).data(), 64), std::string(kShake256A3x200_512).substr(0, 128));
  EXPECT_TRUE(shake256(a3, 0).empty());
  // Absorbed in pieces and squeezed in odd pieces crossing the 136-byte rate.
  Shake256 h;
  update_in_pieces(h, a3);
  std::vector<uint8_t> out(512);
  std::size_t off = 0;
  for (std::size_t k = 0; off < out.size(); ++k) {
    const std::size_t n = std::min(kPieces[k % std::size(kPieces)], out.size() - off);
    h.squeeze(out.data() + off, n);
    off += n;
  }
  EXPECT_EQ(hex(out.data(), out.size()), kShake256A3x200_512);
  EXPECT_THROW(h.update(a3), std::logic_error);
  h.reset();
  h.update(a3);
  h.squeeze(out.data(), 64);
  EXPECT_EQ(hex(out.data(), 64), std::string(kShake256A3x200_512).substr(0, 128));
}

std::vector<uint8_t> openssl_shake256(const std::vector<uint8_t>& data, std::size_t n) {
  std::vector<uint8_t> out(n);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EXPECT_EQ(EVP_DigestInit_ex(ctx, EVP_shake256(), nullptr), 1);
  EXPECT_EQ(EVP_DigestUpdate(ctx, data.data(), data.size()), 1);
  EXPECT_EQ(EVP_DigestFinalXOF(ctx, out.data(), out.size()), 1);
  EVP_MD_CTX_free(ctx);
  return out;
}

TEST(Shake256, MatchesOpenSslOnRandomInputs) {
  Csprng rng(test::test_seed(302));
  for (int i = 0; i < 200; ++i) {
    std::vector<uint8_t> data(rng.next_u64() % 1001);
    rng.fill_bytes(data.data(), data.size());
    const std::size_t n = 1 + rng.next_u64() % 700;
    ASSERT_EQ(shake256(data, n), openssl_shake256(data, n))
        << "length " << data.size() << " output " << n;
  }
}

// BLAKE3 "hash" outputs (131 bytes of extended output; the first 32 are the hash) from the
// official test vectors, BLAKE3-team/BLAKE3 test_vectors/test_vectors.json. Input: bytes i % 251.
struct Blake3Vector {
  std::size_t len;
  const char* xof;
};
const Blake3Vector kBlake3Vectors[] = {
    {0,
     "af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262e00f03e7b69af26b7faaf09f"
     "cd333050338ddfe085b8cc869ca98b206c08243a26f5487789e8f660afe6c99ef9e0c52b92e7393024a80459"
     "cf91f476f9ffdbda7001c22e159b402631f277ca96f2defdf1078282314e763699a31c5363165421cce14d"},
    {1,
     "2d3adedff11b61f14c886e35afa036736dcd87a74d27b5c1510225d0f592e213c3a6cb8bf623e20cdb535f8d"
     "1a5ffb86342d9c0b64aca3bce1d31f60adfa137b358ad4d79f97b47c3d5e79f179df87a3b9776ef8325f8329"
     "886ba42f07fb138bb502f4081cbcec3195c5871e6c23e2cc97d3c69a613eba131e5f1351f3f1da786545e5"},
    {1023,
     "10108970eeda3eb932baac1428c7a2163b0e924c9a9e25b35bba72b28f70bd11a182d27a591b05592b156075"
     "00e1e8dd56bc6c7fc063715b7a1d737df5bad3339c56778957d870eb9717b57ea3d9fb68d1b55127bba6a906"
     "a4a24bbd5acb2d123a37b28f9e9a81bbaae360d58f85e5fc9d75f7c370a0cc09b6522d9c8d822f2f28f485"},
    {1024,
     "42214739f095a406f3fc83deb889744ac00df831c10daa55189b5d121c855af71cf8107265ecdaf8505b95d8"
     "fcec83a98a6a96ea5109d2c179c47a387ffbb404756f6eeae7883b446b70ebb144527c2075ab8ab204c0086b"
     "b22b7c93d465efc57f8d917f0b385c6df265e77003b85102967486ed57db5c5ca170ba441427ed9afa684e"},
    {1025,
     "d00278ae47eb27b34faecf67b4fe263f82d5412916c1ffd97c8cb7fb814b8444f4c4a22b4b399155358a994e"
     "52bf255de60035742ec71bd08ac275a1b51cc6bfe332b0ef84b409108cda080e6269ed4b3e2c3f7d722aa4cd"
     "c98d16deb554e5627be8f955c98e1d5f9565a9194cad0c4285f93700062d9595adb992ae68ff12800ab67a"},
    {2048,
     "e776b6028c7cd22a4d0ba182a8bf62205d2ef576467e838ed6f2529b85fba24a9a60bf80001410ec9eea6698"
     "cd537939fad4749edd484cb541aced55cd9bf54764d063f23f6f1e32e12958ba5cfeb1bf618ad094266d4fc3"
     "c968c2088f677454c288c67ba0dba337b9d91c7e1ba586dc9a5bc2d5e90c14f53a8863ac75655461cea8f9"},
    {2049,
     "5f4d72f40d7a5f82b15ca2b2e44b1de3c2ef86c426c95c1af0b687952256303096de31d71d74103403822a2e"
     "0bc1eb193e7aecc9643a76b7bbc0c9f9c52e8783aae98764ca468962b5c2ec92f0c74eb5448d519713e09413"
     "719431c802f948dd5d90425a4ecdadece9eb178d80f26efccae630734dff63340285adec2aed3b51073ad3"},
    {3072,
     "b98cb0ff3623be03326b373de6b9095218513e64f1ee2edd2525c7ad1e5cffd29a3f6b0b978d6608335c09dc"
     "94ccf682f9951cdfc501bfe47b9c9189a6fc7b404d120258506341a6d802857322fbd20d3e5dae05b95c8879"
     "3fa83db1cb08e7d8008d1599b6209d78336e24839724c191b2a52a80448306e0daa84a3fdb566661a37e11"},
    {3073,
     "7124b49501012f81cc7f11ca069ec9226cecb8a2c850cfe644e327d22d3e1cd39a27ae3b79d68d89da9bf25b"
     "c27139ae65a324918a5f9b7828181e52cf373c84f35b639b7fccbb985b6f2fa56aea0c18f531203497b8bbd3"
     "a07ceb5926f1cab74d14bd66486d9a91eba99059a98bd1cd25876b2af5a76c3e9eed554ed72ea952b603bf"},
    {4096,
     "015094013f57a5277b59d8475c0501042c0b642e531b0a1c8f58d2163229e9690289e9409ddb1b99768eafe1"
     "623da896faf7e1114bebeadc1be30829b6f8af707d85c298f4f0ff4d9438aef948335612ae921e76d411c3a9"
     "111df62d27eaf871959ae0062b5492a0feb98ef3ed4af277f5395172dbe5c311918ea0074ce0036454f620"},
    {4097,
     "9b4052b38f1c5fc8b1f9ff7ac7b27cd242487b3d890d15c96a1c25b8aa0fb99505f91b0b5600a11251652eac"
     "fa9497b31cd3c409ce2e45cfe6c0a016967316c426bd26f619eab5d70af9a418b845c608840390f361630bd4"
     "97b1ab44019316357c61dbe091ce72fc16dc340ac3d6e009e050b3adac4b5b2c92e722cffdc46501531956"},
    {5120,
     "9cadc15fed8b5d854562b26a9536d9707cadeda9b143978f319ab34230535833acc61c8fdc114a2010ce8038"
     "c853e121e1544985133fccdd0a2d507e8e615e611e9a0ba4f47915f49e53d721816a9198e8b30f12d20ec368"
     "9989175f1bf7a300eee0d9321fad8da232ece6efb8e9fd81b42ad161f6b9550a069e66b11b40487a5f5059"},
    {5121,
     "628bd2cb2004694adaab7bbd778a25df25c47b9d4155a55f8fbd79f2fe154cff96adaab0613a6146cdaabe49"
     "8c3a94e529d3fc1da2bd08edf54ed64d40dcd6777647eac51d8277d70219a9694334a68bc8f0f23e20b0ff70"
     "ada6f844542dfa32cd4204ca1846ef76d811cdb296f65e260227f477aa7aa008bac878f72257484f2b6c95"},
    {6144,
     "3e2e5b74e048f3add6d21faab3f83aa44d3b2278afb83b80b3c35164ebeca2054d742022da6fdda444ebc384"
     "b04a54c3ac5839b49da7d39f6d8a9db03deab32aade156c1c0311e9b3435cde0ddba0dce7b26a376cad12129"
     "4b689193508dd63151603c6ddb866ad16c2ee41585d1633a2cea093bea714f4c5d6b903522045b20395c83"},
    {6145,
     "f1323a8631446cc50536a9f705ee5cb619424d46887f3c376c695b70e0f0507f18a2cfdd73c6e39dd75ce7c1"
     "c6e3ef238fd54465f053b25d21044ccb2093beb015015532b108313b5829c3621ce324b8e14229091b7c93f3"
     "2db2e4e63126a377d2a63a3597997d4f1cba59309cb4af240ba70cebff9a23d5e3ff0cdae2cfd54e070022"},
    {7168,
     "61da957ec2499a95d6b8023e2b0e604ec7f6b50e80a9678b89d2628e99ada77a5707c321c83361793b9af62a"
     "40f43b523df1c8633cecb4cd14d00bdc79c78fca5165b863893f6d38b02ff7236c5a9a8ad2dba87d24c547ca"
     "b046c29fc5bc1ed142e1de4763613bb162a5a538e6ef05ed05199d751f9eb58d332791b8d73fb74e4fce95"},
    {7169,
     "a003fc7a51754a9b3c7fae0367ab3d782dccf28855a03d435f8cfe74605e781798a8b20534be1ca9eb2ae2df"
     "3fae2ea60e48c6fb0b850b1385b5de0fe460dbe9d9f9b0d8db4435da75c601156df9d047f4ede008732eb17a"
     "dc05d96180f8a73548522840779e6062d643b79478a6e8dbce68927f36ebf676ffa7d72d5f68f050b119c8"},
    {8192,
     "aae792484c8efe4f19e2ca7d371d8c467ffb10748d8a5a1ae579948f718a2a635fe51a27db045a567c1ad51b"
     "e5aa34c01c6651c4d9b5b5ac5d0fd58cf18dd61a47778566b797a8c67df7b1d60b97b19288d2d877bb2df417"
     "ace009dcb0241ca1257d62712b6a4043b4ff33f690d849da91ea3bf711ed583cb7b7a7da2839ba71309bbf"},
    {8193,
     "bab6c09cb8ce8cf459261398d2e7aef35700bf488116ceb94a36d0f5f1b7bc3bb2282aa69be089359ea1154b"
     "9a9286c4a56af4de975a9aa4a5c497654914d279bea60bb6d2cf7225a2fa0ff5ef56bbe4b149f3ed15860f78"
     "b4e2ad04e158e375c1e0c0b551cd7dfc82f1b155c11b6b3ed51ec9edb30d133653bb5709d1dbd55f4e1ff6"},
    {16384,
     "f875d6646de28985646f34ee13be9a576fd515f76b5b0a26bb324735041ddde49d764c270176e53e97bdffa5"
     "8d549073f2c660be0e81293767ed4e4929f9ad34bbb39a529334c57c4a381ffd2a6d4bfdbf1482651b172aa8"
     "83cc13408fa67758a3e47503f93f87720a3177325f7823251b85275f64636a8f1d599c2e49722f42e93893"},
    {31744,
     "62b6960e1a44bcc1eb1a611a8d6235b6b4b78f32e7abc4fb4c6cdcce94895c47860cc51f2b0c28a7b77304bd"
     "55fe73af663c02d3f52ea053ba43431ca5bab7bfea2f5e9d7121770d88f70ae9649ea713087d1914f7f31214"
     "7e247f87eb2d4ffef0ac978bf7b6579d57d533355aa20b8b77b13fd09748728a5cc327a8ec470f4013226f"},
    {102400,
     "bc3e3d41a1146b069abffad3c0d44860cf664390afce4d9661f7902e7943e085e01c59dab908c04c3342b816"
     "941a26d69c2605ebee5ec5291cc55e15b76146e6745f0601156c3596cb75065a9c57f35585a52e1ac70f6913"
     "1c23d611ce11ee4ab1ec2c009012d236648e77be9295dd0426f29b764d65de58eb7d01dd42248204f45f8e"},
};

std::string blake3_xof_hex(const Blake3& h, std::size_t n) {
  std::vector<uint8_t> out(n);
  h.finalize_xof(out.data(), n);
  return hex(out.data(), n);
}

TEST(Blake3, OfficialTestVectors) {
  for (const auto& v : kBlake3Vectors) {
    const std::string expected = v.xof;
    ASSERT_EQ(expected.size(), 2 * 131u);
    Blake3 h;
    h.update(pattern(v.len, 251));
    EXPECT_EQ(hex(h.finalize()), expected.substr(0, 64)) << "length " << v.len;
    EXPECT_EQ(blake3_xof_hex(h, 131), expected) << "length " << v.len;
    // Any prefix of the extended output, and finalizing again, give the same bytes.
    EXPECT_EQ(blake3_xof_hex(h, 65), expected.substr(0, 130)) << "length " << v.len;
    EXPECT_EQ(blake3_xof_hex(h, 1), expected.substr(0, 2)) << "length " << v.len;
  }
}

TEST(Blake3, OddPiecesMatchOneShot) {
  for (const auto& v : kBlake3Vectors) {
    const auto data = pattern(v.len, 251);
    Blake3 h;
    update_in_pieces(h, data);
    EXPECT_EQ(blake3_xof_hex(h, 131), v.xof) << "length " << v.len;
    // Byte by byte, and with empty updates in between.
    Blake3 b;
    for (uint8_t x : data) {
      b.update(std::span<const uint8_t>(&x, 1));
      b.update({});
    }
    EXPECT_EQ(blake3_xof_hex(b, 131), v.xof) << "length " << v.len;
  }
}

TEST(Blake3, ClonedStateContinuesIndependently) {
  // The caller's pattern: hash a prefix, clone, append an 8-byte counter, finalize each clone.
  for (std::size_t n : {0u, 1u, 64u, 1000u, 1024u, 1030u, 2048u, 5000u, 31744u}) {
    const auto prefix = pattern(n, 251);
    Blake3 base;
    base.update(prefix);
    const auto base_hash = base.finalize();
    for (uint64_t ctr = 0; ctr < 4; ++ctr) {
      uint8_t le[8];
      for (unsigned i = 0; i < 8; ++i) le[i] = static_cast<uint8_t>(ctr >> (8 * i));
      Blake3 clone = base;
      clone.update(std::span<const uint8_t>(le, 8));
      std::vector<uint8_t> full = prefix;
      full.insert(full.end(), le, le + 8);
      Blake3 fresh;
      fresh.update(full);
      ASSERT_EQ(hex(clone.finalize()), hex(fresh.finalize())) << n << " " << ctr;
      ASSERT_EQ(blake3_xof_hex(clone, 200), blake3_xof_hex(fresh, 200)) << n << " " << ctr;
      ASSERT_NE(hex(clone.finalize()), hex(base_hash));
    }
    // The original is untouched by its clones and by finalizing.
    ASSERT_EQ(hex(base.finalize()), hex(base_hash));
    Blake3 again;
    again.update(prefix);
    ASSERT_EQ(hex(again.finalize()), hex(base_hash));
  }
}

}  // namespace
}  // namespace fhe
