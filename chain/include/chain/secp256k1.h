// ECDSA on secp256k1 as Ethereum uses it, through libsecp256k1 (bitcoin-core, with its recovery
// module):
//   address    = keccak256(X || Y)[12..32] of the uncompressed public key
//   sign       = RFC 6979 deterministic nonce (libsecp256k1's default, as ethers and alloy), s
//                always in the lower half of the group order (EIP-2), recovery id 0/1
//   recover    = the signer's address from (digest, r, s, v), v in {0, 1, 27, 28}; high s and
//                r or s outside [1, n-1] are rejected, as OpenZeppelin's ECDSA.recover does
//
// Private keys live only in PrivateKey, whose bytes are wiped (OPENSSL_cleanse) when it is
// destroyed; it has no printing, no hex output and no comparison operators.
//
// Thread safety: all functions are safe to call concurrently (one shared read-only context,
// randomized once at first use).
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "chain/hex.h"

namespace chain {

// A recoverable signature: r, s (big-endian, 32 bytes each) and the recovery id (0 or 1: the
// parity of R's y coordinate).
struct Signature {
  std::array<uint8_t, 32> r{};
  std::array<uint8_t, 32> s{};
  uint8_t recid = 0;

  // 65 bytes r || s || v with v = 27 + recid (the form ecrecover, OpenZeppelin and the FHEVM
  // gateway expect).
  std::array<uint8_t, 65> to_rsv() const;
  // 65 bytes r || s || v with v in {0, 1, 27, 28}; throws DecodeError otherwise.
  static Signature from_rsv(ByteView rsv);

  friend bool operator==(const Signature&, const Signature&) = default;
};

class PublicKey {
 public:
  // 64 bytes X || Y, or 65 bytes 0x04 || X || Y, or 33 compressed bytes; checked on the curve.
  static PublicKey parse(ByteView bytes);

  const std::array<uint8_t, 64>& xy() const { return xy_; }
  std::array<uint8_t, 65> uncompressed() const;  // 0x04 || X || Y
  Address address() const;

  friend bool operator==(const PublicKey&, const PublicKey&) = default;

 private:
  std::array<uint8_t, 64> xy_{};
};

class PrivateKey {
 public:
  // 32 big-endian bytes in [1, n-1]; throws std::invalid_argument (without echoing the key).
  static PrivateKey from_bytes(ByteView bytes);
  // 64 hex digits, with or without 0x.
  static PrivateKey from_hex(std::string_view hex);
  // A fresh key from the OS random generator (OpenSSL RAND_bytes).
  static PrivateKey random();

  PrivateKey(const PrivateKey&) = default;
  PrivateKey& operator=(const PrivateKey&) = default;
  ~PrivateKey();

  PublicKey public_key() const;
  Address address() const;
  // Signs a 32-byte digest (the caller hashes: keccak256 of a tx payload, EIP-712 digest, ...).
  Signature sign(const Hash32& digest) const;

 private:
  PrivateKey() = default;
  std::array<uint8_t, 32> key_{};
};

// Throws DecodeError when the signature is malformed or does not recover to a point.
PublicKey recover_public_key(const Hash32& digest, const Signature& sig);
Address recover_address(const Hash32& digest, const Signature& sig);
// v in {0, 1, 27, 28}.
Address recover_address(const Hash32& digest, const std::array<uint8_t, 32>& r,
                        const std::array<uint8_t, 32>& s, unsigned v);

// keccak256("\x19Ethereum Signed Message:\n" || decimal(len) || message) (EIP-191 personal_sign).
Hash32 personal_message_hash(ByteView message);

}  // namespace chain
