// JSON-RPC clients (chain/rpc.h) and typed methods (chain/eth.h, chain/anvil_rpc.h) against a
// private anvil (tests/anvil.h), plus silent local servers for timeouts.
#include "chain/rpc.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "anvil.h"
#include "chain/anvil_rpc.h"
#include "chain/eth.h"
#include "chain/hex.h"

namespace chain {
namespace {

using namespace std::chrono_literals;
using test::AnvilNode;
using Kind = TransportError::Kind;

constexpr uint64_t kChainId = 12345;

// One node for the tests that only add blocks; tests that kill or revert start their own.
AnvilNode& shared_anvil() {
  static AnvilNode node([] {
    AnvilNode::Options o;
    o.chain_id = kChainId;
    return o;
  }());
  return node;
}

RpcOptions quick(std::chrono::milliseconds timeout = 5s) {
  RpcOptions o;
  o.timeout = timeout;
  o.connect_timeout = 2s;
  o.reconnect_initial_delay = 20ms;
  o.reconnect_max_delay = 200ms;
  return o;
}

// Bytecode that emits LOG1(keccak("Ping(bytes)"), calldata): CALLDATACOPY(0, 0, size);
// LOG1(0, size, topic); STOP.
Bytes emitter_code() {
  Bytes code = from_hex("0x366000600037");
  code.push_back(0x7f);  // PUSH32 topic
  const Hash32 topic = keccak(std::string_view("Ping(bytes)"));
  code.insert(code.end(), topic.bytes.begin(), topic.bytes.end());
  const Bytes tail = from_hex("0x366000a100");  // CALLDATASIZE PUSH1 0 LOG1 STOP
  code.insert(code.end(), tail.begin(), tail.end());
  return code;
}

// Bytecode that reverts with the 4 bytes 0xdeadbeef.
Bytes reverter_code() {
  return from_hex("0x63deadbeef60e01b60005260046000fd");
}

// The receipt of `tx`, polled: anvil's automine answers eth_sendTransaction before the receipt
// is queryable (a few milliseconds later when subscriptions are open).
Receipt wait_for_receipt(EthClient& eth, const Hash32& tx) {
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  int polls = 0;
  for (;;) {
    ++polls;
    if (std::optional<Receipt> r = eth.transaction_receipt(tx)) {
      if (polls > 1) std::printf("[receipt] after %d polls\n", polls);
      return *r;
    }
    if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error("no receipt");
    std::this_thread::sleep_for(2ms);
  }
}

Address address_of(uint8_t last) {
  Address a;
  a.bytes[0] = 0xc0;
  a.bytes[19] = last;
  return a;
}

// A TCP port that accepts connections (the kernel's backlog) and never answers.
class SilentTcpServer {
 public:
  SilentTcpServer() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(addr);
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), len) != 0 ||
        ::listen(fd_, 16) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      throw std::runtime_error("SilentTcpServer: socket setup failed");
    }
    port_ = ntohs(addr.sin_port);
  }
  ~SilentTcpServer() { ::close(fd_); }
  uint16_t port() const { return port_; }

 private:
  int fd_ = -1;
  uint16_t port_ = 0;
};

// A WebSocket server that completes handshakes and reads requests but never answers them.
class SilentWsServer {
 public:
  SilentWsServer() {
    accept();
    thread_ = std::thread([this] { ioc_.run(); });
  }
  ~SilentWsServer() {
    ioc_.stop();
    thread_.join();
  }
  uint16_t port() const { return acceptor_.local_endpoint().port(); }

 private:
  using Ws = boost::beast::websocket::stream<boost::beast::tcp_stream>;
  struct Session {
    explicit Session(boost::asio::ip::tcp::socket s) : ws(std::move(s)) {}
    Ws ws;
    boost::beast::flat_buffer buffer;
  };

