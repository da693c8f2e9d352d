// JSON-RPC over WebSocket: one connection, an I/O thread, calls multiplexed by request id.
//
// State machine of the session (I/O thread):
//
//   connecting --handshake ok--> open --read/write error, idle timeout--> (lost) --back-off-->
//   connecting ...; a failed attempt waits again, the delay doubling up to reconnect_max_delay.
//   The first connection is made by the constructor; if it fails the client is not created.
//
// On `lost`, every call in flight fails with TransportError(kClosed) and subscriptions forget
// their server ids. On `open` after a loss, each live subscription is subscribed again; when the
// node answers, the new server id is recorded and the subscription's queue gets a kGap event.
// Messages are read one at a time on the I/O thread, so a subscription's server id is recorded
// (on the eth_subscribe answer) before any of its notifications is read.
//
// Locking: WsSession::mu_ guards calls in flight, subscriptions and the connection as callers
// see it; a subscription's queue has its own mutex, taken after mu_ when both are held. The
// Conn objects and io_conn_ belong to the I/O thread.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <condition_variable>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>

#include "chain/rpc.h"
#include "rpc_internal.h"

namespace chain {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

struct Subscription::State {
  std::weak_ptr<rpc_detail::WsSession> session;
  uint64_t local_id = 0;
  json params;            // eth_subscribe params: [kind, ...]
  std::string server_id;  // guarded by WsSession::mu_; empty while not subscribed
  size_t capacity = 0;

  mutable std::mutex mu;  // guards the queue and `closed`
  std::condition_variable cv;
  std::deque<SubscriptionEvent> queue;
  bool closed = false;

  void push(SubscriptionEvent event) {
    {
      std::lock_guard lock(mu);
      if (closed) return;
      if (queue.size() >= capacity) {
        queue.clear();
        queue.push_back({SubscriptionEvent::Kind::kGap, json()});
      }
      queue.push_back(std::move(event));
    }
    cv.notify_all();
  }

  void close() {
    {
      std::lock_guard lock(mu);
      closed = true;
    }
    cv.notify_all();
  }
};

namespace rpc_detail {

class WsSession : public std::enable_shared_from_this<WsSession> {
 public:
  using State = Subscription::State;

  WsSession(Endpoint endpoint, RpcOptions options)
      : endpoint_(std::move(endpoint)),
        options_(std::move(options)),
        backoff_(options_.reconnect_initial_delay) {}

  ~WsSession() { shutdown(); }

  // Starts the I/O thread and makes the first connection; throws TransportError.
  void start() {
    thread_ = std::thread([this] { ioc_.run(); });
    asio::post(ioc_, [this] { start_connect(); });
    std::unique_lock lock(mu_);
    const bool answered = cv_.wait_for(lock, options_.connect_timeout + std::chrono::seconds(1),
                                       [&] { return first_attempt_done_; });
    if (answered && conn_) return;
    const TransportError::Kind kind = answered ? last_error_kind_ : TransportError::Kind::kTimeout;
    const std::string why = answered ? last_error_ : "timed out";
    lock.unlock();
    shutdown();
    throw TransportError(kind, "connecting to " + endpoint_.redacted + ": " + why);
  }

  // Closes the connection and joins the I/O thread; subscriptions end. Idempotent.
  void shutdown() {
    {
      std::lock_guard lock(mu_);
      if (stopped_) return;
      stopped_ = true;
    }
    if (thread_.joinable()) {
      asio::post(ioc_, [this] { stop_io(); });
      work_.reset();
      thread_.join();
    }
    std::lock_guard lock(mu_);
    fail_pending_locked("the client was closed");
    for (auto& [id, sub] : subs_) sub->close();
    subs_.clear();
    subs_by_server_id_.clear();
    conn_.reset();
  }

