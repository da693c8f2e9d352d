#include "chain/eip712.h"

#include <stdexcept>

namespace chain::eip712 {

namespace {

using abi::Type;
using abi::Value;

// The 32-byte encodeData word of one field value.
Hash32 encode_field(const Type& t, const Value& v) {
  switch (t.kind()) {
    case Type::Kind::Bytes:
      return keccak(v.as_bytes());
    case Type::Kind::String:
      return keccak(std::string_view(v.as_string()));
    case Type::Kind::Array:
    case Type::Kind::FixedArray: {
      const auto& items = v.as_list();
      if (t.kind() == Type::Kind::FixedArray && items.size() != t.size()) {
        throw std::invalid_argument("EIP-712: " + t.canonical() + " needs " +
                                    std::to_string(t.size()) + " elements");
      }
      Bytes concat;
      concat.reserve(32 * items.size());
      for (const Value& item : items) {
        const Hash32 w = encode_field(t.element(), item);
        concat.insert(concat.end(), w.bytes.begin(), w.bytes.end());
      }
      return keccak(concat);
    }
    case Type::Kind::Tuple:
      throw std::invalid_argument("EIP-712: nested structs are not supported");
    default:
      return Hash32::from_span(abi::encode(t, v));  // one word
  }
}

}  // namespace

StructType StructType::parse(std::string_view encode_type) {
  StructType s;
  s.decl_ = abi::Declaration::parse(encode_type);
  // Rebuild the canonical string and insist it equals the input: a hash of a near-miss string
  // would silently never match on chain.
  std::string canon = s.decl_.name + "(";
  for (std::size_t i = 0; i < s.decl_.params.size(); ++i) {
    const abi::Param& p = s.decl_.params[i];
    if (p.indexed || p.name.empty()) {
      throw std::invalid_argument("EIP-712: every field needs a name and no 'indexed'");
    }
    if (p.type.kind() == Type::Kind::Tuple) {
      throw std::invalid_argument("EIP-712: nested structs are not supported");
    }
    if (i > 0) canon += ',';
    canon += p.type.canonical() + " " + p.name;
  }
  canon += ")";
  if (canon != encode_type) {
    throw std::invalid_argument("EIP-712: type string is not canonical; expected " + canon);
  }
  s.encode_type_ = std::move(canon);
  s.type_hash_ = keccak(std::string_view(s.encode_type_));
  return s;
}

Hash32 StructType::hash_struct(std::span<const abi::Value> values) const {
  if (values.size() != decl_.params.size()) {
    throw std::invalid_argument("EIP-712: " + decl_.name + " needs " +
                                std::to_string(decl_.params.size()) + " values");
  }
  Bytes enc(type_hash_.bytes.begin(), type_hash_.bytes.end());
  for (std::size_t i = 0; i < values.size(); ++i) {
    const Hash32 w = encode_field(decl_.params[i].type, values[i]);
    enc.insert(enc.end(), w.bytes.begin(), w.bytes.end());
  }
  return keccak(enc);
}

Hash32 Domain::separator() const {
  static const StructType kType = StructType::parse(kEncodeType);
  const Value v[] = {Value::string(name), Value::string(version), Value::uint(chain_id),
                     Value::address(verifying_contract)};
  return kType.hash_struct(v);
}

Hash32 digest(const Hash32& domain_separator, const Hash32& struct_hash) {
  Bytes buf{0x19, 0x01};
  buf.insert(buf.end(), domain_separator.bytes.begin(), domain_separator.bytes.end());
  buf.insert(buf.end(), struct_hash.bytes.begin(), struct_hash.bytes.end());
  return keccak(buf);
}

Hash32 CiphertextVerification::struct_hash() const {
  static const StructType kType = StructType::parse(kEncodeType);
  std::vector<Value> handles;
  handles.reserve(ct_handles.size());
  for (const Hash32& h : ct_handles) handles.push_back(Value::fixed_bytes(h.view()));
  const Value v[] = {Value::list(std::move(handles)), Value::address(user_address),
                     Value::address(contract_address), Value::uint(contract_chain_id),
                     Value::bytes(extra_data)};
  return kType.hash_struct(v);
}

Domain input_verification_domain(const fhe::U256& gateway_chain_id,
                                 const Address& input_verification) {
  return Domain{"InputVerification", "1", gateway_chain_id, input_verification};
}

Hash32 ciphertext_verification_digest(const fhe::U256& gateway_chain_id,
                                      const Address& input_verification,
                                      const CiphertextVerification& msg) {
  return digest(input_verification_domain(gateway_chain_id, input_verification).separator(),
                msg.struct_hash());
}

}  // namespace chain::eip712