  void accept() {
    acceptor_.async_accept(
        [this](boost::system::error_code ec, boost::asio::ip::tcp::socket socket) {
          if (ec) return;
          auto session = std::make_shared<Session>(std::move(socket));
          session->ws.async_accept([session](boost::system::error_code e) {
            if (!e) read(session);
          });
          accept();
        });
  }
  static void read(const std::shared_ptr<Session>& session) {
    session->ws.async_read(session->buffer, [session](boost::system::error_code ec, size_t) {
      if (ec) return;
      session->buffer.clear();
      read(session);
    });
  }

  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::acceptor acceptor_{ioc_, {boost::asio::ip::make_address("127.0.0.1"), 0}};
  std::thread thread_;
};

// ---- URLs ----

TEST(RpcUrl, RedactionHidesCredentialsPathAndQuery) {
  struct Row {
    const char* url;
    const char* redacted;
  };
  const Row rows[] = {
      {"http://127.0.0.1:8545", "http://127.0.0.1:8545"},
      {"http://127.0.0.1:8545/", "http://127.0.0.1:8545"},
      {"ws://user:secret@node.example:8546", "ws://***@node.example:8546"},
      {"https://mainnet.example/v3/0123abcd", "https://mainnet.example/***"},
      {"http://h.example/?apikey=secret", "http://h.example/***"},
      {"http://[::1]:8545/rpc", "http://[::1]:8545/***"},
      {"not a url secret", "***"},
  };
  for (const Row& row : rows) EXPECT_EQ(redact_url(row.url), row.redacted) << row.url;
}

TEST(RpcUrl, RejectsTlsAndUnknownSchemes) {
  EXPECT_THROW(HttpRpcClient("https://node.example"), std::invalid_argument);
  EXPECT_THROW(WsRpcClient("wss://node.example"), std::invalid_argument);
  EXPECT_THROW(make_rpc_client("ftp://node.example"), std::invalid_argument);
  EXPECT_THROW(HttpRpcClient("ws://node.example"), std::invalid_argument);
  EXPECT_THROW(HttpRpcClient("http://:8545"), std::invalid_argument);
}

TEST(RpcUrl, ErrorsNeverQuoteCredentials) {
  // Port 1 on loopback: nothing listens there.
  HttpRpcClient client("http://user:hunter2@127.0.0.1:1/v2/apikey42?token=tok", quick(2s));
  try {
    client.call("eth_chainId");
    FAIL() << "expected a TransportError";
  } catch (const TransportError& e) {
    EXPECT_EQ(e.kind(), Kind::kConnect);
    const std::string what = e.what();
    for (const char* secret : {"hunter2", "user", "apikey42", "tok"}) {
      EXPECT_EQ(what.find(secret), std::string::npos) << what;
    }
    EXPECT_NE(what.find("http://***@127.0.0.1:1/***"), std::string::npos) << what;
  }
}

// ---- The retry helper (no network) ----

TEST(Retry, BacksOffAndGivesUpAfterTheLimit) {
  RetryPolicy policy;
  policy.max_attempts = 4;
  policy.initial_delay = 1ms;
  policy.multiplier = 3.0;
  policy.max_delay = 5ms;
  std::vector<int64_t> delays;
  int calls = 0;
  EXPECT_THROW(with_retry(
                   policy,
                   [&]() -> int {
                     ++calls;
                     throw TransportError(Kind::kClosed, "down");
                   },
                   [&](int, const TransportError&, std::chrono::milliseconds d) {
                     delays.push_back(d.count());
                   }),
               TransportError);
  EXPECT_EQ(calls, 4);
  EXPECT_EQ(delays, (std::vector<int64_t>{1, 3, 5}));

  calls = 0;
  EXPECT_EQ(with_retry(policy,
                       [&] {
                         if (++calls < 3) throw TransportError(Kind::kTimeout, "slow");
                         return 7;
                       }),
            7);
  EXPECT_EQ(calls, 3);
}

