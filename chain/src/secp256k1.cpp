#include "chain/secp256k1.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include <algorithm>
#include <stdexcept>
#include <string>

namespace chain {

namespace {

// One context for the process: created and randomized (side-channel blinding) at first use, then
// only read, which libsecp256k1 allows from any number of threads.
const secp256k1_context* ctx() {
  static const secp256k1_context* c = [] {
    secp256k1_context* k = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
    unsigned char seed[32];
    if (k == nullptr || RAND_bytes(seed, sizeof seed) != 1 ||
        secp256k1_context_randomize(k, seed) != 1) {
      throw std::runtime_error("secp256k1: cannot create a randomized context");
    }
    OPENSSL_cleanse(seed, sizeof seed);
    return k;
  }();
  return c;
}

// n / 2 for the group order n: s above it is the "high" twin of a valid signature (EIP-2).
constexpr std::array<uint8_t, 32> kHalfOrder = {
    0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0x5D, 0x57, 0x6E, 0x73, 0x57, 0xA4, 0x50, 0x1D, 0xDF, 0xE9, 0x2F, 0x46, 0x68, 0x1B, 0x20, 0xA0};

PublicKey to_public(const secp256k1_pubkey& pk) {
  std::array<uint8_t, 65> ser;
  size_t len = ser.size();
  secp256k1_ec_pubkey_serialize(ctx(), ser.data(), &len, &pk, SECP256K1_EC_UNCOMPRESSED);
  return PublicKey::parse(ser);
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::array<uint8_t, 65> Signature::to_rsv() const {
  std::array<uint8_t, 65> out;
  std::copy(r.begin(), r.end(), out.begin());
  std::copy(s.begin(), s.end(), out.begin() + 32);
  out[64] = static_cast<uint8_t>(27 + recid);
  return out;
}

Signature Signature::from_rsv(ByteView rsv) {
  if (rsv.size() != 65) {
    throw DecodeError("signature: expected 65 bytes, got " + std::to_string(rsv.size()));
  }
  const uint8_t v = rsv[64];
  if (v != 0 && v != 1 && v != 27 && v != 28) {
    throw DecodeError("signature: v must be 0, 1, 27 or 28, got " + std::to_string(v));
  }
  Signature sig;
  std::copy_n(rsv.begin(), 32, sig.r.begin());
  std::copy_n(rsv.begin() + 32, 32, sig.s.begin());
  sig.recid = static_cast<uint8_t>(v >= 27 ? v - 27 : v);
  return sig;
}

PublicKey PublicKey::parse(ByteView bytes) {
  std::array<uint8_t, 65> buf;
  ByteView in = bytes;
  if (bytes.size() == 64) {
    buf[0] = 0x04;
    std::copy(bytes.begin(), bytes.end(), buf.begin() + 1);
    in = buf;
  }
  secp256k1_pubkey pk;
  if (in.size() != 33 && in.size() != 65) {
    throw DecodeError("public key: expected 33, 64 or 65 bytes, got " +
                      std::to_string(bytes.size()));
  }
  if (secp256k1_ec_pubkey_parse(ctx(), &pk, in.data(), in.size()) != 1) {
    throw DecodeError("public key: not a point on secp256k1");
  }
  std::array<uint8_t, 65> ser;
  size_t len = ser.size();
  secp256k1_ec_pubkey_serialize(ctx(), ser.data(), &len, &pk, SECP256K1_EC_UNCOMPRESSED);
  PublicKey out;
  std::copy(ser.begin() + 1, ser.end(), out.xy_.begin());
  return out;
}

std::array<uint8_t, 65> PublicKey::uncompressed() const {
  std::array<uint8_t, 65> out;
  out[0] = 0x04;
  std::copy(xy_.begin(), xy_.end(), out.begin() + 1);
  return out;
}

Address PublicKey::address() const {
  const Hash32 h = keccak(ByteView(xy_));
  return Address::from_span(ByteView(h.bytes).subspan(12));
}

PrivateKey PrivateKey::from_bytes(ByteView bytes) {
  if (bytes.size() != 32) throw std::invalid_argument("private key: expected 32 bytes");
  PrivateKey k;
  std::copy(bytes.begin(), bytes.end(), k.key_.begin());
  if (secp256k1_ec_seckey_verify(ctx(), k.key_.data()) != 1) {
    throw std::invalid_argument("private key: not in [1, n-1]");
  }
  return k;
}

PrivateKey PrivateKey::from_hex(std::string_view hex) {
  if (hex.size() >= 2 && hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X')) hex.remove_prefix(2);
  if (hex.size() != 64) throw std::invalid_argument("private key: expected 64 hex digits");
  PrivateKey k;
  for (std::size_t i = 0; i < 32; ++i) {
    const int hi = hex_digit(hex[2 * i]), lo = hex_digit(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) throw std::invalid_argument("private key: invalid hex digit");
    k.key_[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  if (secp256k1_ec_seckey_verify(ctx(), k.key_.data()) != 1) {
    throw std::invalid_argument("private key: not in [1, n-1]");
  }
  return k;
}

PrivateKey PrivateKey::random() {
  PrivateKey k;
  do {
    if (RAND_bytes(k.key_.data(), static_cast<int>(k.key_.size())) != 1) {
      throw std::runtime_error("private key: the OS random generator failed");
    }
  } while (secp256k1_ec_seckey_verify(ctx(), k.key_.data()) != 1);
  return k;
}

PrivateKey::~PrivateKey() {
  OPENSSL_cleanse(key_.data(), key_.size());
}

PublicKey PrivateKey::public_key() const {
  secp256k1_pubkey pk;
  if (secp256k1_ec_pubkey_create(ctx(), &pk, key_.data()) != 1) {
    throw std::logic_error("private key: invalid");  // unreachable: checked at construction
  }
  return to_public(pk);
}

Address PrivateKey::address() const {
  return public_key().address();
}

Signature PrivateKey::sign(const Hash32& digest) const {
  secp256k1_ecdsa_recoverable_signature rs;
  // Null nonce function: RFC 6979 with HMAC-SHA256 (secp256k1_nonce_function_default).
  if (secp256k1_ecdsa_sign_recoverable(ctx(), &rs, digest.bytes.data(), key_.data(), nullptr,
                                       nullptr) != 1) {
    throw std::logic_error("secp256k1: signing failed");
  }
  std::array<uint8_t, 64> compact;
  int recid = 0;
  secp256k1_ecdsa_recoverable_signature_serialize_compact(ctx(), compact.data(), &recid, &rs);
  Signature sig;
  std::copy_n(compact.begin(), 32, sig.r.begin());
  std::copy_n(compact.begin() + 32, 32, sig.s.begin());
  sig.recid = static_cast<uint8_t>(recid);
  return sig;
}

PublicKey recover_public_key(const Hash32& digest, const Signature& sig) {
  if (sig.recid > 1) throw DecodeError("signature: recovery id must be 0 or 1");
  if (sig.s > kHalfOrder) throw DecodeError("signature: s in the upper half of the order");
  std::array<uint8_t, 64> compact;
  std::copy(sig.r.begin(), sig.r.end(), compact.begin());
  std::copy(sig.s.begin(), sig.s.end(), compact.begin() + 32);
  secp256k1_ecdsa_recoverable_signature rs;
  if (secp256k1_ecdsa_recoverable_signature_parse_compact(ctx(), &rs, compact.data(), sig.recid) !=
      1) {
    throw DecodeError("signature: r or s not below the group order");
  }
  secp256k1_pubkey pk;
  if (secp256k1_ecdsa_recover(ctx(), &pk, &rs, digest.bytes.data()) != 1) {
    throw DecodeError("signature: does not recover to a public key");
  }
  return to_public(pk);
}

Address recover_address(const Hash32& digest, const Signature& sig) {
  return recover_public_key(digest, sig).address();
}

Address recover_address(const Hash32& digest, const std::array<uint8_t, 32>& r,
                        const std::array<uint8_t, 32>& s, unsigned v) {
  if (v != 0 && v != 1 && v != 27 && v != 28) {
    throw DecodeError("signature: v must be 0, 1, 27 or 28, got " + std::to_string(v));
  }
  return recover_address(digest, Signature{r, s, static_cast<uint8_t>(v >= 27 ? v - 27 : v)});
}

Hash32 personal_message_hash(ByteView message) {
  const std::string prefix =
      "\x19"
      "Ethereum Signed Message:\n" +
      std::to_string(message.size());
  Bytes buf(prefix.begin(), prefix.end());
  buf.insert(buf.end(), message.begin(), message.end());
  return keccak(buf);
}

}  // namespace chain
