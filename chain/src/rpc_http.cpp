// JSON-RPC over HTTP/1.1: one keep-alive connection, driven on the calling thread.
//
// Each call runs asynchronous Beast operations on a private io_context until they finish or the
// call's deadline passes (io_context::run_until); at the deadline the operations are cancelled,
// the connection is closed and the call fails with TransportError(kTimeout). Calls from several
// threads take turns (Impl::Turn), each waiting at most until its own deadline.
#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>

#include "chain/rpc.h"
#include "rpc_internal.h"

namespace chain {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

struct HttpRpcClient::Impl {
  rpc_detail::Endpoint endpoint;
  size_t max_response_bytes;
  std::chrono::milliseconds connect_timeout;
  std::atomic<uint64_t> next_id{1};

  // One call at a time owns the connection: `busy` (guarded by turn_mu) is its token, waited for
  // until the call's deadline. The owner alone touches the members below.
  std::mutex turn_mu;
  std::condition_variable turn_cv;
  bool busy = false;

  asio::io_context ioc;
  tcp::resolver resolver{ioc};
  std::optional<beast::tcp_stream> stream;  // the open connection, if any
  beast::flat_buffer buffer;                // bytes read past the last response
  std::atomic<uint64_t> connections{0};

  // Holds the connection for one call (RAII); `owned` is false if the deadline passed first.
  struct Turn {
    Turn(Impl& owner, Clock::time_point deadline) : impl(owner) {
      std::unique_lock lock(impl.turn_mu);
      owned = impl.turn_cv.wait_until(lock, deadline, [&] { return !impl.busy; });
      if (owned) impl.busy = true;
    }
    ~Turn() {
      if (!owned) return;
      {
        std::lock_guard lock(impl.turn_mu);
        impl.busy = false;
      }
      impl.turn_cv.notify_one();
    }
    Turn(const Turn&) = delete;
    Turn& operator=(const Turn&) = delete;
    Impl& impl;
    bool owned = false;
  };

  // Runs the io_context until `done` or `deadline`. At the deadline cancels what is pending,
  // lets the handlers finish, and returns false.
  bool run(const bool& done, Clock::time_point deadline) {
    ioc.restart();
    ioc.run_until(deadline);
    if (done) return true;
    resolver.cancel();
    if (stream) {
      beast::error_code ignored;
      stream->socket().close(ignored);
    }
    ioc.restart();
    ioc.run();
    return false;
  }

  void close() {
    if (stream) {
      beast::error_code ignored;
      stream->socket().shutdown(tcp::socket::shutdown_both, ignored);
      stream->socket().close(ignored);
      stream.reset();
    }
    buffer.clear();
  }

  TransportError error(TransportError::Kind kind, std::string_view method,
                       const std::string& what) const {
    return TransportError(kind, std::string(method) + " at " + endpoint.redacted + ": " + what);
  }

  void connect(std::string_view method, Clock::time_point deadline) {
    const Clock::time_point connect_deadline = std::min(deadline, Clock::now() + connect_timeout);
    bool done = false;
    beast::error_code ec;
    tcp::resolver::results_type endpoints;
    resolver.async_resolve(endpoint.host, endpoint.port,
                           [&](beast::error_code e, tcp::resolver::results_type r) {
                             ec = e;
                             endpoints = std::move(r);
                             done = true;
                           });
    if (!run(done, connect_deadline)) {
      throw error(TransportError::Kind::kTimeout, method, "resolving the host timed out");
    }
    if (ec) throw error(TransportError::Kind::kConnect, method, "resolve: " + ec.message());
    stream.emplace(ioc);
    done = false;
    stream->async_connect(endpoints, [&](beast::error_code e, const tcp::endpoint&) {
      ec = e;
      done = true;
    });
    if (!run(done, connect_deadline)) {
      close();
      throw error(TransportError::Kind::kTimeout, method, "connect timed out");
    }
    if (ec) {
      close();
      throw error(TransportError::Kind::kConnect, method, "connect: " + ec.message());
    }
    ++connections;
  }

