// U256 cleartext arithmetic against unsigned __int128 on the low half and known answers.
#include "fhe/u256.h"

#include <gtest/gtest.h>

#include "fhe/random.h"
#include "test_util.h"

namespace fhe {
namespace {

__extension__ typedef unsigned __int128 u128_t;

U256 from128(u128_t v) {
  U256 r;
  r.w[0] = static_cast<uint64_t>(v);
  r.w[1] = static_cast<uint64_t>(v >> 64);
  return r;
}

TEST(U256, MatchesInt128OnRandomValues) {
  Csprng rng(test::test_seed(80));
  for (int i = 0; i < 20000; ++i) {
    const u128_t a = (u128_t{rng.next_u64()} << 64 | rng.next_u64()) >> (rng.next_u64() % 128);
    const u128_t b = (u128_t{rng.next_u64()} << 64 | rng.next_u64()) >> (rng.next_u64() % 128);
    const unsigned s = static_cast<unsigned>(rng.next_u64() % 128);
    ASSERT_EQ((from128(a) + from128(b)).truncate(128), from128(a + b));
    ASSERT_EQ((from128(a) - from128(b)).truncate(128), from128(a - b));
    ASSERT_EQ((from128(a) * from128(b)).truncate(128), from128(a * b));
    ASSERT_EQ((from128(a) << s).truncate(128), from128(a << s));
    ASSERT_EQ(from128(a) >> s, from128(a >> s));
    ASSERT_EQ(from128(a) < from128(b), a < b);
    if (b != 0) {
      U256 q, r;
      U256::divmod(from128(a), from128(b), q, r);
      ASSERT_EQ(q, from128(a / b));
      ASSERT_EQ(r, from128(a % b));
    }
  }
}

TEST(U256, KnownAnswers) {
  const U256 max = U256::max();
  EXPECT_EQ(max.to_string(),
            "115792089237316195423570985008687907853269984665640564039457584007913129639935");
  EXPECT_EQ(U256::parse(max.to_string()), max);
  EXPECT_EQ(U256::parse("0xff"), U256{255});
  EXPECT_EQ(max + U256{1}, U256{});
  EXPECT_EQ(U256{} - U256{1}, max);
  EXPECT_EQ(max.truncate(160).bit_width(), 160u);
  EXPECT_EQ((U256{1} << 255).bit_width(), 256u);
  EXPECT_EQ(U256{1} << 256, U256{});
  EXPECT_EQ(U256{0x1234}.digit(1, 4), 3u);
  const uint8_t be[] = {0xAA, 0x01, 0x02};  // left truncation keeps the last 32 bytes
  EXPECT_EQ(U256::from_be_bytes(be), U256{0xAA0102});
  EXPECT_THROW(
      U256::parse("115792089237316195423570985008687907853269984665640564039457584007913129639936"),
      std::invalid_argument);
  EXPECT_THROW(U256::parse("12a"), std::invalid_argument);
  U256 q, r;
  EXPECT_THROW(U256::divmod(U256{1}, U256{}, q, r), std::domain_error);
}

}  // namespace
}  // namespace fhe