TEST(Retry, DoesNotRetryRpcErrors) {
  int calls = 0;
  EXPECT_THROW(with_retry(RetryPolicy{},
                          [&]() -> int {
                            ++calls;
                            throw RpcError("eth_call", 3, "execution reverted", nullptr);
                          }),
               RpcError);
  EXPECT_EQ(calls, 1);
}

TEST(Retry, StopTokenEndsTheWait) {
  RetryPolicy policy;
  policy.max_attempts = 100;
  policy.initial_delay = 10s;
  std::stop_source stop;
  std::thread stopper([&] {
    std::this_thread::sleep_for(50ms);
    stop.request_stop();
  });
  const auto start = std::chrono::steady_clock::now();
  EXPECT_THROW(with_retry(
                   policy, []() -> int { throw TransportError(Kind::kConnect, "refused"); }, {},
                   stop.get_token()),
               TransportError);
  stopper.join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
}

// ---- Against anvil ----

TEST(Rpc, ChainIdAndBlockNumberOverBothTransports) {
  AnvilNode& node = shared_anvil();
  HttpRpcClient http(node.http_url(), quick());
  WsRpcClient ws(node.ws_url(), quick());
  AnvilClient via_http(http);
  EthClient via_ws(ws);
  EXPECT_EQ(via_http.chain_id(), kChainId);
  EXPECT_EQ(via_ws.chain_id(), kChainId);
  const uint64_t before = via_http.block_number();
  via_http.mine(3);
  EXPECT_EQ(via_http.block_number(), before + 3);
  EXPECT_EQ(via_ws.block_number(), before + 3);
  // A timeout of "forever" does not overflow the deadline.
  EXPECT_EQ(http.call("eth_chainId", json::array(), std::chrono::milliseconds::max()),
            to_quantity(kChainId));
  EXPECT_EQ(ws.call("eth_chainId", json::array(), std::chrono::milliseconds::max()),
            to_quantity(kChainId));
  // Keep-alive: all of the calls above went over one HTTP connection.
  EXPECT_EQ(http.connections_opened(), 1u);
}

TEST(Rpc, BlocksByNumberAndByHash) {
  HttpRpcClient http(shared_anvil().http_url(), quick());
  AnvilClient anvil(http);
  anvil.mine(2);
  const uint64_t head = anvil.block_number();
  const std::optional<BlockHeader> latest = anvil.block_by_number(BlockRef::latest());
  const std::optional<BlockHeader> by_number = anvil.block_by_number(BlockRef::number(head));
  const std::optional<BlockHeader> parent = anvil.block_by_number(BlockRef::number(head - 1));
  ASSERT_TRUE(latest && by_number && parent);
  EXPECT_EQ(*latest, *by_number);
  EXPECT_EQ(by_number->number, head);
  EXPECT_EQ(by_number->parent_hash, parent->hash);
  EXPECT_GE(by_number->timestamp, parent->timestamp);
  const std::optional<BlockHeader> by_hash = anvil.block_by_hash(by_number->hash);
  ASSERT_TRUE(by_hash);
  EXPECT_EQ(*by_hash, *by_number);
  EXPECT_FALSE(anvil.block_by_number(BlockRef::number(head + 1000)));
  EXPECT_FALSE(anvil.block_by_hash(Hash32::from_hex("0x" + std::string(64, '7'))));
}

TEST(Rpc, NewHeadsSubscriptionReceivesMinedBlocks) {
  AnvilNode& node = shared_anvil();
  HttpRpcClient http(node.http_url(), quick());
  WsRpcClient ws(node.ws_url(), quick());
  AnvilClient anvil(http);
  Subscription heads = ws.subscribe("newHeads");
  const uint64_t start = anvil.block_number();
  anvil.mine(3);
  for (uint64_t i = 1; i <= 3; ++i) {
    const std::optional<SubscriptionEvent> event = heads.next(5s);
    ASSERT_TRUE(event) << "no notification for block " << start + i;
    ASSERT_EQ(event->kind, SubscriptionEvent::Kind::kNotification);
    const BlockHeader header = parse_block_header(event->result);
    EXPECT_EQ(header.number, start + i);
    EXPECT_EQ(header, *anvil.block_by_number(BlockRef::number(start + i)));
  }
  heads.unsubscribe();
  EXPECT_FALSE(heads.active());
  anvil.mine(1);
  EXPECT_FALSE(heads.next(200ms));
}