  json call(std::string_view method, json params, std::chrono::milliseconds timeout,
            std::function<void(const json&)> on_result = {}) {
    const Clock::time_point deadline = deadline_after(timeout);
    auto pending = std::make_shared<Pending>();
    pending->method = std::string(method);
    pending->on_result = std::move(on_result);
    std::shared_ptr<Conn> conn;
    uint64_t id = 0;
    {
      std::lock_guard lock(mu_);
      if (stopped_) {
        throw TransportError(TransportError::Kind::kClosed, error_prefix(method) + "closed");
      }
      if (!conn_) {
        throw TransportError(
            TransportError::Kind::kClosed,
            error_prefix(method) + "not connected (reconnecting after: " + last_error_ + ")");
      }
      conn = conn_;
      id = next_id_++;
      pending_[id] = pending;
    }
    asio::post(ioc_, [this, conn, message = encode_request(id, method, params)]() mutable {
      send(conn, std::move(message));
    });
    std::unique_lock lock(mu_);
    if (!cv_.wait_until(lock, deadline, [&] { return pending->done; })) {
      pending_.erase(id);
      throw TransportError(TransportError::Kind::kTimeout, error_prefix(method) + "timed out");
    }
    if (pending->error) std::rethrow_exception(pending->error);
    return std::move(pending->result);
  }

  std::shared_ptr<State> subscribe(std::string_view kind, json params,
                                   std::chrono::milliseconds timeout) {
    auto state = std::make_shared<State>();
    state->session = weak_from_this();
    state->capacity = std::max<size_t>(options_.subscription_queue_capacity, 2);
    state->params = json::array({kind});
    if (params.is_array()) {
      for (auto& p : params) state->params.push_back(std::move(p));
    } else if (!params.is_null()) {
      state->params.push_back(std::move(params));
    }
    {
      std::lock_guard lock(mu_);
      state->local_id = next_local_id_++;
    }
    // Runs under mu_ on the I/O thread, before the next message is read.
    call("eth_subscribe", state->params, timeout, [this, state](const json& result) {
      if (!result.is_string()) throw std::runtime_error("eth_subscribe: not a subscription id");
      state->server_id = result.get<std::string>();
      subs_[state->local_id] = state;
      subs_by_server_id_[state->server_id] = state;
    });
    return state;
  }

  void unsubscribe(State& state) {
    state.close();
    std::shared_ptr<Conn> conn;
    std::string message;
    {
      std::lock_guard lock(mu_);
      subs_.erase(state.local_id);
      if (state.server_id.empty()) return;
      subs_by_server_id_.erase(state.server_id);
      if (!conn_ || stopped_) return;
      conn = conn_;
      message = encode_request(next_id_++, "eth_unsubscribe", json::array({state.server_id}));
      state.server_id.clear();
    }
    asio::post(ioc_, [this, conn, message = std::move(message)]() mutable {
      send(conn, std::move(message));
    });
  }

  bool connected() const {
    std::lock_guard lock(mu_);
    return conn_ != nullptr;
  }

  uint64_t reconnects() const {
    std::lock_guard lock(mu_);
    return reconnects_;
  }

 private:
  struct Conn {
    explicit Conn(asio::io_context& ioc) : ws(ioc) {}
    websocket::stream<beast::tcp_stream> ws;
    beast::flat_buffer read_buffer;
    std::deque<std::string> outbox;  // front() is being written while `writing`
    bool writing = false;
  };

  struct Pending {
    std::string method;
    std::function<void(const json&)> on_result;  // under mu_, on the I/O thread
    bool internal = false;                       // nobody waits: a re-subscription
    std::shared_ptr<State> resubscribing;        // for internal ones
    bool done = false;                           // guarded by mu_, with result/error
    json result;
    std::exception_ptr error;
  };

  std::string error_prefix(std::string_view method) const {
    return std::string(method) + " at " + endpoint_.redacted + ": ";
  }

  void log(const std::string& message) const {
    if (options_.log) options_.log("rpc " + endpoint_.redacted + ": " + message);
  }

  void fail_pending_locked(const std::string& why) {
    for (auto& [id, pending] : pending_) {
      pending->error = std::make_exception_ptr(
          TransportError(TransportError::Kind::kClosed, error_prefix(pending->method) + why));
      pending->done = true;
    }
    pending_.clear();
    cv_.notify_all();
  }

  // ---- I/O thread ----

  void start_connect() {
    auto conn = std::make_shared<Conn>(ioc_);
    connecting_ = conn;
    resolver_.async_resolve(
        endpoint_.host, endpoint_.port,
        [this, conn](beast::error_code ec, tcp::resolver::results_type results) {
          if (stopping_) return;
          if (ec) return connect_failed(ec, "resolve");
          beast::get_lowest_layer(conn->ws).expires_after(options_.connect_timeout);
          beast::get_lowest_layer(conn->ws).async_connect(
              results, [this, conn](beast::error_code ec2, const tcp::endpoint&) {
                if (stopping_) return;
                if (ec2) return connect_failed(ec2, "connect");
                handshake(conn);
              });
        });
  }

