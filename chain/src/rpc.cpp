// What the HTTP and WebSocket clients share: errors, URLs, the JSON-RPC envelope, back-off.
#include "chain/rpc.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>

#include "rpc_internal.h"

namespace chain {

RpcError::RpcError(std::string method, int64_t code, std::string message, json data)
    : std::runtime_error(method + ": JSON-RPC error " + std::to_string(code) + ": " + message),
      method_(std::move(method)),
      code_(code),
      rpc_message_(std::move(message)),
      data_(std::move(data)) {}

namespace {

struct UrlParts {
  std::string_view scheme, userinfo, host, port, rest;  // host keeps IPv6 brackets
  bool has_userinfo = false;
};

// Splits scheme://[userinfo@]host[:port][rest]; false when there is no "scheme://".
bool split_url(std::string_view url, UrlParts& out) {
  const size_t sep = url.find("://");
  if (sep == std::string_view::npos || sep == 0) return false;
  out.scheme = url.substr(0, sep);
  std::string_view rest = url.substr(sep + 3);
  const size_t auth_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, auth_end);
  out.rest = auth_end == std::string_view::npos ? std::string_view{} : rest.substr(auth_end);
  const size_t at = authority.rfind('@');
  if (at != std::string_view::npos) {
    out.has_userinfo = true;
    out.userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
  }
  size_t colon = std::string_view::npos;
  if (!authority.empty() && authority.front() == '[') {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return false;
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') return false;
      colon = close + 1;
    }
  } else {
    colon = authority.rfind(':');
  }
  out.host = authority.substr(0, colon);
  out.port = colon == std::string_view::npos ? std::string_view{} : authority.substr(colon + 1);
  return true;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      const int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(s[i]);
  }
  return out;
}

std::string base64(std::string_view s) {
  std::string out(4 * ((s.size() + 2) / 3) + 1, '\0');
  const int n =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                      reinterpret_cast<const unsigned char*>(s.data()), static_cast<int>(s.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

}  // namespace

std::string redact_url(std::string_view url) {
  UrlParts p;
  if (!split_url(url, p)) return "***";
  std::string out(p.scheme);
  out += "://";
  if (p.has_userinfo) out += "***@";
  out += p.host;
  if (!p.port.empty()) {
    out += ':';
    out += p.port;
  }
  if (!p.rest.empty() && p.rest != "/") out += "/***";
  return out;
}

namespace rpc_detail {

Endpoint parse_endpoint(std::string_view url) {
  Endpoint ep;
  ep.redacted = redact_url(url);
  UrlParts p;
  if (!split_url(url, p) || p.host.empty()) {
    throw std::invalid_argument("malformed RPC URL " + ep.redacted);
  }
  std::string scheme(p.scheme);
  std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (scheme == "https" || scheme == "wss") {
    throw std::invalid_argument("RPC URL " + ep.redacted + ": TLS is not supported yet");
  }
  if (scheme != "http" && scheme != "ws") {
    throw std::invalid_argument("RPC URL " + ep.redacted + ": scheme must be http or ws");
  }
  if (!p.port.empty() &&
      (p.port.size() > 5 ||
       !std::all_of(p.port.begin(), p.port.end(), [](char c) { return c >= '0' && c <= '9'; }))) {
    throw std::invalid_argument("RPC URL " + ep.redacted + ": bad port");
  }
  ep.scheme = scheme;
  ep.host_header = std::string(p.host);
  if (!p.port.empty()) {
    ep.host_header += ':';
    ep.host_header += p.port;
  }
  ep.host = std::string(p.host);
  if (ep.host.front() == '[') ep.host = ep.host.substr(1, ep.host.size() - 2);
  ep.port = p.port.empty() ? "80" : std::string(p.port);
  std::string_view rest = p.rest.substr(0, p.rest.find('#'));
  ep.target = rest.empty() || rest.front() != '/' ? std::string("/") : std::string();
  ep.target += rest;
  if (p.has_userinfo) ep.authorization = "Basic " + base64(percent_decode(p.userinfo));
  return ep;
}

std::string encode_request(uint64_t id, std::string_view method, const json& params) {
  json request = {{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", params}};
  return request.dump();
}

json decode_response(const json& response, uint64_t id, std::string_view method,
                     const std::string& redacted_url) {
  auto protocol_error = [&](const std::string& what) {
    return TransportError(TransportError::Kind::kProtocol,
                          std::string(method) + " at " + redacted_url + ": " + what);
  };
  if (!response.is_object()) throw protocol_error("the reply is not a JSON-RPC object");
  const auto error = response.find("error");
  if (error != response.end() && !error->is_null()) {
    if (!error->is_object()) throw protocol_error("malformed error member");
    const auto code = error->find("code");
    const auto message = error->find("message");
    const auto data = error->find("data");
    throw RpcError(std::string(method),
                   code != error->end() && code->is_number_integer() ? code->get<int64_t>() : 0,
                   message != error->end() && message->is_string() ? message->get<std::string>()
                                                                   : std::string(),
                   data != error->end() ? *data : json());
  }
  const auto result = response.find("result");
  if (result == response.end()) throw protocol_error("reply without result or error");
  const auto rid = response.find("id");
  if (rid == response.end() || !rid->is_number_unsigned() || rid->get<uint64_t>() != id) {
    throw protocol_error("reply to another request id");
  }
  return *result;
}

}  // namespace rpc_detail

std::unique_ptr<RpcClient> make_rpc_client(std::string_view url, RpcOptions options) {
  const rpc_detail::Endpoint ep = rpc_detail::parse_endpoint(url);
  if (ep.scheme == "ws") return std::make_unique<WsRpcClient>(url, std::move(options));
  return std::make_unique<HttpRpcClient>(url, std::move(options));
}

namespace detail {

bool sleep_unless_stopped(std::chrono::milliseconds delay, const std::stop_token& stop) {
  if (!stop.stop_possible()) {
    std::this_thread::sleep_for(delay);
    return true;
  }
  std::mutex mu;
  std::condition_variable_any cv;
  std::unique_lock lock(mu);
  return !cv.wait_for(lock, stop, delay, [] { return false; }) && !stop.stop_requested();
}

std::chrono::milliseconds next_delay(std::chrono::milliseconds delay, const RetryPolicy& policy) {
  const double next = static_cast<double>(delay.count()) * policy.multiplier;
  const double cap = static_cast<double>(policy.max_delay.count());
  return std::chrono::milliseconds(static_cast<int64_t>(std::min(next, cap)));
}

}  // namespace detail

}  // namespace chain
