#include "chain/tx.h"

#include <string>

#include "chain/rlp.h"

namespace chain {

namespace {

using rlp::Item;

std::vector<Item> field_items(const Eip1559Tx& tx) {
  std::vector<Item> access;
  for (const AccessListEntry& e : tx.access_list) {
    std::vector<Item> keys;
    for (const Hash32& k : e.storage_keys) keys.push_back(Item::bytes(k.view()));
    access.push_back(Item::list({Item::bytes(e.address.view()), Item::list(std::move(keys))}));
  }
  std::vector<Item> f;
  f.push_back(Item::uint(tx.chain_id));
  f.push_back(Item::uint(tx.nonce));
  f.push_back(Item::uint(tx.max_priority_fee_per_gas));
  f.push_back(Item::uint(tx.max_fee_per_gas));
  f.push_back(Item::uint(tx.gas_limit));
  f.push_back(tx.to ? Item::bytes(tx.to->view()) : Item());
  f.push_back(Item::uint(tx.value));
  f.push_back(Item::bytes(tx.data));
  f.push_back(Item::list(std::move(access)));
  return f;
}

Bytes typed(const std::vector<Item>& fields) {
  Bytes out{Eip1559Tx::kType};
  const Bytes body = rlp::encode(Item::list(fields));
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

// r and s as RLP integers: 32 bytes, left-padded.
std::array<uint8_t, 32> scalar(const Item& item, const char* what) {
  const fhe::U256 v = item.as_u256();
  if (v.is_zero()) throw DecodeError(std::string("transaction: zero ") + what);
  std::array<uint8_t, 32> out;
  for (unsigned i = 0; i < 32; ++i) out[31 - i] = static_cast<uint8_t>(v.digit(i, 8));
  return out;
}

Hash32 hash32(const Item& item) {
  const Bytes& b = item.as_bytes();
  if (b.size() != 32) throw DecodeError("transaction: storage key is not 32 bytes");
  return Hash32::from_span(b);
}

}  // namespace

Bytes Eip1559Tx::signing_payload() const {
  return typed(field_items(*this));
}

Hash32 Eip1559Tx::signing_hash() const {
  return keccak(signing_payload());
}

Bytes SignedEip1559Tx::raw() const {
  std::vector<Item> f = field_items(tx);
  f.push_back(Item::uint(signature.recid));
  f.push_back(Item::uint(fhe::U256::from_be_bytes(signature.r)));
  f.push_back(Item::uint(fhe::U256::from_be_bytes(signature.s)));
  return typed(f);
}

Hash32 SignedEip1559Tx::hash() const {
  return keccak(raw());
}

Address SignedEip1559Tx::sender() const {
  return recover_address(tx.signing_hash(), signature);
}

SignedEip1559Tx SignedEip1559Tx::decode(ByteView raw) {
  if (raw.empty() || raw[0] != Eip1559Tx::kType) {
    throw DecodeError("transaction: not an EIP-1559 (type 0x02) transaction");
  }
  const Item top = rlp::decode(raw.subspan(1), 8);
  const std::vector<Item>& f = top.as_list();
  if (f.size() != 12) {
    throw DecodeError("transaction: expected 12 fields, got " + std::to_string(f.size()));
  }
  SignedEip1559Tx s;
  Eip1559Tx& t = s.tx;
  t.chain_id = f[0].as_u64();
  t.nonce = f[1].as_u64();
  t.max_priority_fee_per_gas = f[2].as_u256();
  t.max_fee_per_gas = f[3].as_u256();
  t.gas_limit = f[4].as_u64();
  if (f[5].as_bytes().empty()) {
    t.to = std::nullopt;
  } else {
    t.to = f[5].as_address();
  }
  t.value = f[6].as_u256();
  t.data = f[7].as_bytes();
  for (const Item& e : f[8].as_list()) {
    const std::vector<Item>& pair = e.as_list();
    if (pair.size() != 2) throw DecodeError("transaction: access list entry is not a pair");
    AccessListEntry entry{pair[0].as_address(), {}};
    for (const Item& k : pair[1].as_list()) entry.storage_keys.push_back(hash32(k));
    t.access_list.push_back(std::move(entry));
  }
  const uint64_t y = f[9].as_u64();
  if (y > 1) throw DecodeError("transaction: yParity must be 0 or 1");
  s.signature.recid = static_cast<uint8_t>(y);
  s.signature.r = scalar(f[10], "r");
  s.signature.s = scalar(f[11], "s");
  return s;
}

SignedEip1559Tx sign(const Eip1559Tx& tx, const PrivateKey& key) {
  return SignedEip1559Tx{tx, key.sign(tx.signing_hash())};
}

}  // namespace chain