TEST(Rpc, LogsByBlockHash) {
  HttpRpcClient http(shared_anvil().http_url(), quick());
  AnvilClient anvil(http);
  const Address emitter = address_of(1);
  anvil.set_code(emitter, emitter_code());
  EXPECT_EQ(anvil.code(emitter), emitter_code());

  // A block without logs.
  anvil.mine(1);
  const BlockHeader empty = *anvil.block_by_number(BlockRef::latest());
  EXPECT_TRUE(anvil.logs_by_block_hash(empty.hash).empty());
  EXPECT_TRUE(anvil.logs_by_block_hash(empty.hash, {.addresses = {emitter}}).empty());

  // A transaction from a dev account (automine: one block per transaction).
  const Address sender = anvil.accounts().at(0);
  const Bytes payload = from_hex("0x0102030405");
  const Hash32 tx = anvil.send_transaction({.from = sender, .to = emitter, .data = payload});
  const std::optional<Receipt> receipt = wait_for_receipt(anvil, tx);
  EXPECT_TRUE(receipt->success);
  EXPECT_EQ(receipt->from, sender);
  EXPECT_EQ(receipt->to, emitter);
  ASSERT_EQ(receipt->logs.size(), 1u);

  const std::vector<Log> logs =
      anvil.logs_by_block_hash(receipt->block_hash, {.addresses = {address_of(9), emitter}});
  ASSERT_EQ(logs.size(), 1u);
  const Log& log = logs[0];
  EXPECT_EQ(log, receipt->logs[0]);
  EXPECT_EQ(log.address, emitter);
  ASSERT_EQ(log.topics.size(), 1u);
  EXPECT_EQ(log.topics[0], keccak(std::string_view("Ping(bytes)")));
  EXPECT_EQ(log.data, payload);
  EXPECT_EQ(log.block_number, receipt->block_number);
  EXPECT_EQ(log.block_hash, receipt->block_hash);
  EXPECT_EQ(log.transaction_hash, tx);
  EXPECT_EQ(log.transaction_index, 0u);
  EXPECT_FALSE(log.removed);
  EXPECT_TRUE(
      anvil.logs_by_block_hash(receipt->block_hash, {.addresses = {address_of(9)}}).empty());
  EXPECT_TRUE(anvil
                  .logs_by_block_hash(receipt->block_hash,
                                      {.topics = {{keccak(std::string_view("Other()"))}}})
                  .empty());
  EXPECT_EQ(anvil.logs_in_range(receipt->block_number, receipt->block_number).size(), 1u);
  EXPECT_EQ(anvil.transaction_count(sender), anvil.transaction_count(sender, BlockRef::latest()));

  // An unknown block hash is an error, not an empty list.
  try {
    anvil.logs_by_block_hash(Hash32::from_hex("0x" + std::string(64, '1')));
    FAIL() << "expected an RpcError";
  } catch (const RpcError& e) {
    EXPECT_EQ(e.code(), -32000);
    EXPECT_EQ(e.rpc_message(), "unknown block");
  }
}

TEST(Rpc, AnvilStateMethods) {
  HttpRpcClient http(shared_anvil().http_url(), quick());
  AnvilClient anvil(http);
  const Address account = address_of(2);
  anvil.set_balance(account, fhe::U256::parse("1000000000000000000000"));
  EXPECT_EQ(anvil.balance(account), fhe::U256::parse("1000000000000000000000"));
  anvil.set_storage_at(account, 7, fhe::U256::parse("0x1234"));
  EXPECT_EQ(anvil.storage_at(account, 7), fhe::U256::parse("0x1234"));
  EXPECT_EQ(anvil.storage_at(account, 8), fhe::U256{});
  anvil.set_nonce(account, 5);
  EXPECT_EQ(anvil.transaction_count(account, BlockRef::latest()), 5u);

  // Impersonation: a transaction from an account whose key nobody has.
  anvil.impersonate_account(account);
  const Hash32 tx = anvil.send_transaction({.from = account, .to = address_of(3)});
  anvil.stop_impersonating_account(account);
  const std::optional<Receipt> receipt = wait_for_receipt(anvil, tx);
  EXPECT_EQ(receipt->from, account);
  EXPECT_THROW(anvil.send_transaction({.from = account, .to = address_of(3)}), RpcError);
}

