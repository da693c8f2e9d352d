// Helpers shared by the command-line tools (fhe, coprocessor): one-line errors, quoted user input,
// bounded whole-file reads, atomic writes, secret buffers that wipe themselves, seeds.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "fhe/aligned.h"
#include "fhe/random.h"

namespace cli {

namespace fs = std::filesystem;
using fhe::u128;

struct CliError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

using Clock = std::chrono::steady_clock;
inline double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// User input inside an error message, printable and on one line.
inline std::string quoted(const std::string& s) {
  std::string out = "'";
  for (unsigned char c : s.substr(0, 80)) {
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      out += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  if (s.size() > 80) out += "...";
  return out + "'";
}

// A whole regular file, refused beyond `limit` bytes before anything is allocated.
inline std::vector<uint8_t> read_file(const fs::path& p, uint64_t limit) {
  std::error_code ec;
  const auto status = fs::status(p, ec);
  if (ec || !fs::exists(status)) throw CliError("cannot open " + quoted(p.string()));
  if (!fs::is_regular_file(status)) throw CliError(quoted(p.string()) + " is not a regular file");
  const uint64_t size = fs::file_size(p, ec);
  if (ec) throw CliError("cannot read " + quoted(p.string()));
  if (size > limit) {
    throw CliError(quoted(p.string()) + " has " + std::to_string(size) +
                   " bytes, more than the limit of " + std::to_string(limit));
  }
  std::ifstream f(p, std::ios::binary);
  if (!f) throw CliError("cannot open " + quoted(p.string()));
  std::vector<uint8_t> data(static_cast<std::size_t>(size));
  if (size > 0 &&
      !f.read(reinterpret_cast<char*>(data.data()), static_cast<std::streamsize>(size))) {
    throw CliError("cannot read " + quoted(p.string()));
  }
  return data;
}

// Bytes of secret key material, wiped when they go out of scope (also on errors).
struct SecretBytes {
  std::vector<uint8_t> v;
  SecretBytes(std::vector<uint8_t> b) : v(std::move(b)) {}
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;
  ~SecretBytes() { fhe::secure_zero(v.data(), v.size()); }
};

// Writes atomically: a new temporary file in the same directory with `mode` (0600 for secrets,
// whatever the umask), then rename over the target.
inline void write_file(const fs::path& p, const std::vector<uint8_t>& data, mode_t mode) {
  const std::string tmp = p.string() + ".tmp";
  ::unlink(tmp.c_str());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) throw CliError("cannot create " + quoted(tmp) + ": " + std::strerror(errno));
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t w = ::write(fd, data.data() + done, data.size() - done);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      const int err = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      throw CliError("cannot write " + quoted(tmp) + ": " + std::strerror(err));
    }
    done += static_cast<std::size_t>(w);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(tmp.c_str());
    throw CliError("cannot write " + quoted(tmp));
  }
  fs::rename(tmp, p);
}

inline void write_stdout(const std::vector<uint8_t>& data) {
  if (std::fwrite(data.data(), 1, data.size(), stdout) != data.size() || std::fflush(stdout) != 0) {
    throw CliError("cannot write to standard output");
  }
}

inline u128 parse_seed(const std::string& s) {
  u128 v = 0;
  if (s.empty()) throw CliError("empty seed");
  for (char c : s) {
    if (c < '0' || c > '9') throw CliError("seed must be a decimal integer: " + quoted(s));
    const u128 max = ~u128{0};
    const unsigned d = static_cast<unsigned>(c - '0');
    if (v > (max - d) / 10) throw CliError("seed " + quoted(s) + " does not fit in 128 bits");
    v = v * 10 + d;
  }
  return v;
}

}  // namespace cli