  void handshake(const std::shared_ptr<Conn>& conn) {
    beast::get_lowest_layer(conn->ws).expires_never();
    websocket::stream_base::timeout timeouts;
    timeouts.handshake_timeout = options_.connect_timeout;
    if (options_.ws_idle_timeout.count() > 0) {
      timeouts.idle_timeout = options_.ws_idle_timeout;
      timeouts.keep_alive_pings = true;
    } else {
      timeouts.idle_timeout = websocket::stream_base::none();
      timeouts.keep_alive_pings = false;
    }
    conn->ws.set_option(timeouts);
    conn->ws.set_option(websocket::stream_base::decorator(
        [authorization = endpoint_.authorization](websocket::request_type& request) {
          request.set(http::field::user_agent, "fhevm-cpp-chain");
          if (!authorization.empty()) request.set(http::field::authorization, authorization);
        }));
    conn->ws.read_message_max(options_.max_response_bytes);
    conn->ws.text(true);
    conn->ws.async_handshake(endpoint_.host_header, endpoint_.target,
                             [this, conn](beast::error_code ec) {
                               if (stopping_) return;
                               if (ec) return connect_failed(ec, "handshake");
                               on_open(conn);
                             });
  }

  void connect_failed(const beast::error_code& ec, const char* step) {
    connecting_.reset();
    const bool timeout = ec == beast::error::timeout;
    const std::string why = std::string(step) + ": " + ec.message();
    bool first;
    {
      std::lock_guard lock(mu_);
      last_error_ = why;
      last_error_kind_ = timeout ? TransportError::Kind::kTimeout : TransportError::Kind::kConnect;
      first = !ever_connected_;
      first_attempt_done_ = true;
    }
    cv_.notify_all();
    if (first) return;  // the constructor reports it
    log("reconnecting failed (" + why + "); next attempt in " + std::to_string(backoff_.count()) +
        " ms");
    schedule_reconnect();
  }

  void schedule_reconnect() {
    reconnect_timer_.expires_after(backoff_);
    reconnect_timer_.async_wait([this](beast::error_code ec) {
      if (!ec && !stopping_) start_connect();
    });
    RetryPolicy policy;
    policy.multiplier = 2.0;
    policy.max_delay = options_.reconnect_max_delay;
    backoff_ = detail::next_delay(backoff_, policy);
  }

  void on_open(const std::shared_ptr<Conn>& conn) {
    connecting_.reset();
    backoff_ = options_.reconnect_initial_delay;
    io_conn_ = conn;
    std::vector<std::string> resubscriptions;
    bool reconnected;
    {
      std::lock_guard lock(mu_);
      conn_ = conn;
      reconnected = ever_connected_;
      ever_connected_ = true;
      first_attempt_done_ = true;
      if (reconnected) ++reconnects_;
      for (auto& entry : subs_) {
        // A named copy, not a structured binding: lambdas may not capture bindings before C++20
        // compilers caught up (clang 14 refuses), and the fuzz build uses clang.
        const auto sub = entry.second;
        auto pending = std::make_shared<Pending>();
        pending->method = "eth_subscribe";
        pending->internal = true;
        pending->resubscribing = sub;
        pending->on_result = [this, sub](const json& result) {
          if (!result.is_string()) throw std::runtime_error("not a subscription id");
          if (subs_.count(sub->local_id) == 0) {  // unsubscribed meanwhile
            if (io_conn_) {
              send(io_conn_, encode_request(next_id_++, "eth_unsubscribe", json::array({result})));
            }
            return;
          }
          sub->server_id = result.get<std::string>();
          subs_by_server_id_[sub->server_id] = sub;
          sub->push({SubscriptionEvent::Kind::kGap, json()});
        };
        const uint64_t id = next_id_++;
        pending_[id] = pending;
        resubscriptions.push_back(encode_request(id, "eth_subscribe", sub->params));
      }
    }
    cv_.notify_all();
    if (reconnected) {
      log("reconnected; subscribing again (" + std::to_string(resubscriptions.size()) + ")");
    }
    read_next(conn);
    for (auto& message : resubscriptions) send(conn, std::move(message));
  }

