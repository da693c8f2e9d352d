// CompactPublicKey interop with node-tfhe@1.7.0 (tests/interop/cpk.js): node-tfhe makes a
// CompactPublicKey with FHEVM's dedicated PKE parameters (V1_7_PARAM_PKE_..._TUNIFORM_2M128) from a
// seeded ClientKey; our reader accepts it and our writer reproduces it byte for byte. The key of
// node-tfhe's default config (no dedicated PKE parameters: NoCasting, no ZK) is rejected with a
// message naming the parameter.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "fhe/params.h"
#include "fhe/tfhers.h"

#ifndef FHE_TOOLS_DIR
#error "FHE_TOOLS_DIR must be defined"
#endif
#ifndef FHE_INTEROP_DIR
#error "FHE_INTEROP_DIR must be defined"
#endif

namespace fhe::tfhers {
namespace {

namespace fs = std::filesystem;
using Bytes = std::vector<uint8_t>;

Bytes read_bytes(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

TEST(CpkInterop, NodeTfheKeyReadsAndRoundTrips) {
  const fs::path dir = fs::temp_directory_path() / ("fhe-cpk-interop-" + std::to_string(getpid()));
  fs::create_directories(dir);
  const std::string cmd = "node " FHE_INTEROP_DIR "/cpk.js " FHE_TOOLS_DIR " " + dir.string();
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;

  const Bytes node = read_bytes(dir / "cpk_fhevm.bin");
  ASSERT_EQ(node.size(), 33018u);
  const CompactPublicKey pk = safe_deserialize_compact_public_key(node);
  EXPECT_EQ(pk.a.size(), 2048u);
  EXPECT_EQ(pk.b.size(), 2048u);
  EXPECT_TRUE(pk.tag.empty());
  const Bytes ours = safe_serialize(pk);
  EXPECT_EQ(ours, node) << "re-serialized key differs from node-tfhe's";

  const Bytes other = read_bytes(dir / "cpk_default.bin");
  ASSERT_EQ(other.size(), 33034u);
  try {
    safe_deserialize_compact_public_key(other);
    ADD_FAILURE() << "the default-config key was accepted";
  } catch (const FormatError& e) {
    EXPECT_EQ(std::string(e.what()),
              "CompactPublicKey: unsupported parameters (expansion_kind NoCasting, expected "
              "RequiresCasting; only " +
                  std::string(kFhevmCpk.name) + " is supported) (at byte 32994)");
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace fhe::tfhers
