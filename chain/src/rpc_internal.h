// Shared by the HTTP and WebSocket JSON-RPC clients: URL parsing and the JSON-RPC envelope.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "chain/rpc.h"

namespace chain::rpc_detail {

// A parsed endpoint URL. `authorization` is the value of the Authorization header built from
// user:password (empty without credentials); never log it, nor `target`.
struct Endpoint {
  std::string scheme;  // "http" or "ws"
  std::string host;    // without brackets for IPv6 literals
  std::string port;
  std::string host_header;  // host[:port] as sent in the Host header
  std::string target;       // path and query, "/" at least
  std::string authorization;
  std::string redacted;  // redact_url(url)
};

// Throws std::invalid_argument for a malformed URL or a scheme other than http/ws.
Endpoint parse_endpoint(std::string_view url);

// now + timeout, saturating (a timeout of years means "no limit" without overflowing).
inline std::chrono::steady_clock::time_point deadline_after(std::chrono::milliseconds timeout) {
  constexpr std::chrono::milliseconds kMax = std::chrono::hours(24 * 365);
  return std::chrono::steady_clock::now() +
         std::min(std::max(timeout, std::chrono::milliseconds::zero()), kMax);
}

std::string encode_request(uint64_t id, std::string_view method, const json& params);

// The "result" of a JSON-RPC response to request `id`; RpcError for an error object,
// TransportError(kProtocol) for anything that is not a response to `id`.
json decode_response(const json& response, uint64_t id, std::string_view method,
                     const std::string& redacted_url);

}  // namespace chain::rpc_detail