  void read_next(const std::shared_ptr<Conn>& conn) {
    conn->ws.async_read(conn->read_buffer, [this, conn](beast::error_code ec, size_t) {
      if (conn != io_conn_) return;
      if (ec) return lost(conn, ec);
      std::string text = beast::buffers_to_string(conn->read_buffer.data());
      conn->read_buffer.consume(conn->read_buffer.size());
      dispatch(text);
      if (conn == io_conn_) read_next(conn);
    });
  }

  void send(const std::shared_ptr<Conn>& conn, std::string message) {
    if (conn != io_conn_) return;  // its connection is gone; the call has already failed
    conn->outbox.push_back(std::move(message));
    if (!conn->writing) write_next(conn);
  }

  void write_next(const std::shared_ptr<Conn>& conn) {
    conn->writing = true;
    conn->ws.async_write(asio::buffer(conn->outbox.front()),
                         [this, conn](beast::error_code ec, size_t) {
                           conn->writing = false;
                           conn->outbox.pop_front();
                           if (conn != io_conn_) return;
                           if (ec) return lost(conn, ec);
                           if (!conn->outbox.empty()) write_next(conn);
                         });
  }

  void dispatch(const std::string& text) {
    try {
      const json message = json::parse(text, nullptr, /*allow_exceptions=*/false);
      if (!message.is_object()) {
        log("ignored a message that is not a JSON-RPC object");
        return;
      }
      const auto method = message.find("method");
      if (method != message.end()) {
        if (*method == "eth_subscription") notify(message.at("params"));
        return;
      }
      const auto id = message.find("id");
      if (id == message.end() || !id->is_number_unsigned()) return;
      std::lock_guard lock(mu_);
      const auto it = pending_.find(id->get<uint64_t>());
      if (it == pending_.end()) return;  // its caller timed out
      const std::shared_ptr<Pending> pending = it->second;
      pending_.erase(it);
      try {
        pending->result =
            decode_response(message, id->get<uint64_t>(), pending->method, endpoint_.redacted);
        if (pending->on_result) pending->on_result(pending->result);
      } catch (const std::exception& e) {
        pending->error = std::current_exception();
        if (pending->internal && pending->resubscribing) {
          log(std::string("subscribing again failed; the subscription ends: ") + e.what());
          subs_.erase(pending->resubscribing->local_id);
          pending->resubscribing->close();
        }
      }
      pending->done = true;
      cv_.notify_all();
    } catch (const std::exception& e) {
      log(std::string("ignored a malformed message: ") + e.what());
    }
  }

  void notify(const json& params) {
    const std::string& server_id = params.at("subscription").get_ref<const std::string&>();
    std::lock_guard lock(mu_);
    const auto it = subs_by_server_id_.find(server_id);
    if (it == subs_by_server_id_.end()) return;  // unsubscribed meanwhile
    it->second->push({SubscriptionEvent::Kind::kNotification, params.at("result")});
  }

  void lost(const std::shared_ptr<Conn>& conn, const beast::error_code& ec) {
    io_conn_.reset();
    beast::error_code ignored;
    beast::get_lowest_layer(conn->ws).socket().close(ignored);
    const std::string why =
        ec == beast::error::timeout ? std::string("idle timeout") : ec.message();
    {
      std::lock_guard lock(mu_);
      conn_.reset();
      last_error_ = why;
      last_error_kind_ = TransportError::Kind::kClosed;
      fail_pending_locked("connection lost (" + why + ")");
      for (auto& [local_id, sub] : subs_) sub->server_id.clear();
      subs_by_server_id_.clear();
    }
    if (stopping_) return;
    log("connection lost (" + why + "); reconnecting in " + std::to_string(backoff_.count()) +
        " ms");
    schedule_reconnect();
  }

  // The last handler of the I/O thread. No close handshake: anvil answers a close frame by
  // dropping the TCP connection, and a Beast close racing the pending read then waits out its
  // whole timeout; nodes see the same as a network drop. ioc_.stop() because the stream's
  // keep-alive timer would keep run() going until its next tick; what is still pending is
  // destroyed with ioc_.
  void stop_io() {
    stopping_ = true;
    reconnect_timer_.cancel();
    resolver_.cancel();
    for (std::shared_ptr<Conn>* conn : {&connecting_, &io_conn_}) {
      if (!*conn) continue;
      beast::error_code ignored;
      beast::get_lowest_layer((*conn)->ws).socket().shutdown(tcp::socket::shutdown_both, ignored);
      beast::get_lowest_layer((*conn)->ws).socket().close(ignored);
      conn->reset();
    }
    ioc_.stop();
  }

