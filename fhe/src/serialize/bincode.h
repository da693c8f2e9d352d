// A minimal bincode 1.3 codec (DefaultOptions + fixint encoding, little endian) and the
// tfhe-safe-serialize header, as TFHE-rs writes them (reference/tfhe-rs.md §5.1-5.3).
//
// Encoding rules used here:
//   u8 1 B; u32 4 B; u64 / usize 8 B; u128 16 B; f64 8 B IEEE-754; all little endian.
//   Option<T>: u8 tag (0 None, 1 Some) then T.   Vec<T> / String / bytes: u64 length then items.
//   Enums: u32 variant index then payload.   Structs: fields in declaration order, no framing.
//   tfhe-versionable: every versioned type is prefixed with the u32 index of its version.
//
// Safe-serialize header (before the payload, counted in the size limit):
//   String header_version = "0.5"; enum versioning_mode: u32 0 = Versioned { String "0.1" };
//   String name = the Rust type name, e.g. "high_level_api::FheUint".
//
// The Reader is bounds-checked: every read is checked against the remaining bytes, every length
// field is checked against the remaining bytes before anything is allocated, and every problem is a
// FormatError with a one-line message "<object>: <problem> (at byte <offset>)".
//
// Thread safety: Reader and Writer are single-threaded values.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "fhe/tfhers.h"

namespace fhe::tfhers::detail {

static_assert(std::endian::native == std::endian::little, "the codec assumes a little-endian host");

inline constexpr std::string_view kHeaderVersion = "0.5";
inline constexpr std::string_view kVersioningVersion = "0.1";
inline constexpr uint32_t kVersioningModeVersioned = 0;
inline constexpr uint32_t kVersioningModeUnversioned = 1;

// Quotes a string taken from the input for an error message: printable ASCII kept, other bytes as
// \xNN, at most 80 characters.
std::string quoted(const std::string& s);

class Writer {
 public:
  void u8(uint8_t v) { buf_.push_back(v); }
  void u32(uint32_t v) { raw(&v, sizeof v); }
  void u64(uint64_t v) { raw(&v, sizeof v); }
  void f64(double v) { raw(&v, sizeof v); }
  void u128(uint64_t lo, uint64_t hi) {
    u64(lo);
    u64(hi);
  }
  // Vec<u8> / String / &[u8]: u64 length then the bytes.
  void bytes(std::span<const uint8_t> b) {
    u64(b.size());
    raw(b.data(), b.size());
  }
  void str(std::string_view s) {
    u64(s.size());
    raw(s.data(), s.size());
  }
  // Vec<u64>: u64 length then the items.
  void u64_vec(std::span<const uint64_t> v) {
    u64(v.size());
    raw(v.data(), v.size() * sizeof(uint64_t));
  }
  void safe_header(std::string_view type_name) {
    str(kHeaderVersion);
    u32(kVersioningModeVersioned);
    str(kVersioningVersion);
    str(type_name);
  }

  std::size_t size() const { return buf_.size(); }
  void reserve(std::size_t n) { buf_.reserve(n); }
  // Throws FormatError("<what>: serialized size N exceeds the size limit of L bytes") if too big.
  std::vector<uint8_t> finish(const char* what, uint64_t limit) &&;

 private:
  void raw(const void* p, std::size_t n) {
    if (n == 0) return;
    const std::size_t at = buf_.size();
    buf_.resize(at + n);
    std::memcpy(buf_.data() + at, p, n);
  }
  std::vector<uint8_t> buf_;
};

class Reader {
 public:
  // Throws if bytes.size() > limit (the size limit covers the header and the payload).
  Reader(std::span<const uint8_t> bytes, uint64_t limit, std::string what);

  // The object name used as the message prefix (can be refined once the header is read).
  void set_what(std::string what) { what_ = std::move(what); }
  const std::string& what() const { return what_; }

  [[noreturn]] void fail(const std::string& msg) const;  // "<what>: <msg> (at byte <pos>)"
  [[noreturn]] void fail_at(std::size_t pos, const std::string& msg) const;

  uint8_t u8(const char* field);
  uint32_t u32(const char* field);
  uint64_t u64(const char* field);
  double f64(const char* field);
  void u128(const char* field, uint64_t& lo, uint64_t& hi);
  bool option_tag(const char* field);  // 0 -> false, 1 -> true, else error

  // A versioned type's u32 version index; must equal `expected`.
  void version(const char* type, uint32_t expected);
  // An enum's u32 variant index; must be < `count` (the name list is for the messages).
  uint32_t variant(const char* type, std::span<const char* const> names);

  // A u64 length of items of `item_size` bytes; checked against the remaining bytes.
  uint64_t length(const char* field, std::size_t item_size);
  // Reads n u64 after a checked length.
  void u64_array(uint64_t* out, std::size_t n);
  // String of at most `max_len` bytes (and at most the remaining bytes).
  std::string str(const char* field, std::size_t max_len);
  // Vec<u8> of at most `max_len` bytes.
  std::vector<uint8_t> byte_vec(const char* field, std::size_t max_len);

  // Reads the safe-serialize header and returns the type name (not yet validated).
  std::string safe_header();
  // Rejects trailing bytes.
  void finish();

  std::size_t pos() const { return pos_; }
  std::size_t remaining() const { return bytes_.size() - pos_; }

 private:
  void need(std::size_t n, const char* field) const;
  std::span<const uint8_t> bytes_;
  std::size_t pos_ = 0;
  std::string what_;
};

}  // namespace fhe::tfhers::detail
