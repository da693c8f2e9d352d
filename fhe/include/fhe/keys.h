// Client and server keys of the shortint compute parameters.
//
// A ClientKey holds the secret keys and can decrypt; a ServerKey holds only public evaluation keys
// (keyswitching and bootstrapping) and cannot. Secret key memory is zeroed when released.
// Both carry their parameter set; operations check it.
//
// Thread safety: keys are immutable after construction; a ServerKey may be shared by threads.
#pragma once

#include <memory>
#include <optional>

#include "fhe/core.h"
#include "fhe/params.h"
#include "fhe/random.h"

namespace fhe {

struct ClientKey {
  const ShortintParams* params = nullptr;
  GlweSecretKey glwe;  // big key = its coefficients (k*N)
  LweSecretKey lwe;    // small key (n)
  // TFHE-rs's high-level ClientKey also carries a dedicated OPRF small LWE key (same dimension).
  // Kept so that an imported key exports unchanged; unused by the engine for now.
  std::optional<LweSecretKey> oprf_lwe;
  // The FHEVM meta set's other secret keys: the list-compression GLWE key (k=4, N=256) and the
  // dedicated compact-public-key LWE key (n=2048). Present in keys made by generate_client_key;
  // TFHE-rs client keys without them get them from add_meta_keys().
  std::optional<GlweSecretKey> compression;
  std::optional<LweSecretKey> cpk;

  LweSecretKey big_lwe() const { return glwe.as_lwe(); }
};

// The meta parameters that go with a compute set (kFhevmMeta for kFhevmCompute, kToyMeta for
// the toy set).
const MetaParams& meta_params(const ShortintParams& compute);

// Generates the compression and CPK secret keys a client key lacks (from `secret`).
void add_meta_keys(ClientKey& ck, Csprng& secret);

// A compact public key (TFHE-rs LweCompactPublicKey): b = a (*) s + e, n coefficients each.
struct CompactPublicKey {
  const CompactPkeParams* params = nullptr;
  std::vector<uint64_t> a, b;
};

// Fresh client key from a seed: small LWE key then GLWE key, one byte per bit (TFHE-rs order).
ClientKey generate_client_key(const ShortintParams& params, u128 seed);

struct ServerKey {
  const ShortintParams* params = nullptr;
  LweKeyswitchKey ksk;      // big -> small
  FourierBootstrapKey bsk;  // small -> GLWE
  std::shared_ptr<const Fft> fft;
  // Dedicated OPRF bootstrapping key (OPRF small key -> GLWE); OPRF uses bsk without it.
  std::optional<FourierBootstrapKey> oprf_bsk;
  // List compression: packing keyswitch and decompression bootstrap (compression key -> GLWE).
  std::optional<PackingKeyswitchKey> packing_ksk;
  std::optional<FourierBootstrapKey> decompression_bsk;
  // Re-randomization: the compact public key and the KSK from its key to the big key.
  std::optional<CompactPublicKey> cpk;
  std::optional<LweKeyswitchKey> rerand_ksk;
};

// Derives the evaluation keys of `ck`. `seed` drives masks and noise (a fixed seed gives fixed
// keys). Progress is reported through `progress(done, total)` if given.
struct KeygenProgress {
  virtual ~KeygenProgress() = default;
  virtual void report(const char* stage, std::size_t done, std::size_t total) = 0;
};
ServerKey generate_server_key(const ClientKey& ck, u128 seed, FftKind fft = FftKind::Auto,
                              KeygenProgress* progress = nullptr);

// The evaluation keys in the standard (coefficient) domain: what is stored on disk. The Fourier
// form depends on the FFT and is recomputed when a ServerKey is built from it (tens of ms).
struct ServerKeyMaterial {
  const ShortintParams* params = nullptr;
  LweKeyswitchKey ksk;
  StandardBootstrapKey bsk;
  std::optional<StandardBootstrapKey> oprf_bsk;
  std::optional<PackingKeyswitchKey> packing_ksk;
  std::optional<StandardBootstrapKey> decompression_bsk;
  std::optional<CompactPublicKey> cpk;
  std::optional<LweKeyswitchKey> rerand_ksk;
};
ServerKeyMaterial generate_server_key_material(const ClientKey& ck, u128 seed,
                                               KeygenProgress* progress = nullptr);
// Checks every dimension and size against the parameter set (ParamError otherwise).
ServerKey make_server_key(const ServerKeyMaterial& m, FftKind fft = FftKind::Auto);
ServerKey make_server_key(ServerKeyMaterial&& m, FftKind fft = FftKind::Auto);  // moves the KSK

}  // namespace fhe
