// EIP-712 typed structured data hashing:
//
//   typeHash         = keccak256(encodeType)          "Name(type1 name1,type2 name2,...)"
//   hashStruct(s)    = keccak256(typeHash || encodeData(s))
//   encodeData       one 32-byte word per field: value types as in the ABI; bytes and string as
//                    keccak256 of their contents; arrays as keccak256 of the concatenated
//                    encodeData words of their elements
//   domainSeparator  = hashStruct(EIP712Domain{name, version, chainId, verifyingContract})
//   digest           = keccak256(0x19 || 0x01 || domainSeparator || hashStruct(message))
//
// The FHEVM's one message is the gateway InputVerification contract's CiphertextVerification
// (contract version 0.6.0), signed by each coprocessor for an input proof; the same digest is
// re-checked by the host chain's InputVerifier. Its type string is fixed byte for byte below.
//
// Thread safety: value types and pure functions.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "chain/abi.h"
#include "chain/hex.h"
#include "fhe/u256.h"

namespace chain::eip712 {

// A struct type whose fields are ABI value types, bytes, string, or arrays of those (no nested
// structs: the FHEVM messages need none). Built from its encodeType string.
class StructType {
 public:
  // "Name(type1 name1,...)" exactly as hashed: the string must already be canonical (types
  // canonical, one comma without spaces between fields, every field named); throws
  // std::invalid_argument otherwise.
  static StructType parse(std::string_view encode_type);

  const std::string& encode_type() const { return encode_type_; }
  const Hash32& type_hash() const { return type_hash_; }
  const std::vector<abi::Param>& fields() const { return decl_.params; }

  // hashStruct of values given in field order; throws std::invalid_argument on a mismatch.
  Hash32 hash_struct(std::span<const abi::Value> values) const;

 private:
  abi::Declaration decl_;
  std::string encode_type_;
  Hash32 type_hash_;
};

struct Domain {
  std::string name;
  std::string version;
  fhe::U256 chain_id;
  Address verifying_contract;

  static constexpr std::string_view kEncodeType =
      "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)";
  Hash32 separator() const;
};

// keccak256(0x19 0x01 || domain_separator || struct_hash).
Hash32 digest(const Hash32& domain_separator, const Hash32& struct_hash);

// zama-ai/fhevm gateway-contracts InputVerification.sol, EIP712_ZKPOK_TYPE.
struct CiphertextVerification {
  std::vector<Hash32> ct_handles;
  Address user_address;
  Address contract_address;
  fhe::U256 contract_chain_id;  // the host chain's id
  Bytes extra_data;

  static constexpr std::string_view kEncodeType =
      "CiphertextVerification(bytes32[] ctHandles,address userAddress,address contractAddress,"
      "uint256 contractChainId,bytes extraData)";
  Hash32 struct_hash() const;
};

// The domain the coprocessors sign under: name "InputVerification", version "1", the gateway
// chain id and the gateway's InputVerification contract address.
Domain input_verification_domain(const fhe::U256& gateway_chain_id,
                                 const Address& input_verification);

// digest(input_verification_domain(...).separator(), msg.struct_hash()).
Hash32 ciphertext_verification_digest(const fhe::U256& gateway_chain_id,
                                      const Address& input_verification,
                                      const CiphertextVerification& msg);

}  // namespace chain::eip712
