// libFuzzer target: ABI decoding of hostile bytes. The first input byte picks a parameter list
// (FHEVM events and calls, nested dynamic types); the rest is the data. Properties beyond "no
// crash": only AbiError escapes decoding; a decoded value re-encodes, and that encoding decodes to
// the same value. Byte 0xff instead treats the rest as a declaration string, which must parse or
// throw std::invalid_argument.
#include <array>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "chain/abi.h"

namespace {

const char* const kDecls[] = {
    "f(address,bytes32,bytes32,bytes1,bytes32)",
    "f(bytes32,address,bytes,uint8,bytes32)",
    "f(uint256,bytes32[],bytes,bytes)",
    "f(address,address,bytes,bytes)",
    "f(uint256,string[],(uint8,bytes)[])",
    "f(bytes[],bytes32[],address[])",
    "f(uint256[][],string[2],(uint256,bytes)[2])",
    "f(((uint8,bytes)[],string[])[])",
    "f(int8,int256,uint64,bool,bytes16,address)",
    "f(bytes[2][])",
};

const std::vector<std::vector<chain::abi::Type>>& decls() {
  static const auto d = [] {
    std::vector<std::vector<chain::abi::Type>> out;
    for (const char* s : kDecls) out.push_back(chain::abi::Declaration::parse(s).types());
    return out;
  }();
  return d;
}

const chain::abi::Event& event() {
  static const chain::abi::Event e = chain::abi::Event::parse(
      "VerifyProofRequest(uint256 indexed zkProofId, uint256 indexed contractChainId, address "
      "contractAddress, address userAddress, bytes ciphertextWithZKProof, bytes extraData)");
  return e;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const chain::ByteView body(data + 1, size - 1);
  if (data[0] == 0xff) {
    try {
      chain::abi::Declaration::parse(std::string(body.begin(), body.end()));
    } catch (const std::invalid_argument&) {
    }
    return 0;
  }
  if (data[0] == 0xfe) {
    // An event log: three topics from the first 96 bytes (topic0 forced to match), then data.
    if (body.size() < 64) return 0;
    std::vector<chain::Hash32> topics(3);
    topics[0] = event().topic0();
    std::copy_n(body.begin(), 32, topics[1].bytes.begin());
    std::copy_n(body.begin() + 32, 32, topics[2].bytes.begin());
    try {
      event().decode_log(topics, body.subspan(64));
    } catch (const chain::AbiError&) {
    }
    (void)chain::abi::describe_revert(body);
    return 0;
  }
  const auto& types = decls()[data[0] % decls().size()];
  try {
    const std::vector<chain::abi::Value> values = chain::abi::decode(types, body);
    const chain::Bytes again = chain::abi::encode(types, values);
    if (chain::abi::decode(types, again) != values) std::abort();
  } catch (const chain::AbiError&) {
  }
  return 0;
}
