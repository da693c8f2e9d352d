#include "fhe/keys.h"

#include "fhe/cpk.h"
#include "fhe/fft.h"

namespace fhe {

ClientKey generate_client_key(const ShortintParams& params, u128 seed) {
  params_by_id(params.id);  // refuses an insecure set without the opt-in
  Csprng secret(seed);
  ClientKey ck;
  ck.params = &params;
  // TFHE-rs generation order: small LWE key, then GLWE key (one byte per bit).
  ck.lwe = generate_lwe_key(params.lwe_dimension, secret);
  ck.glwe = generate_glwe_key(params.glwe_dimension, params.polynomial_size, secret);
  ck.oprf_lwe = generate_lwe_key(params.lwe_dimension, secret);
  return ck;
}

const MetaParams& meta_params(const ShortintParams& compute) {
  if (&compute == &kFhevmCompute) return kFhevmMeta;
  if (&compute == &kToyInsecure) return kToyMeta;
  throw ParamError("no meta parameters for " + std::string(compute.name));
}

void add_meta_keys(ClientKey& ck, Csprng& secret) {
  const MetaParams& meta = meta_params(*ck.params);
  if (!ck.compression) {
    ck.compression = generate_glwe_key(meta.compression->packing_glwe_dimension,
                                       meta.compression->packing_polynomial_size, secret);
  }
  if (!ck.cpk) ck.cpk = generate_lwe_key(meta.cpk->encryption_lwe_dimension, secret);
}

ServerKeyMaterial generate_server_key_material(const ClientKey& ck, u128 seed,
                                               KeygenProgress* progress) {
  if (ck.params == nullptr) throw ParamError("server key generation: client key has no parameters");
  const ShortintParams& p = *ck.params;
  Csprng root(seed);
  const u128 ksk_mask = root.next_u128(), ksk_noise = root.next_u128();
  const u128 bsk_mask = root.next_u128(), bsk_noise = root.next_u128();

  ServerKeyMaterial m;
  m.params = &p;
  if (progress) progress->report("keyswitch key", 0, 5);
  {
    Csprng mask(ksk_mask), noise(ksk_noise);
    // Big (k*N) -> small (n); entries are encrypted under the small key: LWE noise.
    m.ksk = generate_keyswitch_key(ck.big_lwe(), ck.lwe, p.ks, p.lwe_noise, mask, noise);
  }
  if (progress) progress->report("bootstrap key", 1, 5);
  m.bsk = generate_bootstrap_key(ck.lwe, ck.glwe, p.pbs, p.glwe_noise, bsk_mask, bsk_noise);
  // Optional parts, each from its own seeds drawn after the compute keys' (so that the compute
  // keys do not depend on which optional parts exist).
  const u128 oprf_mask = root.next_u128(), oprf_noise = root.next_u128();
  const u128 pksk_mask = root.next_u128(), pksk_noise = root.next_u128();
  const u128 dbsk_mask = root.next_u128(), dbsk_noise = root.next_u128();
  const u128 cpk_mask = root.next_u128(), cpk_noise = root.next_u128();
  const u128 rr_mask = root.next_u128(), rr_noise = root.next_u128();
  const MetaParams& meta = meta_params(p);
  if (ck.oprf_lwe) {
    if (progress) progress->report("OPRF bootstrap key", 2, 5);
    m.oprf_bsk =
        generate_bootstrap_key(*ck.oprf_lwe, ck.glwe, p.pbs, p.glwe_noise, oprf_mask, oprf_noise);
  }
  if (ck.compression) {
    const CompressionParams& cp = *meta.compression;
    if (progress) progress->report("compression keys", 3, 5);
    Csprng mask(pksk_mask), noise(pksk_noise);
    m.packing_ksk = generate_packing_keyswitch_key(ck.big_lwe(), *ck.compression, cp.packing_ks,
                                                   cp.packing_ks_noise, mask, noise);
    m.decompression_bsk = generate_bootstrap_key(ck.compression->as_lwe(), ck.glwe, cp.br,
                                                 p.glwe_noise, dbsk_mask, dbsk_noise);
  }
  if (ck.cpk) {
    if (progress) progress->report("compact public key and re-randomization key", 4, 5);
    Csprng mask(cpk_mask), noise(cpk_noise);
    m.cpk = generate_compact_public_key(*ck.cpk, *meta.cpk, mask, noise);
    Csprng rmask(rr_mask), rnoise(rr_noise);
    m.rerand_ksk = generate_cpk_keyswitch_key(*ck.cpk, ck, *meta.rerand_ksk, rmask, rnoise);
  }
  if (progress) progress->report("done", 5, 5);
  return m;
}

static void validate(const ServerKeyMaterial& m) {
  if (m.params == nullptr) throw ParamError("server key: no parameters");
  const ShortintParams& p = *m.params;
  const std::size_t k1 = std::size_t{p.glwe_dimension} + 1;
  const bool ok =
      m.ksk.input_dimension == p.big_lwe_dimension() && m.ksk.output_dimension == p.lwe_dimension &&
      m.ksk.decomp.base_log == p.ks.base_log && m.ksk.decomp.level == p.ks.level &&
      m.ksk.data.size() ==
          std::size_t{p.big_lwe_dimension()} * p.ks.level * (std::size_t{p.lwe_dimension} + 1) &&
      m.bsk.input_dimension == p.lwe_dimension && m.bsk.polynomial_size == p.polynomial_size &&
      m.bsk.glwe_dimension == p.glwe_dimension && m.bsk.decomp.base_log == p.pbs.base_log &&
      m.bsk.decomp.level == p.pbs.level &&
      m.bsk.data.size() == std::size_t{p.lwe_dimension} * p.pbs.level * k1 * k1 * p.polynomial_size;
  if (!ok) {
    throw ParamError("server key: dimensions do not match parameter set " + std::string(p.name));
  }
  const MetaParams& meta = meta_params(p);
  const auto bsk_ok = [&](const StandardBootstrapKey& b, uint32_t in, Decomposition d) {
    return b.input_dimension == in && b.polynomial_size == p.polynomial_size &&
           b.glwe_dimension == p.glwe_dimension && b.decomp.base_log == d.base_log &&
           b.decomp.level == d.level &&
           b.data.size() == std::size_t{in} * d.level * k1 * k1 * p.polynomial_size;
  };
  if (m.oprf_bsk && !bsk_ok(*m.oprf_bsk, p.lwe_dimension, p.pbs)) {
    throw ParamError("server key: OPRF bootstrap key does not match " + std::string(p.name));
  }
  if (m.packing_ksk.has_value() != m.decompression_bsk.has_value()) {
    throw ParamError("server key: compression needs both the packing and decompression keys");
  }
  if (m.packing_ksk) {
    const CompressionParams& cp = *meta.compression;
    const PackingKeyswitchKey& k = *m.packing_ksk;
    const uint32_t in = cp.packing_glwe_dimension * cp.packing_polynomial_size;
    const bool pk_ok = k.input_dimension == p.big_lwe_dimension() &&
                       k.glwe_dimension == cp.packing_glwe_dimension &&
                       k.polynomial_size == cp.packing_polynomial_size &&
                       k.decomp.base_log == cp.packing_ks.base_log &&
                       k.decomp.level == cp.packing_ks.level &&
                       k.data.size() == std::size_t{k.input_dimension} * k.decomp.level *
                                            (std::size_t{k.glwe_dimension} + 1) * k.polynomial_size;
    if (!pk_ok || !bsk_ok(*m.decompression_bsk, in, cp.br)) {
      throw ParamError("server key: compression keys do not match " + std::string(cp.name));
    }
  }
  if (m.cpk.has_value() != m.rerand_ksk.has_value()) {
    throw ParamError("server key: re-randomization needs both the CPK and its keyswitch key");
  }
  if (m.cpk) {
    const uint32_t n = meta.cpk->encryption_lwe_dimension;
    const LweKeyswitchKey& k = *m.rerand_ksk;
    const bool rr_ok =
        m.cpk->a.size() == n && m.cpk->b.size() == n && k.input_dimension == n &&
        k.output_dimension == p.big_lwe_dimension() &&
        k.decomp.base_log == meta.rerand_ksk->ks.base_log &&
        k.decomp.level == meta.rerand_ksk->ks.level &&
        k.data.size() == std::size_t{n} * k.decomp.level * (std::size_t{k.output_dimension} + 1);
    if (!rr_ok)
      throw ParamError("server key: re-randomization keys do not match " +
                       std::string(meta.cpk->name));
  }
}

static ServerKey with_fourier_bsk(const ServerKeyMaterial& m, FftKind fft_kind) {
  ServerKey sk;
  sk.params = m.params;
  sk.fft = make_fft(m.params->polynomial_size, fft_kind);
  sk.bsk = to_fourier(m.bsk, *sk.fft);
  if (m.oprf_bsk) sk.oprf_bsk = to_fourier(*m.oprf_bsk, *sk.fft);
  if (m.decompression_bsk) sk.decompression_bsk = to_fourier(*m.decompression_bsk, *sk.fft);
  sk.cpk = m.cpk;
  return sk;
}

ServerKey make_server_key(const ServerKeyMaterial& m, FftKind fft_kind) {
  validate(m);
  ServerKey sk = with_fourier_bsk(m, fft_kind);
  sk.ksk = m.ksk;
  sk.packing_ksk = m.packing_ksk;
  sk.rerand_ksk = m.rerand_ksk;
  return sk;
}

ServerKey make_server_key(ServerKeyMaterial&& m, FftKind fft_kind) {
  validate(m);
  ServerKey sk = with_fourier_bsk(m, fft_kind);
  sk.ksk = std::move(m.ksk);
  sk.packing_ksk = std::move(m.packing_ksk);
  sk.rerand_ksk = std::move(m.rerand_ksk);
  return sk;
}

ServerKey generate_server_key(const ClientKey& ck, u128 seed, FftKind fft_kind,
                              KeygenProgress* progress) {
  return make_server_key(generate_server_key_material(ck, seed, progress), fft_kind);
}

}  // namespace fhe
