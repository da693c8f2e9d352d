// EIP-1559 (type 0x02) transactions, EIP-2718 typed envelope:
//
//   fields      = [chainId, nonce, maxPriorityFeePerGas, maxFeePerGas, gasLimit, to, value, data,
//                  accessList]       accessList = [[address, [storageKey, ...]], ...]
//   signing     = keccak256(0x02 || rlp(fields))
//   raw         = 0x02 || rlp(fields ++ [yParity, r, s])   (r, s minimal big-endian integers)
//   hash        = keccak256(raw)
//
// `to` empty (the RLP empty string) creates a contract. Decoding a raw transaction is strict: the
// type byte, canonical RLP, exactly 12 fields, canonical integers, yParity 0 or 1; it throws
// DecodeError (RlpError for bad RLP).
//
// Thread safety: value types and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "chain/hex.h"
#include "chain/secp256k1.h"
#include "fhe/u256.h"

namespace chain {

struct AccessListEntry {
  Address address;
  std::vector<Hash32> storage_keys;
  friend bool operator==(const AccessListEntry&, const AccessListEntry&) = default;
};

struct Eip1559Tx {
  uint64_t chain_id = 0;
  uint64_t nonce = 0;
  fhe::U256 max_priority_fee_per_gas;
  fhe::U256 max_fee_per_gas;
  uint64_t gas_limit = 0;
  std::optional<Address> to;  // nullopt: contract creation
  fhe::U256 value;
  Bytes data;
  std::vector<AccessListEntry> access_list;

  static constexpr uint8_t kType = 0x02;

  // 0x02 || rlp(the nine fields).
  Bytes signing_payload() const;
  Hash32 signing_hash() const;

  friend bool operator==(const Eip1559Tx&, const Eip1559Tx&) = default;
};

struct SignedEip1559Tx {
  Eip1559Tx tx;
  Signature signature;  // recid is yParity

  Bytes raw() const;  // what eth_sendRawTransaction takes
  Hash32 hash() const;
  // The signer, recovered from the signature.
  Address sender() const;

  // Parses a raw signed type-2 transaction.
  static SignedEip1559Tx decode(ByteView raw);

  friend bool operator==(const SignedEip1559Tx&, const SignedEip1559Tx&) = default;
};

SignedEip1559Tx sign(const Eip1559Tx& tx, const PrivateKey& key);

}  // namespace chain