TEST(Rpc, ErrorObjectsSurfaceAsRpcError) {
  AnvilNode& node = shared_anvil();
  HttpRpcClient http(node.http_url(), quick());
  WsRpcClient ws(node.ws_url(), quick());
  for (RpcClient* client : {static_cast<RpcClient*>(&http), static_cast<RpcClient*>(&ws)}) {
    try {
      client->call("no_such_method");
      FAIL() << "expected an RpcError";
    } catch (const RpcError& e) {
      // anvil: -32601 "Method not found" over HTTP; over WebSocket -32602 "data did not match
      // any variant of untagged enum EthRpcCall".
      EXPECT_EQ(e.code(), client == &http ? -32601 : -32602) << e.what();
      EXPECT_EQ(e.method(), "no_such_method");
    }
    EXPECT_THROW(client->call("eth_getBlockByNumber", json::array({"not a block"})), RpcError);
  }
  // A revert carries its data.
  AnvilClient anvil(http);
  const Address reverter = address_of(4);
  anvil.set_code(reverter, reverter_code());
  try {
    anvil.call({.to = reverter});
    FAIL() << "expected an RpcError";
  } catch (const RpcError& e) {
    EXPECT_EQ(e.code(), 3);
    EXPECT_EQ(e.data(), "0xdeadbeef");
  }
  // The connection survives errors.
  EXPECT_EQ(EthClient(http).chain_id(), kChainId);
  EXPECT_EQ(EthClient(ws).chain_id(), kChainId);
}

TEST(Rpc, ConcurrentCallsShareOneConnection) {
  AnvilNode& node = shared_anvil();
  HttpRpcClient http(node.http_url(), quick());
  WsRpcClient ws(node.ws_url(), quick());
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 25; ++i) {
        if (EthClient(http).chain_id() == kChainId) ++ok;
        if (EthClient(ws).chain_id() == kChainId) ++ok;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 200);
  EXPECT_EQ(http.connections_opened(), 1u);
}

