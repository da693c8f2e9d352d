#include "chain/abi.h"

#include <algorithm>
#include <limits>

namespace chain::abi {

namespace {

constexpr std::size_t kWord = 32;
// Limits on type strings (they come from code, but a typo must not build a 2^40-byte head).
constexpr std::size_t kMaxTypeDepth = 32;
constexpr std::size_t kMaxFixedArrayLength = 1 << 16;
constexpr std::size_t kMaxStaticHead = 1 << 24;

[[noreturn]] void bad_type(const std::string& msg, std::string_view s) {
  throw std::invalid_argument("ABI type: " + msg + " in \"" + std::string(s.substr(0, 80)) + "\"");
}

[[noreturn]] void bad_data(const std::string& msg) {
  throw AbiError("ABI data: " + msg);
}

[[noreturn]] void bad_value(const std::string& msg) {
  throw std::invalid_argument("ABI value: " + msg);
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_ident(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$';
}

// ---------------------------------------------------------------------------------------------
// Type parsing: a recursive descent over the string, `pos` advancing.

class TypeParser {
 public:
  explicit TypeParser(std::string_view s) : s_(s) {}

  Type parse_type(std::size_t depth) {
    if (depth > kMaxTypeDepth) bad_type("nesting deeper than 32", s_);
    Type t = parse_base(depth);
    // Array suffixes, innermost first: "uint8[2][]" is a dynamic array of uint8[2].
    while (pos_ < s_.size() && s_[pos_] == '[') {
      ++pos_;
      if (++depth > kMaxTypeDepth) bad_type("nesting deeper than 32", s_);
      if (pos_ < s_.size() && s_[pos_] == ']') {
        ++pos_;
        t = Type::array(std::move(t));
        continue;
      }
      std::size_t k = 0;
      const std::size_t start = pos_;
      while (pos_ < s_.size() && is_digit(s_[pos_])) {
        k = k * 10 + static_cast<std::size_t>(s_[pos_++] - '0');
        if (k > kMaxFixedArrayLength) bad_type("fixed array too long", s_);
      }
      if (pos_ == start || pos_ >= s_.size() || s_[pos_] != ']') bad_type("bad array suffix", s_);
      if (s_[start] == '0') bad_type("array length zero or with a leading zero", s_);
      ++pos_;
      t = Type::fixed_array(std::move(t), k);
    }
    return t;
  }

  void skip_spaces() {
    while (pos_ < s_.size() && s_[pos_] == ' ') ++pos_;
  }
  bool at_end() const { return pos_ >= s_.size(); }
  char peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }
  std::size_t pos() const { return pos_; }
  void advance() { ++pos_; }
  std::string_view word() {
    const std::size_t start = pos_;
    while (pos_ < s_.size() && is_ident(s_[pos_])) ++pos_;
    return s_.substr(start, pos_ - start);
  }
  std::string_view source() const { return s_; }

  // "(t1,t2,...)" at pos_; an empty list is allowed only for a declaration's parameters.
  std::vector<Type> parse_tuple_body(std::size_t depth) {
    if (peek() != '(') bad_type("expected '('", s_);
    ++pos_;
    std::vector<Type> comps;
    skip_spaces();
    if (peek() == ')') bad_type("empty tuple", s_);
    for (;;) {
      skip_spaces();
      comps.push_back(parse_type(depth + 1));
      skip_spaces();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() == ')') {
        ++pos_;
        return comps;
      }
      bad_type("expected ',' or ')'", s_);
    }
  }

 private:
  Type parse_base(std::size_t depth) {
    if (peek() == '(') return Type::tuple(parse_tuple_body(depth));
    const std::string_view w = word();
    if (w == "tuple") return Type::tuple(parse_tuple_body(depth));
    if (w == "address") return Type::address();
    if (w == "bool") return Type::boolean();
    if (w == "string") return Type::string();
    if (w == "bytes") return Type::bytes();
    if (w == "uint") return Type::uint(256);
    if (w == "int") return Type::int_(256);
    auto number_after = [&](std::size_t prefix) -> std::size_t {
      const std::string_view d = w.substr(prefix);
      if (d.empty() || d.size() > 3 || d[0] == '0') bad_type("bad size", s_);
      std::size_t n = 0;
      for (char c : d) {
        if (!is_digit(c)) bad_type("bad size", s_);
        n = n * 10 + static_cast<std::size_t>(c - '0');
      }
      return n;
    };
    if (w.starts_with("uint")) return Type::uint(static_cast<unsigned>(number_after(4)));
    if (w.starts_with("int")) return Type::int_(static_cast<unsigned>(number_after(3)));
    if (w.starts_with("bytes")) return Type::fixed_bytes(static_cast<unsigned>(number_after(5)));
    bad_type("unknown type \"" + std::string(w) + "\"", s_);
  }

