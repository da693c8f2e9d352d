#include "serialize/bincode.h"

#include <limits>
#include <utility>

namespace fhe::tfhers::detail {

std::vector<uint8_t> Writer::finish(const char* what, uint64_t limit) && {
  if (buf_.size() > limit) {
    throw FormatError(std::string(what) + ": serialized size " + std::to_string(buf_.size()) +
                      " exceeds the size limit of " + std::to_string(limit) + " bytes");
  }
  return std::move(buf_);
}

Reader::Reader(std::span<const uint8_t> bytes, uint64_t limit, std::string what)
    : bytes_(bytes), what_(std::move(what)) {
  if (bytes.size() > limit) {
    throw FormatError(what_ + ": " + std::to_string(bytes.size()) +
                      " bytes exceed the size limit of " + std::to_string(limit) + " bytes");
  }
}

void Reader::fail(const std::string& msg) const {
  fail_at(pos_, msg);
}

void Reader::fail_at(std::size_t pos, const std::string& msg) const {
  throw FormatError(what_ + ": " + msg + " (at byte " + std::to_string(pos) + ")");
}

void Reader::need(std::size_t n, const char* field) const {
  if (n > remaining()) {
    fail("truncated input: " + std::to_string(n) + " bytes needed for " + field + ", " +
         std::to_string(remaining()) + " left");
  }
}

uint8_t Reader::u8(const char* field) {
  need(1, field);
  return bytes_[pos_++];
}

uint32_t Reader::u32(const char* field) {
  need(4, field);
  uint32_t v;
  std::memcpy(&v, bytes_.data() + pos_, 4);
  pos_ += 4;
  return v;
}

uint64_t Reader::u64(const char* field) {
  need(8, field);
  uint64_t v;
  std::memcpy(&v, bytes_.data() + pos_, 8);
  pos_ += 8;
  return v;
}

double Reader::f64(const char* field) {
  need(8, field);
  double v;
  std::memcpy(&v, bytes_.data() + pos_, 8);
  pos_ += 8;
  return v;
}

void Reader::u128(const char* field, uint64_t& lo, uint64_t& hi) {
  need(16, field);
  lo = u64(field);
  hi = u64(field);
}

bool Reader::option_tag(const char* field) {
  const std::size_t at = pos_;
  const uint8_t t = u8(field);
  if (t > 1) fail_at(at, std::string("invalid Option tag ") + std::to_string(t) + " for " + field);
  return t == 1;
}

void Reader::version(const char* type, uint32_t expected) {
  const std::size_t at = pos_;
  const uint32_t v = u32(type);
  if (v != expected) {
    fail_at(at, std::string("unsupported ") + type + " version " + std::to_string(v) +
                    " (expected " + std::to_string(expected) + ")");
  }
}

uint32_t Reader::variant(const char* type, std::span<const char* const> names) {
  const std::size_t at = pos_;
  const uint32_t v = u32(type);
  if (v >= names.size()) {
    fail_at(at, std::string("invalid ") + type + " variant " + std::to_string(v));
  }
  return v;
}

uint64_t Reader::length(const char* field, std::size_t item_size) {
  const std::size_t at = pos_;
  const uint64_t n = u64(field);
  const uint64_t max_items = item_size == 0 ? std::numeric_limits<uint64_t>::max()
                                            : static_cast<uint64_t>(remaining()) / item_size;
  if (n > max_items) {
    fail_at(at, std::string("length ") + std::to_string(n) + " of " + field +
                    " exceeds the remaining " + std::to_string(remaining()) + " bytes");
  }
  return n;
}

void Reader::u64_array(uint64_t* out, std::size_t n) {
  need(n * sizeof(uint64_t), "u64 array");  // n was checked by length(): no overflow
  if (n != 0) std::memcpy(out, bytes_.data() + pos_, n * sizeof(uint64_t));
  pos_ += n * sizeof(uint64_t);
}

std::string Reader::str(const char* field, std::size_t max_len) {
  const std::size_t at = pos_;
  const uint64_t n = length(field, 1);
  if (n > max_len) {
    fail_at(at, std::string("length ") + std::to_string(n) + " of " + field +
                    " exceeds the maximum of " + std::to_string(max_len));
  }
  std::string s(reinterpret_cast<const char*>(bytes_.data() + pos_), n);
  pos_ += n;
  return s;
}

std::vector<uint8_t> Reader::byte_vec(const char* field, std::size_t max_len) {
  const std::size_t at = pos_;
  const uint64_t n = length(field, 1);
  if (n > max_len) {
    fail_at(at, std::string("length ") + std::to_string(n) + " of " + field +
                    " exceeds the maximum of " + std::to_string(max_len));
  }
  std::vector<uint8_t> v(bytes_.begin() + static_cast<std::ptrdiff_t>(pos_),
                         bytes_.begin() + static_cast<std::ptrdiff_t>(pos_ + n));
  pos_ += n;
  return v;
}

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (std::size_t i = 0; i < s.size() && i < 80; ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
      out += static_cast<char>(c);
    } else {
      static const char* hex = "0123456789abcdef";
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  if (s.size() > 80) out += "...";
  return out + "\"";
}

std::string Reader::safe_header() {
  std::size_t at = pos_;
  const std::string hv = str("header version", 64);
  if (hv != kHeaderVersion) {
    fail_at(at, "unsupported safe_serialize header version " + quoted(hv) + " (expected \"" +
                    std::string(kHeaderVersion) + "\")");
  }
  at = pos_;
  const uint32_t mode = u32("versioning mode");
  if (mode == kVersioningModeUnversioned) {
    fail_at(at, "unversioned safe_serialize blobs are not supported");
  }
  if (mode != kVersioningModeVersioned) {
    fail_at(at, "invalid versioning mode " + std::to_string(mode));
  }
  at = pos_;
  const std::string vv = str("versioning version", 64);
  if (vv != kVersioningVersion) {
    fail_at(at, "unsupported versioning version " + quoted(vv) + " (expected \"" +
                    std::string(kVersioningVersion) + "\")");
  }
  return str("type name", 256);
}

void Reader::finish() {
  if (remaining() != 0) fail(std::to_string(remaining()) + " trailing bytes");
}

}  // namespace fhe::tfhers::detail