  const Endpoint endpoint_;
  const RpcOptions options_;

  asio::io_context ioc_;
  asio::executor_work_guard<asio::io_context::executor_type> work_{ioc_.get_executor()};
  std::thread thread_;

  // I/O thread only.
  tcp::resolver resolver_{ioc_};
  asio::steady_timer reconnect_timer_{ioc_};
  std::shared_ptr<Conn> io_conn_;     // the open connection
  std::shared_ptr<Conn> connecting_;  // the connection being made
  std::chrono::milliseconds backoff_;
  std::atomic<bool> stopping_{false};

  mutable std::mutex mu_;
  std::condition_variable cv_;                    // pending done, connection
  std::shared_ptr<Conn> conn_;                    // GUARDED_BY(mu_)
  bool stopped_ = false;                          // GUARDED_BY(mu_)
  bool ever_connected_ = false;                   // GUARDED_BY(mu_)
  bool first_attempt_done_ = false;               // GUARDED_BY(mu_)
  uint64_t reconnects_ = 0;                       // GUARDED_BY(mu_)
  std::string last_error_ = "not connected yet";  // GUARDED_BY(mu_)
  TransportError::Kind last_error_kind_ = TransportError::Kind::kConnect;      // GUARDED_BY(mu_)
  uint64_t next_id_ = 1;                                                       // GUARDED_BY(mu_)
  uint64_t next_local_id_ = 1;                                                 // GUARDED_BY(mu_)
  std::unordered_map<uint64_t, std::shared_ptr<Pending>> pending_;             // GUARDED_BY(mu_)
  std::map<uint64_t, std::shared_ptr<State>> subs_;                            // GUARDED_BY(mu_)
  std::unordered_map<std::string, std::shared_ptr<State>> subs_by_server_id_;  // GUARDED_BY(mu_)
};

}  // namespace rpc_detail

WsRpcClient::WsRpcClient(std::string_view url, RpcOptions options) : RpcClient(url, options) {
  rpc_detail::Endpoint endpoint = rpc_detail::parse_endpoint(url);
  if (endpoint.scheme != "ws") {
    throw std::invalid_argument("WsRpcClient needs a ws:// URL, not " + endpoint.redacted);
  }
  impl_ = std::make_shared<rpc_detail::WsSession>(std::move(endpoint), std::move(options));
  impl_->start();
}

WsRpcClient::~WsRpcClient() {
  if (impl_) impl_->shutdown();
}

json WsRpcClient::do_call(std::string_view method, json params, std::chrono::milliseconds timeout) {
  return impl_->call(method, std::move(params), timeout);
}

Subscription WsRpcClient::subscribe(std::string_view kind, json params) {
  return subscribe(kind, std::move(params), options().timeout);
}

Subscription WsRpcClient::subscribe(std::string_view kind, json params,
                                    std::chrono::milliseconds timeout) {
  Subscription subscription;
  subscription.state_ = impl_->subscribe(kind, std::move(params), timeout);
  return subscription;
}

bool WsRpcClient::connected() const {
  return impl_->connected();
}

uint64_t WsRpcClient::reconnects() const {
  return impl_->reconnects();
}

Subscription& Subscription::operator=(Subscription&& other) noexcept {
  if (this != &other) {
    unsubscribe();
    state_ = std::move(other.state_);
  }
  return *this;
}

Subscription::~Subscription() {
  unsubscribe();
}

std::optional<SubscriptionEvent> Subscription::next(std::chrono::milliseconds timeout) {
  if (!state_) return std::nullopt;
  std::unique_lock lock(state_->mu);
  state_->cv.wait_for(lock, timeout, [&] { return !state_->queue.empty() || state_->closed; });
  if (state_->queue.empty()) return std::nullopt;
  SubscriptionEvent event = std::move(state_->queue.front());
  state_->queue.pop_front();
  return event;
}

size_t Subscription::pending() const {
  if (!state_) return 0;
  std::lock_guard lock(state_->mu);
  return state_->queue.size();
}

bool Subscription::active() const {
  if (!state_) return false;
  std::lock_guard lock(state_->mu);
  return !state_->closed;
}

void Subscription::unsubscribe() {
  if (!state_) return;
  if (auto session = state_->session.lock()) {
    session->unsubscribe(*state_);
  } else {
    state_->close();
  }
}

}  // namespace chain