  std::string_view s_;
  std::size_t pos_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Words

using Word = std::array<uint8_t, kWord>;

Word word_of(const fhe::U256& v) {
  Word w{};
  for (unsigned i = 0; i < kWord; ++i) w[kWord - 1 - i] = static_cast<uint8_t>(v.digit(i, 8));
  return w;
}

void append_word(Bytes& out, const fhe::U256& v) {
  const Word w = word_of(v);
  out.insert(out.end(), w.begin(), w.end());
}

// The one-word encoding of a value type, checking the value against the type.
Word encode_value_word(const Type& t, const Value& v) {
  switch (t.kind()) {
    case Type::Kind::Uint: {
      const fhe::U256& x = v.as_u256();
      if (x.bit_width() > t.size()) bad_value("does not fit " + t.canonical());
      return word_of(x);
    }
    case Type::Kind::Int: {
      const fhe::U256& x = v.as_u256();
      // In range iff sign-extending the low N bits gives x back.
      const unsigned n = static_cast<unsigned>(t.size());
      const fhe::U256 low = x.truncate(n);
      const fhe::U256 ext = low.bit(n - 1) && n < 256 ? low | (fhe::U256::max() << n) : low;
      if (ext != x) bad_value("does not fit " + t.canonical());
      return word_of(x);
    }
    case Type::Kind::Bool:
      return word_of(fhe::U256(v.as_bool() ? 1 : 0));
    case Type::Kind::Address: {
      Word w{};
      std::copy(v.as_address().bytes.begin(), v.as_address().bytes.end(), w.begin() + 12);
      return w;
    }
    case Type::Kind::FixedBytes: {
      const Bytes& b = v.as_bytes();
      if (b.size() != t.size()) {
        bad_value(t.canonical() + " needs " + std::to_string(t.size()) + " bytes, got " +
                  std::to_string(b.size()));
      }
      Word w{};
      std::copy(b.begin(), b.end(), w.begin());
      return w;
    }
    default:
      bad_value("not a value type");
  }
}

void encode_value(const Type& t, const Value& v, Bytes& out);

// Heads then tails of a sequence; `type_of(i)` is the type of element i.
template <class TypeOf>
void encode_sequence(std::size_t n, TypeOf type_of, std::span<const Value> values, Bytes& out) {
  std::size_t heads = 0;
  for (std::size_t i = 0; i < n; ++i) heads += type_of(i).head_size();
  Bytes tail;
  const std::size_t base = out.size();
  out.reserve(base + heads);
  for (std::size_t i = 0; i < n; ++i) {
    const Type& t = type_of(i);
    if (t.is_dynamic()) {
      append_word(out, fhe::U256(static_cast<uint64_t>(heads + tail.size())));
      encode_value(t, values[i], tail);
    } else {
      encode_value(t, values[i], out);
    }
  }
  out.insert(out.end(), tail.begin(), tail.end());
}

void append_padded(Bytes& out, ByteView b) {
  append_word(out, fhe::U256(static_cast<uint64_t>(b.size())));
  out.insert(out.end(), b.begin(), b.end());
  out.resize(out.size() + (kWord - b.size() % kWord) % kWord, 0);
}

void encode_value(const Type& t, const Value& v, Bytes& out) {
  switch (t.kind()) {
    case Type::Kind::Bytes:
      append_padded(out, v.as_bytes());
      return;
    case Type::Kind::String: {
      const std::string& s = v.as_string();
      append_padded(out, ByteView(reinterpret_cast<const uint8_t*>(s.data()), s.size()));
      return;
    }
    case Type::Kind::Array: {
      const auto& items = v.as_list();
      append_word(out, fhe::U256(static_cast<uint64_t>(items.size())));
      encode_sequence(
          items.size(), [&](std::size_t) -> const Type& { return t.element(); }, items, out);
      return;
    }
    case Type::Kind::FixedArray: {
      const auto& items = v.as_list();
      if (items.size() != t.size()) {
        bad_value(t.canonical() + " needs " + std::to_string(t.size()) + " elements, got " +
                  std::to_string(items.size()));
      }
      encode_sequence(
          items.size(), [&](std::size_t) -> const Type& { return t.element(); }, items, out);
      return;
    }
    case Type::Kind::Tuple: {
      const auto& items = v.as_list();
      if (items.size() != t.components().size()) {
        bad_value(t.canonical() + " needs " + std::to_string(t.components().size()) +
                  " components, got " + std::to_string(items.size()));
      }
      encode_sequence(
          items.size(), [&](std::size_t i) -> const Type& { return t.components()[i]; }, items,
          out);
      return;
    }
    default: {
      const Word w = encode_value_word(t, v);
      out.insert(out.end(), w.begin(), w.end());
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Decoding. A region is the byte range that offsets of a sequence are relative to; it extends to
// the end of the data.
//
// The budget: every word the decoder reads as an offset, a length or a value costs 32, the
// contents of bytes and strings cost their length. A canonical encoding reads each of its bytes
// at most once, so it spends at most its size; offsets that alias each other re-read the same
// bytes and run out. Tuples and fixed arrays cost nothing themselves: each holds at least one
// charged word and their nesting is bounded by the type, so memory stays linear in the input.

class Decoder {
 public:
  explicit Decoder(std::size_t data_size) : budget_(2 * data_size + 4096) {}

  template <class TypeOf>
  std::vector<Value> sequence(std::size_t n, TypeOf type_of, ByteView region) {
    std::vector<Value> out;
    out.reserve(n);  // the caller checked n against the region
    std::size_t pos = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const Type& t = type_of(i);
      if (t.is_dynamic()) {
        charge(kWord);
        const std::size_t off = read_size(region, pos, "offset");
        pos += kWord;
        if (off > region.size()) bad_data("offset " + std::to_string(off) + " past the end");
        out.push_back(value(t, region.subspan(off)));
      } else {
        if (t.head_size() > region.size() - std::min(pos, region.size())) {
          bad_data("truncated " + t.canonical());
        }
        out.push_back(value(t, region.subspan(pos)));
        pos += t.head_size();
      }
    }
    return out;
  }

  // The value of type t starting at the beginning of s.
  Value value(const Type& t, ByteView s) {
    switch (t.kind()) {
      case Type::Kind::Bytes:
      case Type::Kind::String: {
        const std::size_t len = read_size(s, 0, "length");
        if (len > s.size() - kWord) bad_data("length " + std::to_string(len) + " past the end");
        charge(kWord + len);
        const ByteView b = s.subspan(kWord, len);
        if (t.kind() == Type::Kind::Bytes) return Value::bytes(b);
        return Value::string(std::string(b.begin(), b.end()));
      }
      case Type::Kind::Array: {
        const std::size_t n = read_size(s, 0, "array length");
        charge(kWord);
        const ByteView body = s.subspan(kWord);
        if (n > body.size() / t.element().head_size()) {
          bad_data("array length " + std::to_string(n) + " past the end");
        }
        return Value::list(sequence(
            n, [&](std::size_t) -> const Type& { return t.element(); }, body));
      }
      case Type::Kind::FixedArray:
        if (t.size() > s.size() / t.element().head_size()) bad_data("truncated " + t.canonical());
        return Value::list(sequence(
            t.size(), [&](std::size_t) -> const Type& { return t.element(); }, s));
      case Type::Kind::Tuple:
        return Value::list(sequence(
            t.components().size(), [&](std::size_t i) -> const Type& { return t.components()[i]; },
            s));
      default:
        if (s.size() < kWord) bad_data("truncated " + t.canonical());
        charge(kWord);
        return value_word(t, s.first(kWord));
    }
  }

  static Value value_word(const Type& t, ByteView w) {
    const fhe::U256 x = fhe::U256::from_be_bytes(w);
    switch (t.kind()) {
      case Type::Kind::Uint:
        if (x.bit_width() > t.size()) bad_data("dirty high bits in " + t.canonical());
        return Value::uint(x);
      case Type::Kind::Int: {
        const unsigned n = static_cast<unsigned>(t.size());
        const fhe::U256 low = x.truncate(n);
        const fhe::U256 ext = low.bit(n - 1) && n < 256 ? low | (fhe::U256::max() << n) : low;
        if (ext != x) bad_data("badly sign-extended " + t.canonical());
        return Value::int256(x);
      }
      case Type::Kind::Bool:
        if (x.bit_width() > 1) bad_data("bool word above 1");
        return Value::boolean(x.low() == 1);
      case Type::Kind::Address:
        if (x.bit_width() > 160) bad_data("dirty high bits in address");
        return Value::address(Address::from_span(w.subspan(12)));
      case Type::Kind::FixedBytes:
        if (std::any_of(w.begin() + static_cast<std::ptrdiff_t>(t.size()), w.end(),
                        [](uint8_t b) { return b != 0; })) {
          bad_data("dirty padding in " + t.canonical());
        }
        return Value::fixed_bytes(w.first(t.size()));
      default:
        bad_data("not a value type");
    }
  }

 private:
  // A word at region[pos..pos+32) read as a size; sizes above 2^64 are always past the end.
  static std::size_t read_size(ByteView region, std::size_t pos, const char* what) {
    if (pos > region.size() || region.size() - pos < kWord) {
      bad_data(std::string("truncated ") + what);
    }
    const ByteView w = region.subspan(pos, kWord);
    if (std::any_of(w.begin(), w.begin() + 24, [](uint8_t b) { return b != 0; })) {
      bad_data(std::string(what) + " above 2^64");
    }
    uint64_t v = 0;
    for (std::size_t i = 24; i < kWord; ++i) v = v << 8 | w[i];
    if (v > std::numeric_limits<std::size_t>::max() / 2) bad_data(std::string(what) + " too large");
    return static_cast<std::size_t>(v);
  }

  void charge(std::size_t n) {
    if (n > budget_) bad_data("decoded size exceeds the input's budget (aliased offsets?)");
    budget_ -= n;
  }

  std::size_t budget_;
};

}  // namespace

// ---------------------------------------------------------------------------------------------
// Type

Type Type::parse(std::string_view s) {
  TypeParser p(s);
  Type t = p.parse_type(0);
  if (!p.at_end()) bad_type("trailing characters", s);
  return t;
}

Type Type::uint(unsigned bits) {
  if (bits == 0 || bits > 256 || bits % 8 != 0) {
    throw std::invalid_argument("ABI type: uint" + std::to_string(bits));
  }
  Type t;
  t.kind_ = Kind::Uint;
  t.size_ = bits;
  return t;
}

Type Type::int_(unsigned bits) {
  Type t = uint(bits);
  t.kind_ = Kind::Int;
  return t;
}

Type Type::address() {
  Type t;
  t.kind_ = Kind::Address;
  return t;
}

Type Type::boolean() {
  return Type();
}

Type Type::fixed_bytes(unsigned n) {
  if (n == 0 || n > 32) throw std::invalid_argument("ABI type: bytes" + std::to_string(n));
  Type t;
  t.kind_ = Kind::FixedBytes;
  t.size_ = n;
  return t;
}

Type Type::bytes() {
  Type t;
  t.kind_ = Kind::Bytes;
  return t;
}

Type Type::string() {
  Type t;
  t.kind_ = Kind::String;
  return t;
}

Type Type::array(Type element) {
  Type t;
  t.kind_ = Kind::Array;
  t.children_.push_back(std::move(element));
  return t;
}

Type Type::fixed_array(Type element, std::size_t length) {
  if (length == 0 || length > kMaxFixedArrayLength) {
    throw std::invalid_argument("ABI type: fixed array length " + std::to_string(length));
  }
  if (!element.is_dynamic() && element.head_size() > kMaxStaticHead / length) {
    throw std::invalid_argument("ABI type: static array too large");
  }
  Type t;
  t.kind_ = Kind::FixedArray;
  t.size_ = length;
  t.children_.push_back(std::move(element));
  return t;
}

Type Type::tuple(std::vector<Type> components) {
  if (components.empty()) throw std::invalid_argument("ABI type: empty tuple");
  Type t;
  t.kind_ = Kind::Tuple;
  t.children_ = std::move(components);
  if (!t.is_dynamic() && t.head_size() > kMaxStaticHead) {
    throw std::invalid_argument("ABI type: static tuple too large");
  }
  return t;
}

const Type& Type::element() const {
  if (kind_ != Kind::Array && kind_ != Kind::FixedArray) {
    throw std::invalid_argument("ABI type: " + canonical() + " has no element type");
  }
  return children_[0];
}

bool Type::is_dynamic() const {
  switch (kind_) {
    case Kind::Bytes:
    case Kind::String:
    case Kind::Array:
      return true;
    case Kind::FixedArray:
      return children_[0].is_dynamic();
    case Kind::Tuple:
      return std::any_of(children_.begin(), children_.end(),
                         [](const Type& c) { return c.is_dynamic(); });
    default:
      return false;
  }
}

std::size_t Type::head_size() const {
  if (is_dynamic()) return kWord;
  if (kind_ == Kind::FixedArray) return size_ * children_[0].head_size();
  if (kind_ == Kind::Tuple) {
    std::size_t n = 0;
    for (const Type& c : children_) n += c.head_size();
    return n;
  }
  return kWord;
}

std::string Type::canonical() const {
  switch (kind_) {
    case Kind::Uint:
      return "uint" + std::to_string(size_);
    case Kind::Int:
      return "int" + std::to_string(size_);
    case Kind::Address:
      return "address";
    case Kind::Bool:
      return "bool";
    case Kind::FixedBytes:
      return "bytes" + std::to_string(size_);
    case Kind::Bytes:
      return "bytes";
    case Kind::String:
      return "string";
    case Kind::Array:
      return children_[0].canonical() + "[]";
    case Kind::FixedArray:
      return children_[0].canonical() + "[" + std::to_string(size_) + "]";
    case Kind::Tuple: {
      std::string s = "(";
      for (std::size_t i = 0; i < children_.size(); ++i) {
        if (i > 0) s += ',';
        s += children_[i].canonical();
      }
      return s + ")";
    }
  }
  return {};
}

// ---------------------------------------------------------------------------------------------
// Value

Value Value::uint(const fhe::U256& v) {
  Value r;
  r.v_ = v;
  return r;
}

Value Value::int_(int64_t v) {
  fhe::U256 x(static_cast<uint64_t>(v));
  if (v < 0) x.w[1] = x.w[2] = x.w[3] = ~uint64_t{0};
  return uint(x);
}

Value Value::int256(const fhe::U256& twos_complement) {
  return uint(twos_complement);
}

Value Value::boolean(bool b) {
  Value r;
  r.v_ = b;
  return r;
}

Value Value::address(const Address& a) {
  Value r;
  r.v_ = a;
  return r;
}

Value Value::fixed_bytes(ByteView b) {
  return bytes(b);
}

Value Value::bytes(ByteView b) {
  Value r;
  r.v_ = Bytes(b.begin(), b.end());
  return r;
}

Value Value::string(std::string s) {
  Value r;
  r.v_ = std::move(s);
  return r;
}

Value Value::list(std::vector<Value> items) {
  Value r;
  r.v_ = std::move(items);
  return r;
}

namespace {
template <class T>
const T& get_or_throw(const auto& v, const char* what) {
  if (const T* p = std::get_if<T>(&v)) return *p;
  throw AbiError(std::string("ABI value is not ") + what);
}
}  // namespace

const fhe::U256& Value::as_u256() const {
  return get_or_throw<fhe::U256>(v_, "a number");
}

uint64_t Value::as_u64() const {
  const fhe::U256& x = as_u256();
  if (x.bit_width() > 64) throw AbiError("ABI value above 2^64 - 1");
  return x.low();
}

int64_t Value::as_i64() const {
  const fhe::U256& x = as_u256();
  const bool neg = x.bit(255);
  const uint64_t fill = neg ? ~uint64_t{0} : 0;
  if (x.w[1] != fill || x.w[2] != fill || x.w[3] != fill || ((x.w[0] >> 63) != 0) != neg) {
    throw AbiError("ABI value outside the int64 range");
  }
  return static_cast<int64_t>(x.w[0]);
}

bool Value::as_bool() const {
  return get_or_throw<bool>(v_, "a bool");
}

const Address& Value::as_address() const {
  return get_or_throw<Address>(v_, "an address");
}

const Bytes& Value::as_bytes() const {
  return get_or_throw<Bytes>(v_, "bytes");
}

Hash32 Value::as_hash32() const {
  const Bytes& b = as_bytes();
  if (b.size() != 32) throw AbiError("ABI value is not 32 bytes");
  return Hash32::from_span(b);
}

const std::string& Value::as_string() const {
  return get_or_throw<std::string>(v_, "a string");
}

const std::vector<Value>& Value::as_list() const {
  return get_or_throw<std::vector<Value>>(v_, "a list");
}

// ---------------------------------------------------------------------------------------------
// encode / decode

Bytes encode(std::span<const Type> types, std::span<const Value> values) {
  if (types.size() != values.size()) {
    bad_value(std::to_string(types.size()) + " types but " + std::to_string(values.size()) +
              " values");
  }
  Bytes out;
  encode_sequence(
      types.size(), [&](std::size_t i) -> const Type& { return types[i]; }, values, out);
  return out;
}

Bytes encode(const Type& type, const Value& value) {
  return encode(std::span<const Type>(&type, 1), std::span<const Value>(&value, 1));
}

std::vector<Value> decode(std::span<const Type> types, ByteView data) {
  std::size_t heads = 0;
  for (const Type& t : types) heads += t.head_size();
  if (heads > data.size()) {
    bad_data("need at least " + std::to_string(heads) + " bytes, got " +
             std::to_string(data.size()));
  }
  Decoder d(data.size());
  return d.sequence(
      types.size(), [&](std::size_t i) -> const Type& { return types[i]; }, data);
}

Value decode(const Type& type, ByteView data) {
  return std::move(decode(std::span<const Type>(&type, 1), data)[0]);
}

// ---------------------------------------------------------------------------------------------
// Declarations

Declaration Declaration::parse(std::string_view decl) {
  TypeParser p(decl);
  Declaration d;
  p.skip_spaces();
  std::string_view name = p.word();
  if (name == "function" || name == "event" || name == "error") {
    p.skip_spaces();
    name = p.word();
  }
  if (name.empty() || is_digit(name[0])) bad_type("expected a name", decl);
  d.name = std::string(name);
  p.skip_spaces();
  if (p.peek() != '(') bad_type("expected '('", decl);
  p.advance();
  p.skip_spaces();
  if (p.peek() == ')') {
    p.advance();
  } else {
    for (;;) {
      p.skip_spaces();
      Param param;
      param.type = p.parse_type(1);
      p.skip_spaces();
      std::string_view w = p.word();
      if (w == "indexed") {
        param.indexed = true;
        p.skip_spaces();
        w = p.word();
      }
      if (!w.empty() && is_digit(w[0])) bad_type("bad parameter name", decl);
      param.name = std::string(w);
      d.params.push_back(std::move(param));
      p.skip_spaces();
      if (p.peek() == ',') {
        p.advance();
        continue;
      }
      if (p.peek() == ')') {
        p.advance();
        break;
      }
      bad_type("expected ',' or ')'", decl);
    }
  }
  p.skip_spaces();
  if (!p.at_end()) bad_type("trailing characters", decl);
  return d;
}

std::string Declaration::signature() const {
  std::string s = name + "(";
  for (std::size_t i = 0; i < params.size(); ++i) {
    if (i > 0) s += ',';
    s += params[i].type.canonical();
  }
  return s + ")";
}

std::vector<Type> Declaration::types() const {
  std::vector<Type> t;
  for (const Param& p : params) t.push_back(p.type);
  return t;
}

Function Function::parse(std::string_view decl) {
  return Function(Declaration::parse(decl));
}

Function::Function(Declaration d) : decl_(std::move(d)), types_(decl_.types()) {
  for (const Param& p : decl_.params) {
    if (p.indexed) throw std::invalid_argument("ABI: 'indexed' outside an event: " + name());
  }
  const Hash32 h = keccak(signature());
  std::copy_n(h.bytes.begin(), 4, selector_.begin());
}

Bytes Function::encode_call(std::span<const Value> args) const {
  Bytes out(selector_.begin(), selector_.end());
  const Bytes body = encode(types_, args);
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

bool Function::matches(ByteView data) const {
  return data.size() >= 4 && std::equal(selector_.begin(), selector_.end(), data.begin());
}

std::vector<Value> Function::decode_call(ByteView data) const {
  if (!matches(data)) bad_data("selector does not match " + signature());
  return decode(types_, data.subspan(4));
}

Event Event::parse(std::string_view decl) {
  return Event(Declaration::parse(decl));
}

Event::Event(Declaration d) : decl_(std::move(d)), topic0_(keccak(decl_.signature())) {
  std::size_t indexed = 0;
  for (const Param& p : decl_.params) {
    if (p.indexed) {
      ++indexed;
    } else {
      data_types_.push_back(p.type);
    }
  }
  if (indexed > 3) throw std::invalid_argument("ABI: more than 3 indexed parameters: " + name());
}

std::vector<Value> Event::decode_log(std::span<const Hash32> topics, ByteView data) const {
  if (topics.empty() || topics[0] != topic0_) bad_data("topic0 does not match " + signature());
  std::size_t indexed = 0;
  for (const Param& p : decl_.params) indexed += p.indexed ? 1 : 0;
  if (topics.size() != 1 + indexed) {
    bad_data(signature() + " needs " + std::to_string(1 + indexed) + " topics, got " +
             std::to_string(topics.size()));
  }
  std::vector<Value> data_values = decode(data_types_, data);
  std::vector<Value> out;
  out.reserve(decl_.params.size());
  std::size_t next_topic = 1, next_data = 0;
  for (const Param& p : decl_.params) {
    if (!p.indexed) {
      out.push_back(std::move(data_values[next_data++]));
    } else if (p.type.is_value_type()) {
      out.push_back(Decoder::value_word(p.type, topics[next_topic++].bytes));
    } else {
      out.push_back(Value::fixed_bytes(topics[next_topic++].bytes));
    }
  }
  return out;
}

Log Event::encode_log(std::span<const Value> values) const {
  if (values.size() != decl_.params.size()) {
    bad_value(signature() + " needs " + std::to_string(decl_.params.size()) + " values, got " +
              std::to_string(values.size()));
  }
  Log log;
  log.topics.push_back(topic0_);
  std::vector<Value> data_values;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const Param& p = decl_.params[i];
    if (!p.indexed) {
      data_values.push_back(values[i]);
    } else if (p.type.is_value_type()) {
      log.topics.push_back(Hash32{encode_value_word(p.type, values[i])});
    } else if (p.type.kind() == Type::Kind::Bytes) {
      log.topics.push_back(keccak(values[i].as_bytes()));
    } else if (p.type.kind() == Type::Kind::String) {
      log.topics.push_back(keccak(std::string_view(values[i].as_string())));
    } else {
      bad_value("indexed " + p.type.canonical() + " is not supported");
    }
  }
  log.data = encode(data_types_, data_values);
  return log;
}

std::string describe_revert(ByteView data) {
  static const Function kError = Function::parse("Error(string)");
  static const Function kPanic = Function::parse("Panic(uint256)");
  try {
    if (kError.matches(data)) {
      // One line for logs: control characters become '?', long messages are cut.
      std::string msg = kError.decode_call(data)[0].as_string().substr(0, 256);
      for (char& c : msg) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
      }
      return "Error(string): " + msg;
    }
    if (kPanic.matches(data))
      return "Panic(" + to_quantity(kPanic.decode_call(data)[0].as_u256()) + ")";
  } catch (const DecodeError&) {
    // Fall through to the raw bytes.
  }
  if (data.empty()) return "empty revert data";
  return to_hex(data.first(std::min<std::size_t>(data.size(), 260)));
}

}  // namespace chain::abi
