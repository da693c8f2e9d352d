// JSON-RPC 2.0 clients for Ethereum nodes: HTTP (one keep-alive connection) and WebSocket (one
// connection shared by concurrent calls and subscriptions), both on Boost.Beast.
//
// Errors (the chain layer's policy, DESIGN.md §7):
//   RpcError        the node answered with a JSON-RPC error object {code, message, data}. The
//                   request reached the node; retrying the same call gives the same answer
//                   (revert, unknown block, invalid params). Not retried by with_retry().
//   TransportError  no answer: connection refused or lost, timeout, HTTP 429/5xx or another
//                   status without a JSON-RPC body, a reply that is not JSON-RPC. Retryable;
//                   with_retry() does so with exponential back-off up to a limit. A call that
//                   failed this way may still have been executed by the node (a sent
//                   transaction): callers of non-idempotent methods check its effect.
//   std::invalid_argument  a malformed URL or an unsupported scheme (https/wss: no TLS yet).
//
// URLs may carry credentials (user:password@, API keys in the path or query). Messages, logs and
// url() only ever show redact_url(url): scheme, host and port.
//
// Thread safety: HttpRpcClient and WsRpcClient are thread-safe. HTTP calls from several threads
// are serialized on the one connection; WebSocket calls are multiplexed by request id. A
// Subscription is read by one consumer at a time. Neither client may be destroyed while another
// thread is inside one of its calls.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <stop_token>
#include <string>
#include <string_view>
#include <type_traits>

namespace chain {

using json = nlohmann::json;

// The node's JSON-RPC error object.
class RpcError : public std::runtime_error {
 public:
  RpcError(std::string method, int64_t code, std::string message, json data);
  const std::string& method() const { return method_; }
  int64_t code() const { return code_; }
  const std::string& rpc_message() const { return rpc_message_; }
  // "data" of the error object (revert data as a hex string for eth_call), null if absent.
  const json& data() const { return data_; }

 private:
  std::string method_;
  int64_t code_;
  std::string rpc_message_;
  json data_;
};

// No usable answer; see the file comment.
class TransportError : public std::runtime_error {
 public:
  enum class Kind {
    kConnect,     // could not resolve, connect or handshake
    kClosed,      // the connection was lost, or is down and being re-established (WebSocket)
    kTimeout,     // the call's deadline passed
    kHttpStatus,  // HTTP status other than 200 without a JSON-RPC body; see http_status()
    kProtocol,    // the reply is not valid JSON-RPC
  };
  TransportError(Kind kind, const std::string& message, int http_status = 0)
      : std::runtime_error(message), kind_(kind), http_status_(http_status) {}
  Kind kind() const { return kind_; }
  int http_status() const { return http_status_; }

