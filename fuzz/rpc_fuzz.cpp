// libFuzzer target: JSON-RPC response decoding of hostile bytes, as the clients and the
// host-listener read node replies: JSON text -> the response envelope (id, result, error) -> the
// block header, log and receipt parsers. Property beyond "no crash": only the documented errors
// escape (RpcError for an error object, TransportError for a malformed envelope, DecodeError for
// a result of the wrong shape).
#include <cstdint>
#include <string>

#include "../chain/src/rpc_internal.h"
#include "chain/eth.h"
#include "chain/rpc.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const chain::json j = chain::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return 0;
  chain::json result;
  try {
    result = chain::rpc_detail::decode_response(j, 1, "eth_getLogs", "http://fuzz");
  } catch (const chain::RpcError&) {
    return 0;
  } catch (const chain::TransportError&) {
    return 0;
  }
  // The result as each of the shapes the clients read.
  try {
    (void)chain::parse_block_header(result);
  } catch (const chain::DecodeError&) {
  }
  try {
    (void)chain::parse_log(result);
  } catch (const chain::DecodeError&) {
  }
  try {
    (void)chain::parse_receipt(result);
  } catch (const chain::DecodeError&) {
  }
  if (result.is_array()) {
    for (const auto& item : result) {
      try {
        (void)chain::parse_log(item);
      } catch (const chain::DecodeError&) {
      }
    }
  }
  return 0;
}