// evm_snapshot/evm_revert: the head goes back and is replaced by different blocks (a reorg), as
// the host-listener sees it through newHeads and logs subscriptions. anvil sends notifications
// asynchronously, after mining: a block reverted before its turn gets none, so the test waits
// for block A's notifications before reverting.
TEST(Rpc, SnapshotRevertReplacesTheHead) {
  AnvilNode node;
  HttpRpcClient http(node.http_url(), quick());
  WsRpcClient ws(node.ws_url(), quick());
  AnvilClient anvil(http);
  const Address emitter = address_of(5);
  anvil.set_code(emitter, emitter_code());
  const Address sender = anvil.accounts().at(0);
  anvil.mine(2);
  Subscription heads = ws.subscribe("newHeads");
  Subscription logs = ws.subscribe("logs", LogFilter{.addresses = {emitter}}.to_json());
  auto next_head = [&] {
    const std::optional<SubscriptionEvent> event = heads.next(5s);
    if (!event) throw std::runtime_error("no newHeads notification");
    return parse_block_header(event->result);
  };
  auto next_log = [&] {
    const std::optional<SubscriptionEvent> event = logs.next(5s);
    if (!event) throw std::runtime_error("no logs notification");
    return parse_log(event->result);
  };

  const BlockHeader fork_point = *anvil.block_by_number(BlockRef::latest());
  const fhe::U256 snapshot = anvil.snapshot();
  const Hash32 tx_a = anvil.send_transaction({.from = sender, .to = emitter, .data = {0xaa}});
  const Receipt a = wait_for_receipt(anvil, tx_a);
  EXPECT_EQ(a.block_number, fork_point.number + 1);
  const BlockHeader head_a = next_head();
  EXPECT_EQ(head_a.hash, a.block_hash);
  const Log log_a = next_log();
  EXPECT_EQ(log_a.block_hash, a.block_hash);
  EXPECT_FALSE(log_a.removed);

  ASSERT_TRUE(anvil.revert(snapshot));
  EXPECT_EQ(anvil.block_number(), fork_point.number);
  EXPECT_FALSE(anvil.block_by_hash(a.block_hash)) << "the orphaned block is forgotten";
  EXPECT_FALSE(anvil.transaction_receipt(tx_a));
  EXPECT_THROW(anvil.logs_by_block_hash(a.block_hash), RpcError);
  EXPECT_FALSE(anvil.revert(snapshot)) << "a snapshot is consumed by its revert";

  const Hash32 tx_b = anvil.send_transaction({.from = sender, .to = emitter, .data = {0xbb}});
  const Receipt b = wait_for_receipt(anvil, tx_b);
  EXPECT_EQ(b.block_number, fork_point.number + 1);
  EXPECT_NE(b.block_hash, a.block_hash);
  EXPECT_EQ(anvil.block_by_hash(b.block_hash)->parent_hash, fork_point.hash);

  // newHeads: block N+1 again, with another hash and the same parent; nothing announces the
  // revert itself.
  const BlockHeader head_b = next_head();
  EXPECT_EQ(head_b.number, head_a.number);
  EXPECT_EQ(head_b.hash, b.block_hash);
  EXPECT_EQ(head_b.parent_hash, head_a.parent_hash);
  // logs: the new block's log; anvil sends no removed=true copy of the orphaned one.
  const Log log_b = next_log();
  EXPECT_EQ(log_b.block_hash, b.block_hash);
  EXPECT_EQ(log_b.data, Bytes{0xbb});
  EXPECT_FALSE(log_b.removed);
  EXPECT_FALSE(logs.next(300ms));
  EXPECT_FALSE(heads.next(1ms));
}

TEST(Rpc, KilledNodeGivesTransportErrorAndRetryRecovers) {
  AnvilNode node;
  HttpRpcClient http(node.http_url(), quick(2s));
  EthClient eth(http);
  EXPECT_EQ(eth.chain_id(), 31337u);

  node.kill();
  try {
    eth.chain_id();
    FAIL() << "expected a TransportError";
  } catch (const TransportError& e) {
    EXPECT_EQ(e.kind(), Kind::kConnect) << e.what();
  }

  // The retry runs on a helper thread; the node restarts from this one (anvil.h: PDEATHSIG).
  RetryPolicy policy;
  policy.max_attempts = 50;
  policy.initial_delay = 20ms;
  policy.max_delay = 100ms;
  std::atomic<int> retries{0};
  uint64_t chain_id = 0;
  std::thread client([&] {
    chain_id = with_retry(
        policy, [&] { return eth.chain_id(); },
        [&](int, const TransportError&, std::chrono::milliseconds) { ++retries; });
  });
  std::this_thread::sleep_for(300ms);
  node.start();
  client.join();
  EXPECT_EQ(chain_id, 31337u);
  EXPECT_GE(retries.load(), 2);
}

// The kept-alive connection dies with the node; the next call notices before any answer arrived
// and sends its request once more on a new connection, without an error.
TEST(Rpc, HttpResendsOnAFreshConnectionAfterARestart) {
  AnvilNode node;
  HttpRpcClient http(node.http_url(), quick());
  EXPECT_EQ(EthClient(http).chain_id(), 31337u);
  node.kill();
  node.start();
  EXPECT_EQ(EthClient(http).chain_id(), 31337u);
  EXPECT_EQ(http.connections_opened(), 2u);
}

