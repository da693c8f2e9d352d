// A private anvil (Foundry's dev node, npm @foundry-rs/anvil-linux-amd64) for one test process.
//
// Starts `anvil --host 127.0.0.1 --port 0` (anvil binds a free port itself and prints
// "Listening on 127.0.0.1:PORT", read back from its log), waits until it answers eth_chainId,
// and kills it on destruction. kill() + start() restart it on the same port, so clients can
// reconnect to the same URL.
//
// Leftovers: each node has a directory /tmp/anvil-test-XXXXXX holding its log, its pid and the
// owner's pid. The child gets PR_SET_PDEATHSIG(SIGKILL), so anvil dies with the thread that
// started it; a node whose owner died anyway is killed, and its directory removed, by the next
// AnvilNode (the orphan sweep). ANVIL_KEEP=1 keeps the directories of clean exits (the log).
// The binary is $ANVIL_BIN, else the one `npm ci` installs under tools/ (FHEVM_ANVIL_BIN).
//
// Not thread-safe. Start and restart a node from a thread that outlives it (the test's main
// thread): PR_SET_PDEATHSIG fires when the starting thread exits.
#pragma once

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "chain/rpc.h"

#ifndef FHEVM_ANVIL_BIN
#define FHEVM_ANVIL_BIN "anvil"
#endif

namespace chain::test {

class AnvilNode {
 public:
  struct Options {
    std::optional<double> block_time_s;  // interval mining; nullopt: a block per transaction
    std::optional<uint64_t> chain_id;    // anvil's default: 31337
    std::optional<std::string> mnemonic;
    uint16_t port = 0;  // 0: a free port chosen by anvil
    std::vector<std::string> extra_args;
    std::chrono::milliseconds start_timeout{15'000};
  };

  AnvilNode() : AnvilNode(Options{}) {}
  explicit AnvilNode(Options options) : options_(std::move(options)), port_(options_.port) {
    sweep_orphans();
    char dir[] = "/tmp/anvil-test-XXXXXX";
    if (::mkdtemp(dir) == nullptr) fail_errno("mkdtemp");
    dir_ = dir;
    write_file(dir_ + "/owner", std::to_string(::getpid()) + "\n");
    start();
  }

  AnvilNode(const AnvilNode&) = delete;
  AnvilNode& operator=(const AnvilNode&) = delete;

  ~AnvilNode() {
    kill();
    const char* keep = std::getenv("ANVIL_KEEP");
    if (keep == nullptr || std::string(keep) != "1") {
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);
    }
  }

  // Starts anvil (again, on the same port after kill()); waits until it answers.
  void start() {
    if (pid_ > 0) throw std::logic_error("anvil is already running");
    const std::string log = dir_ + "/anvil.log";
    const auto log_offset = file_size(log);

    std::vector<std::string> args = {binary(), "--host", "127.0.0.1", "--port",
                                     std::to_string(port_)};
    if (options_.block_time_s) {
      std::ostringstream s;
      s << *options_.block_time_s;
      args.insert(args.end(), {"--block-time", s.str()});
    }
    if (options_.chain_id) {
      args.insert(args.end(), {"--chain-id", std::to_string(*options_.chain_id)});
    }
    if (options_.mnemonic) args.insert(args.end(), {"--mnemonic", *options_.mnemonic});
    args.insert(args.end(), options_.extra_args.begin(), options_.extra_args.end());
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);

    const int log_fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (log_fd < 0) fail_errno("open " + log);
    const int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid < 0) fail_errno("fork");
    if (pid == 0) {  // only async-signal-safe calls until exec
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (::getppid() != parent) ::_exit(126);
      ::dup2(null_fd, 0);
      ::dup2(log_fd, 1);
      ::dup2(log_fd, 2);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    ::close(log_fd);
    if (null_fd >= 0) ::close(null_fd);
    pid_ = pid;
    write_file(dir_ + "/anvil.pid", std::to_string(pid) + "\n");

    const auto deadline = std::chrono::steady_clock::now() + options_.start_timeout;
    for (;;) {
      const uint16_t port = read_port(log, log_offset);
      if (port != 0) {
        port_ = port;
        break;
      }
      check_alive_or_throw(log, deadline);
    }
    HttpRpcClient probe(http_url(), probe_options());
    for (;;) {
      try {
        probe.call("eth_chainId");
        return;
      } catch (const TransportError&) {
        check_alive_or_throw(log, deadline);
      }
    }
  }