 private:
  Kind kind_;
  int http_status_;
};

// "scheme://host:port", with any credentials, path and query replaced by "***".
std::string redact_url(std::string_view url);

struct RpcOptions {
  std::chrono::milliseconds timeout{30'000};          // per call, unless a call passes its own
  std::chrono::milliseconds connect_timeout{10'000};  // resolve + connect (+ WebSocket handshake)
  size_t max_response_bytes = size_t{256} << 20;      // eth_getLogs answers can be large
  // WebSocket: a ping after idle_timeout/2 without traffic, the connection dropped (and
  // re-established) after idle_timeout; zero disables.
  std::chrono::milliseconds ws_idle_timeout{30'000};
  // WebSocket reconnection: first delay, doubled after each failed attempt up to the maximum.
  std::chrono::milliseconds reconnect_initial_delay{100};
  std::chrono::milliseconds reconnect_max_delay{5'000};
  // Notifications kept per subscription; on overflow the queue is replaced by one kGap.
  size_t subscription_queue_capacity = 10'000;
  // Connection events (lost, reconnected, resubscription failed), URL redacted; called from the
  // client's I/O thread, sometimes under its lock: must not call the client. Empty: silent.
  std::function<void(const std::string&)> log;
};

// A JSON-RPC 2.0 endpoint.
class RpcClient {
 public:
  virtual ~RpcClient() = default;
  RpcClient(const RpcClient&) = delete;
  RpcClient& operator=(const RpcClient&) = delete;

  // Calls `method` and returns its "result" (null for a null result). `params` is an array (or
  // object); throws RpcError or TransportError.
  json call(std::string_view method, json params = json::array()) {
    return do_call(method, std::move(params), options_.timeout);
  }
  json call(std::string_view method, json params, std::chrono::milliseconds timeout) {
    return do_call(method, std::move(params), timeout);
  }

  // The endpoint, redacted.
  const std::string& url() const { return redacted_url_; }
  const RpcOptions& options() const { return options_; }

 protected:
  RpcClient(std::string_view url, RpcOptions options)
      : redacted_url_(redact_url(url)), options_(std::move(options)) {}
  virtual json do_call(std::string_view method, json params, std::chrono::milliseconds timeout) = 0;

 private:
  std::string redacted_url_;
  RpcOptions options_;
};

// HTTP POST to http://[user:password@]host[:port][/path]: one keep-alive connection, opened on
// first use and reopened after a failure. A request that fails on a reused connection before any
// byte of the answer arrives (the node closed an idle connection) is sent once more on a fresh
// one, within the same deadline. Construction does not connect.
class HttpRpcClient final : public RpcClient {
 public:
  explicit HttpRpcClient(std::string_view url, RpcOptions options = {});
  ~HttpRpcClient() override;

  // Connections opened so far (1 while keep-alive holds).
  uint64_t connections_opened() const;

 private:
  json do_call(std::string_view method, json params, std::chrono::milliseconds timeout) override;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// One notification of a subscription, or a marker that some may be missing.
struct SubscriptionEvent {
  enum class Kind {
    kNotification,  // `result` is the notification's params.result (a header, a log)
    kGap,           // the connection was lost and the subscription re-established, or the queue
           // overflowed: notifications may be missing before this point; catch up by polling
  };
  Kind kind = Kind::kNotification;
  json result;
};

class WsRpcClient;
namespace rpc_detail {
class WsSession;
}

// A live eth_subscribe on a WsRpcClient; unsubscribes when destroyed. Movable.
class Subscription {
 public:
  struct State;
  Subscription() = default;
  Subscription(Subscription&&) noexcept = default;
  Subscription& operator=(Subscription&& other) noexcept;
  ~Subscription();

  // The next event, waiting up to `timeout`; nullopt on timeout, or at once when the
  // subscription or its client has ended.
  std::optional<SubscriptionEvent> next(std::chrono::milliseconds timeout);
  // Events waiting in the queue.
  size_t pending() const;
  // False once unsubscribed, once its client is destroyed, or when subscribing again after a
  // reconnection failed (the node refused): then poll instead.
  bool active() const;
  // Stops delivery and sends eth_unsubscribe (without waiting for the answer). Idempotent.
  void unsubscribe();
  explicit operator bool() const { return state_ != nullptr; }

 private:
  friend class WsRpcClient;
  std::shared_ptr<State> state_;
};

// ws://[user:password@]host[:port][/path]. Construction connects (throws TransportError when it
// cannot within connect_timeout). A lost connection fails the calls in flight with
// TransportError(kClosed), and is re-established in the background with exponential back-off;
// calls made meanwhile fail at once with kClosed. After reconnecting, every live subscription is
// subscribed again and receives a kGap event.
class WsRpcClient final : public RpcClient {
 public:
  explicit WsRpcClient(std::string_view url, RpcOptions options = {});
  ~WsRpcClient() override;

  // eth_subscribe(kind, params...): kind is "newHeads", "logs" (params: a filter object
  // {address, topics}), ... Throws like call().
  Subscription subscribe(std::string_view kind, json params = json::array());
  Subscription subscribe(std::string_view kind, json params, std::chrono::milliseconds timeout);

  bool connected() const;
  // Successful reconnections after the first connection.
  uint64_t reconnects() const;

 private:
  json do_call(std::string_view method, json params, std::chrono::milliseconds timeout) override;
  std::shared_ptr<rpc_detail::WsSession> impl_;
};

// An HttpRpcClient for http:// URLs, a WsRpcClient for ws:// URLs.
std::unique_ptr<RpcClient> make_rpc_client(std::string_view url, RpcOptions options = {});

// Retrying TransportError with exponential back-off.
struct RetryPolicy {
  int max_attempts = 5;  // calls in all, the first included
  std::chrono::milliseconds initial_delay{100};
  std::chrono::milliseconds max_delay{5'000};
  double multiplier = 2.0;
};

using RetryObserver =
    std::function<void(int attempt, const TransportError& error, std::chrono::milliseconds delay)>;

namespace detail {
// Sleeps for `delay`; false, early, when `stop` is requested.
bool sleep_unless_stopped(std::chrono::milliseconds delay, const std::stop_token& stop);
std::chrono::milliseconds next_delay(std::chrono::milliseconds delay, const RetryPolicy& policy);
}  // namespace detail

// Calls f() until it returns, throws anything but TransportError, or has failed
// policy.max_attempts times (then the last TransportError is rethrown). Between attempts waits
// initial_delay, then ×multiplier up to max_delay; `on_retry` sees each failure before its
// wait. A stop request ends the wait and rethrows the last error.
template <class F>
std::invoke_result_t<F&> with_retry(const RetryPolicy& policy, F&& f,
                                    const RetryObserver& on_retry = {},
                                    const std::stop_token& stop = {}) {
  std::chrono::milliseconds delay = policy.initial_delay;
  for (int attempt = 1;; ++attempt) {
    try {
      return f();
    } catch (const TransportError& e) {
      if (attempt >= policy.max_attempts || stop.stop_requested()) throw;
      if (on_retry) on_retry(attempt, e, delay);
      if (!detail::sleep_unless_stopped(delay, stop)) throw;
      delay = detail::next_delay(delay, policy);
    }
  }
}

}  // namespace chain