TEST(Rpc, WebSocketReconnectsAndSubscribesAgain) {
  AnvilNode node;
  std::vector<std::string> log_lines;
  std::mutex log_mu;
  RpcOptions options = quick(2s);
  options.log = [&](const std::string& line) {
    std::lock_guard lock(log_mu);
    log_lines.push_back(line);
  };
  WsRpcClient ws(node.ws_url(), options);
  Subscription heads = ws.subscribe("newHeads");
  {
    HttpRpcClient http(node.http_url(), quick());
    AnvilClient(http).mine(1);
  }
  ASSERT_TRUE(heads.next(5s));

  node.kill();
  for (int i = 0; i < 100 && ws.connected(); ++i) std::this_thread::sleep_for(10ms);
  EXPECT_FALSE(ws.connected());
  try {
    ws.call("eth_chainId");
    FAIL() << "expected a TransportError";
  } catch (const TransportError& e) {
    EXPECT_EQ(e.kind(), Kind::kClosed) << e.what();
  }

  node.start();  // same port: the client finds it again
  const std::optional<SubscriptionEvent> gap = heads.next(5s);
  ASSERT_TRUE(gap);
  EXPECT_EQ(gap->kind, SubscriptionEvent::Kind::kGap);
  EXPECT_TRUE(ws.connected());
  EXPECT_EQ(ws.reconnects(), 1u);
  EXPECT_EQ(EthClient(ws).chain_id(), 31337u);

  HttpRpcClient http(node.http_url(), quick());
  AnvilClient(http).mine(1);
  const std::optional<SubscriptionEvent> head = heads.next(5s);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->kind, SubscriptionEvent::Kind::kNotification);
  EXPECT_EQ(parse_block_header(head->result).number, 1u);  // a fresh chain
  std::lock_guard lock(log_mu);
  ASSERT_FALSE(log_lines.empty());
  EXPECT_NE(log_lines.front().find("connection lost"), std::string::npos) << log_lines.front();
}

TEST(Rpc, HttpTimeout) {
  SilentTcpServer server;
  HttpRpcClient http("http://127.0.0.1:" + std::to_string(server.port()), quick(5s));
  const auto start = std::chrono::steady_clock::now();
  try {
    http.call("eth_chainId", json::array(), 200ms);
    FAIL() << "expected a TransportError";
  } catch (const TransportError& e) {
    EXPECT_EQ(e.kind(), Kind::kTimeout) << e.what();
  }
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_GE(elapsed, 190ms);
  EXPECT_LT(elapsed, 2s);
}

TEST(Rpc, WebSocketTimeouts) {
  {  // The handshake never completes.
    SilentTcpServer server;
    RpcOptions options = quick();
    options.connect_timeout = 300ms;
    const auto start = std::chrono::steady_clock::now();
    try {
      WsRpcClient ws("ws://127.0.0.1:" + std::to_string(server.port()), options);
      FAIL() << "expected a TransportError";
    } catch (const TransportError& e) {
      EXPECT_EQ(e.kind(), Kind::kTimeout) << e.what();
    }
    EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
  }
  {  // Connected, but requests are never answered: the call times out, the connection stays.
    SilentWsServer server;
    WsRpcClient ws("ws://127.0.0.1:" + std::to_string(server.port()), quick());
    for (int i = 0; i < 2; ++i) {
      const auto start = std::chrono::steady_clock::now();
      try {
        ws.call("eth_chainId", json::array(), 200ms);
        FAIL() << "expected a TransportError";
      } catch (const TransportError& e) {
        EXPECT_EQ(e.kind(), Kind::kTimeout) << e.what();
      }
      const auto elapsed = std::chrono::steady_clock::now() - start;
      EXPECT_GE(elapsed, 190ms);
      EXPECT_LT(elapsed, 2s);
      EXPECT_TRUE(ws.connected());
    }
  }
}

}  // namespace
}  // namespace chain