  // SIGKILL (a crash, as far as clients can tell); waits until it is gone. Idempotent.
  void kill() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
  }

  void restart() {
    kill();
    start();
  }

  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }
  uint16_t port() const { return port_; }
  std::string http_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string ws_url() const { return "ws://127.0.0.1:" + std::to_string(port_); }
  const std::string& dir() const { return dir_; }
  std::string log_path() const { return dir_ + "/anvil.log"; }

  static std::string binary() {
    const char* env = std::getenv("ANVIL_BIN");
    return env != nullptr && *env != '\0' ? env : FHEVM_ANVIL_BIN;
  }

 private:
  static RpcOptions probe_options() {
    RpcOptions o;
    o.timeout = std::chrono::milliseconds(1000);
    o.connect_timeout = std::chrono::milliseconds(1000);
    return o;
  }

  [[noreturn]] static void fail_errno(const std::string& what) {
    throw std::runtime_error("anvil: " + what + ": " + std::strerror(errno));
  }

  static void write_file(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::trunc);
    out << text;
    if (!out) throw std::runtime_error("anvil: cannot write " + path);
  }

  static std::uintmax_t file_size(const std::string& path) {
    std::error_code ec;
    const auto n = std::filesystem::file_size(path, ec);
    return ec ? 0 : n;
  }

  static std::string read_from(const std::string& path, std::uintmax_t offset) {
    std::ifstream in(path, std::ios::binary);
    in.seekg(static_cast<std::streamoff>(offset));
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }

  // The port of "Listening on 127.0.0.1:PORT" written after `offset`, or 0.
  static uint16_t read_port(const std::string& log, std::uintmax_t offset) {
    const std::string text = read_from(log, offset);
    const std::string marker = "Listening on 127.0.0.1:";
    const size_t at = text.find(marker);
    if (at == std::string::npos) return 0;
    size_t end = at + marker.size();
    while (end < text.size() && text[end] >= '0' && text[end] <= '9') ++end;
    if (end == text.size()) return 0;  // the line is still being written
    return static_cast<uint16_t>(std::stoul(text.substr(at + marker.size())));
  }

  void check_alive_or_throw(const std::string& log,
                            std::chrono::steady_clock::time_point deadline) {
    int status = 0;
    const bool exited = ::waitpid(pid_, &status, WNOHANG) == pid_;
    const bool late = std::chrono::steady_clock::now() > deadline;
    if (!exited && !late) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      return;
    }
    if (!exited) kill();
    pid_ = -1;
    std::string tail = read_from(log, 0);
    if (tail.size() > 2000) tail = tail.substr(tail.size() - 2000);
    throw std::runtime_error(std::string("anvil (") + binary() + ") " +
                             (exited ? "exited" : "did not answer in time") +
                             "; run `make npm` if it is missing. Log tail:\n" + tail);
  }

  static bool alive(pid_t pid) {
    if (pid <= 0 || (::kill(pid, 0) != 0 && errno == ESRCH)) return false;
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(stat, line)) return true;
    const size_t paren = line.rfind(')');
    return paren == std::string::npos || paren + 2 >= line.size() || line[paren + 2] != 'Z';
  }

  static long read_pid(const std::string& path) {
    std::ifstream in(path);
    long pid = 0;
    return (in >> pid) ? pid : 0;
  }

  // Kills the anvils of test processes that died without cleaning up, and removes their dirs.
  static void sweep_orphans() {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/tmp", ec)) {
      const std::string name = entry.path().filename().string();
      if (name.rfind("anvil-test-", 0) != 0) continue;
      const std::string path = entry.path().string();
      const long owner = read_pid(path + "/owner");
      if (owner <= 0 || alive(static_cast<pid_t>(owner))) continue;
      const long pid = read_pid(path + "/anvil.pid");
      if (pid > 0 && alive(static_cast<pid_t>(pid))) {
        std::ifstream comm("/proc/" + std::to_string(pid) + "/comm");
        std::string command;
        std::getline(comm, command);
        if (command == "anvil") ::kill(static_cast<pid_t>(pid), SIGKILL);
      }
      std::error_code ignored;
      std::filesystem::remove_all(path, ignored);
    }
  }

  Options options_;
  uint16_t port_;
  std::string dir_;
  pid_t pid_ = -1;
};

}  // namespace chain::test
