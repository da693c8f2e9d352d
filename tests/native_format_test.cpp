// Our key files (fhe/native_format.h): round trips, and every kind of damage rejected with
// NativeFormatError (never a crash): truncation at every prefix, bad magic, version, parameter set
// id, non-binary key bits, wrong array lengths, trailing bytes.
#include "fhe/native_format.h"

#include <gtest/gtest.h>

#include <vector>

#include "fhe/keys.h"

namespace fhe {
namespace {

using native::NativeFormatError;

class NativeFormat : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    allow_insecure(true);
    ck_ = new ClientKey(generate_client_key(kToyInsecure, 51));
    m_ = new ServerKeyMaterial(generate_server_key_material(*ck_, 52));
  }
  static void TearDownTestSuite() {
    delete m_;
    delete ck_;
  }
  static ClientKey* ck_;
  static ServerKeyMaterial* m_;
};
ClientKey* NativeFormat::ck_ = nullptr;
ServerKeyMaterial* NativeFormat::m_ = nullptr;

TEST_F(NativeFormat, ClientKeyRoundTrip) {
  const std::vector<uint8_t> b = native::serialize_client_key(*ck_);
  const ClientKey r = native::deserialize_client_key(b);
  EXPECT_EQ(r.params, ck_->params);
  EXPECT_TRUE(r.lwe.bits == ck_->lwe.bits);
  EXPECT_TRUE(r.glwe.bits == ck_->glwe.bits);
  ASSERT_TRUE(r.oprf_lwe.has_value());
  EXPECT_TRUE(r.oprf_lwe->bits == ck_->oprf_lwe->bits);
  EXPECT_EQ(native::serialize_client_key(r), b);
}

TEST_F(NativeFormat, ServerKeyRoundTrip) {
  const std::vector<uint8_t> b = native::serialize_server_key(*m_);
  const ServerKeyMaterial r = native::deserialize_server_key(b);
  EXPECT_EQ(r.params, m_->params);
  EXPECT_TRUE(r.ksk.data == m_->ksk.data);
  EXPECT_TRUE(r.bsk.data == m_->bsk.data);
  EXPECT_NO_THROW(make_server_key(r));
}

TEST_F(NativeFormat, EveryTruncationOfAClientKeyIsRejected) {
  const std::vector<uint8_t> b = native::serialize_client_key(*ck_);
  for (std::size_t len = 0; len < b.size(); ++len) {
    EXPECT_THROW(native::deserialize_client_key({b.data(), len}), NativeFormatError) << len;
  }
}

TEST_F(NativeFormat, DamagedFilesAreRejected) {
  const std::vector<uint8_t> ck = native::serialize_client_key(*ck_);
  const std::vector<uint8_t> sk = native::serialize_server_key(*m_);
  struct Case {
    const char* what;
    const std::vector<uint8_t>* base;
    std::size_t offset;
    uint8_t value;
  };
  const Case cases[] = {
      {"client: bad magic", &ck, 0, 'X'},
      {"client: version 9", &ck, 8, 9},
      {"client: unknown parameter set id", &ck, 12, 77},
      {"client: oprf flag 2", &ck, 16, 2},
      {"client: compression flag 2", &ck, 17, 2},
      {"client: cpk flag 2", &ck, 18, 2},
      {"client: key bit 2", &ck, 19, 2},
      {"server: bad magic", &sk, 3, 'X'},
      {"server: version 9", &sk, 8, 9},
      {"server: unknown parameter set id", &sk, 12, 5},
      {"server: KSK length", &sk, 16, 0x13},
      {"server: huge KSK length", &sk, 23, 0xff},
  };
  for (const Case& c : cases) {
    std::vector<uint8_t> x = *c.base;
    x[c.offset] = c.value;
    if (c.base == &ck) {
      EXPECT_THROW(native::deserialize_client_key(x), NativeFormatError) << c.what;
    } else {
      EXPECT_THROW(native::deserialize_server_key(x), NativeFormatError) << c.what;
    }
  }
  std::vector<uint8_t> trailing = ck;
  trailing.push_back(0);
  EXPECT_THROW(native::deserialize_client_key(trailing), NativeFormatError);
  std::vector<uint8_t> short_sk(sk.begin(),
                                sk.begin() + static_cast<std::ptrdiff_t>(sk.size() / 2));
  EXPECT_THROW(native::deserialize_server_key(short_sk), NativeFormatError);
}

TEST_F(NativeFormat, ToyKeysNeedTheOptIn) {
  const std::vector<uint8_t> b = native::serialize_client_key(*ck_);
  allow_insecure(false);
  EXPECT_THROW(native::deserialize_client_key(b), NativeFormatError);
  allow_insecure(true);
}

}  // namespace
}  // namespace fhe