  // Sends `body` and reads one response. Returns the parser's message; throws TransportError.
  http::response<http::string_body> round_trip(std::string_view method, const std::string& body,
                                               Clock::time_point deadline) {
    http::request<http::string_body> request{http::verb::post, endpoint.target, 11};
    request.set(http::field::host, endpoint.host_header);
    request.set(http::field::user_agent, "fhevm-cpp-chain");
    request.set(http::field::content_type, "application/json");
    request.set(http::field::accept, "application/json");
    if (!endpoint.authorization.empty()) {
      request.set(http::field::authorization, endpoint.authorization);
    }
    request.keep_alive(true);
    request.body() = body;
    request.prepare_payload();

    for (int attempt = 0;; ++attempt) {
      const bool reused = stream.has_value();
      if (!reused) connect(method, deadline);

      bool done = false;
      beast::error_code ec;
      http::async_write(*stream, request, [&](beast::error_code e, size_t) {
        ec = e;
        done = true;
      });
      bool in_time = run(done, deadline);
      http::response_parser<http::string_body> parser;
      parser.body_limit(max_response_bytes);
      if (in_time && !ec) {
        done = false;
        http::async_read(*stream, buffer, parser, [&](beast::error_code e, size_t) {
          ec = e;
          done = true;
        });
        in_time = run(done, deadline);
      }
      if (!in_time) {
        close();
        throw error(TransportError::Kind::kTimeout, method, "timed out");
      }
      if (!ec) {
        http::response<http::string_body> response = parser.release();
        if (!response.keep_alive()) close();
        return response;
      }
      const bool nothing_received = !parser.got_some();
      close();
      // A kept-alive connection the node had closed while idle: send once more on a new one.
      if (reused && nothing_received && attempt == 0) continue;
      if (ec == http::error::body_limit || ec == http::error::header_limit) {
        throw error(TransportError::Kind::kProtocol, method, "response too large");
      }
      throw error(TransportError::Kind::kClosed, method, ec.message());
    }
  }
};

HttpRpcClient::HttpRpcClient(std::string_view url, RpcOptions options)
    : RpcClient(url, options), impl_(std::make_unique<Impl>()) {
  impl_->endpoint = rpc_detail::parse_endpoint(url);
  if (impl_->endpoint.scheme != "http") {
    throw std::invalid_argument("HttpRpcClient needs an http:// URL, not " +
                                impl_->endpoint.redacted);
  }
  impl_->max_response_bytes = options.max_response_bytes;
  impl_->connect_timeout = options.connect_timeout;
}

HttpRpcClient::~HttpRpcClient() {
  impl_->close();
}

uint64_t HttpRpcClient::connections_opened() const {
  return impl_->connections.load();
}

json HttpRpcClient::do_call(std::string_view method, json params,
                            std::chrono::milliseconds timeout) {
  const Clock::time_point deadline = rpc_detail::deadline_after(timeout);
  const uint64_t id = impl_->next_id.fetch_add(1);
  const std::string body = rpc_detail::encode_request(id, method, params);

  http::response<http::string_body> response;
  {
    Impl::Turn turn(*impl_, deadline);
    if (!turn.owned) {
      throw impl_->error(TransportError::Kind::kTimeout, method,
                         "timed out waiting for the connection");
    }
    response = impl_->round_trip(method, body, deadline);
  }

  const int status = static_cast<int>(response.result_int());
  json reply = json::parse(response.body(), nullptr, /*allow_exceptions=*/false);
  if (status == 200 || (reply.is_object() && reply.contains("error"))) {
    if (reply.is_discarded()) {
      throw impl_->error(TransportError::Kind::kProtocol, method, "the reply is not JSON");
    }
    return rpc_detail::decode_response(reply, id, method, impl_->endpoint.redacted);
  }
  throw TransportError(TransportError::Kind::kHttpStatus,
                       std::string(method) + " at " + impl_->endpoint.redacted + ": HTTP " +
                           std::to_string(status) + " " + std::string(response.reason()),
                       status);
}

}  // namespace chain
