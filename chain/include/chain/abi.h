// The Solidity contract ABI (docs.soliditylang.org, "Contract ABI Specification"): types parsed
// from signature strings, head/tail encoding in 32-byte words, function selectors, event topics
// and log decoding, custom errors.
//
//   enc(static T)             one or more words in place (uintN/intN/address/bool/bytesN are one
//                             word: numbers left-padded, bytesN right-padded)
//   enc(bytes|string)         len word, then the bytes right-padded to a word boundary
//   enc(T[])                  len word, then enc((T, ..., T))
//   enc(T[k]), enc((T1..Tn))  heads of all elements, then tails of the dynamic ones; the head of a
//                             dynamic element is its tail's offset from the start of the heads
//   selector                  first 4 bytes of keccak256("name(t1,t2,...)"), canonical types
//   event topics              topic0 = keccak256(signature); then one topic per indexed
//                             parameter: a value type in place, any other type as the keccak256
//                             of its encoding (so the value itself is lost: decoded as bytes32)
//
// Decoding treats data as hostile and throws chain::AbiError (a DecodeError): every offset and
// length is checked against the data before use; value words must be clean (no bits above uintN,
// intN sign-extended, address and bool in range, bytesN zero-padded); the total decoded size is
// bounded by a small multiple of the input, so offsets that alias each other cannot blow up
// memory. Type strings come from code, not from the network; they are still checked (nesting
// depth, array sizes) and bad ones throw std::invalid_argument.
//
// Thread safety: pure functions and value types.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "chain/hex.h"
#include "fhe/u256.h"

namespace chain {

class AbiError : public DecodeError {
 public:
  using DecodeError::DecodeError;
};

namespace abi {

class Type {
 public:
  enum class Kind { Uint, Int, Address, Bool, FixedBytes, Bytes, String, Array, FixedArray, Tuple };

  // Canonical names ("uint256", "bytes32[]", "(address,bytes)[2]") and the aliases "uint"/"int"
  // (256 bits) and "tuple(...)". Throws std::invalid_argument.
  static Type parse(std::string_view s);
  static Type uint(unsigned bits = 256);
  static Type int_(unsigned bits = 256);
  static Type address();
  static Type boolean();
  static Type fixed_bytes(unsigned n);
  static Type bytes();
  static Type string();
  static Type array(Type element);
  static Type fixed_array(Type element, std::size_t length);
  static Type tuple(std::vector<Type> components);  // at least one component

  Kind kind() const { return kind_; }
  // Bits of uintN/intN, bytes of bytesN, length of T[k]; 0 otherwise.
  std::size_t size() const { return size_; }
  const Type& element() const;                                       // T of T[] and T[k]
  const std::vector<Type>& components() const { return children_; }  // of a tuple

  bool is_dynamic() const;
  // Bytes this type occupies in the head of an enclosing tuple: 32 if dynamic.
  std::size_t head_size() const;
  // One 32-byte word holding a value type (uint, int, address, bool, bytesN).
  bool is_value_type() const { return kind_ <= Kind::FixedBytes; }
  std::string canonical() const;

  friend bool operator==(const Type&, const Type&) = default;

 private:
  Kind kind_ = Kind::Bool;
  std::size_t size_ = 0;
  std::vector<Type> children_;
};

// A decoded or to-be-encoded value. The type gives the meaning: uintN, intN (two's complement,
// sign-extended to 256 bits) -> U256; bool; address; bytesN and bytes -> Bytes; string; arrays
// and tuples -> list.
class Value {
 public:
  Value() = default;  // false
  static Value uint(const fhe::U256& v);
  static Value int_(int64_t v);
  static Value int256(const fhe::U256& twos_complement);
  static Value boolean(bool b);
  static Value address(const Address& a);
  static Value fixed_bytes(ByteView b);  // bytesN: b.size() == N
  static Value bytes(ByteView b);
  static Value string(std::string s);
  static Value list(std::vector<Value> items);

  // Accessors throw AbiError when the value holds another kind.
  const fhe::U256& as_u256() const;
  uint64_t as_u64() const;  // also throws above 2^64 - 1
  int64_t as_i64() const;   // a sign-extended two's complement value in int64 range
  bool as_bool() const;
  const Address& as_address() const;
  const Bytes& as_bytes() const;
  Hash32 as_hash32() const;  // a 32-byte Bytes (bytes32, or an indexed dynamic topic)
  const std::string& as_string() const;
  const std::vector<Value>& as_list() const;

  friend bool operator==(const Value&, const Value&) = default;

 private:
  std::variant<bool, fhe::U256, Address, Bytes, std::string, std::vector<Value>> v_;
};

// abi.encode(values...) of a parameter list (a tuple without the enclosing offset). Throws
// std::invalid_argument when a value does not fit its type.
Bytes encode(std::span<const Type> types, std::span<const Value> values);
Bytes encode(const Type& type, const Value& value);  // abi.encode of one value
// abi.decode; the data may have trailing bytes (as Solidity allows).
std::vector<Value> decode(std::span<const Type> types, ByteView data);
Value decode(const Type& type, ByteView data);

// One parameter of a declaration.
struct Param {
  Type type;
  std::string name;      // may be empty
  bool indexed = false;  // events only
};

// "name(type [indexed] [name], ...)", with optional leading "function"/"event"/"error" keyword
// and spaces anywhere between tokens. Throws std::invalid_argument.
struct Declaration {
  std::string name;
  std::vector<Param> params;

  static Declaration parse(std::string_view decl);
  std::string signature() const;  // "name(t1,t2,...)", canonical types, no names
  std::vector<Type> types() const;
};

// A function or a custom error: 4-byte selector then abi.encode(args).
class Function {
 public:
  static Function parse(std::string_view decl);
  explicit Function(Declaration d);

  const std::string& name() const { return decl_.name; }
  const std::vector<Param>& params() const { return decl_.params; }
  std::string signature() const { return decl_.signature(); }
  const std::array<uint8_t, 4>& selector() const { return selector_; }

  Bytes encode_call(std::span<const Value> args) const;
  // Checks the selector, then decodes the arguments.
  std::vector<Value> decode_call(ByteView data) const;
  bool matches(ByteView data) const;  // data starts with the selector

 private:
  Declaration decl_;
  std::vector<Type> types_;
  std::array<uint8_t, 4> selector_{};
};

// Custom errors have the same shape as calls: revert data = selector ++ abi.encode(args).
using CustomError = Function;

struct Log {
  std::vector<Hash32> topics;
  Bytes data;
};

// A non-anonymous event.
class Event {
 public:
  static Event parse(std::string_view decl);
  explicit Event(Declaration d);

  const std::string& name() const { return decl_.name; }
  const std::vector<Param>& params() const { return decl_.params; }
  std::string signature() const { return decl_.signature(); }
  const Hash32& topic0() const { return topic0_; }

  // Values in declaration order. Checks topic0 and the topic count; an indexed parameter that is
  // not a value type decodes as the 32-byte topic (the hash of its encoding).
  std::vector<Value> decode_log(std::span<const Hash32> topics, ByteView data) const;
  // The log this event emits for these values. Indexed bytes and string topics are their
  // keccak256; indexed arrays and tuples throw std::invalid_argument (not needed here).
  Log encode_log(std::span<const Value> values) const;

 private:
  Declaration decl_;
  std::vector<Type> data_types_;  // the non-indexed parameters, in order
  Hash32 topic0_;
};

// A human-readable account of revert data: "Error(string): <message>", "Panic(0x11)", or the
// 0x-hex of anything else (for logs; never throws).
std::string describe_revert(ByteView data);

}  // namespace abi
}  // namespace chain
