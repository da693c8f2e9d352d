#include "fhe/keys.h"

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

ServerKeyMaterial generate_server_key_material(const ClientKey& ck, u128 seed,
                                               KeygenProgress* progress) {
  if (ck.params == nullptr) throw ParamError("server key generation: client key has no parameters");
  const ShortintParams& p = *ck.params;
  Csprng root(seed);
  const u128 ksk_mask = root.next_u128(), ksk_noise = root.next_u128();
  const u128 bsk_mask = root.next_u128(), bsk_noise = root.next_u128();

  ServerKeyMaterial m;
  m.params = &p;
  if (progress) progress->report("keyswitch key", 0, 2);
  {
    Csprng mask(ksk_mask), noise(ksk_noise);
    // Big (k*N) -> small (n); entries are encrypted under the small key: LWE noise.
    m.ksk = generate_keyswitch_key(ck.big_lwe(), ck.lwe, p.ks, p.lwe_noise, mask, noise);
  }
  if (progress) progress->report("bootstrap key", 1, 2);
  m.bsk = generate_bootstrap_key(ck.lwe, ck.glwe, p.pbs, p.glwe_noise, bsk_mask, bsk_noise);
  if (progress) progress->report("done", 2, 2);
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
}

static ServerKey with_fourier_bsk(const ServerKeyMaterial& m, FftKind fft_kind) {
  ServerKey sk;
  sk.params = m.params;
  sk.fft = make_fft(m.params->polynomial_size, fft_kind);
  sk.bsk = to_fourier(m.bsk, *sk.fft);
  return sk;
}

ServerKey make_server_key(const ServerKeyMaterial& m, FftKind fft_kind) {
  validate(m);
  ServerKey sk = with_fourier_bsk(m, fft_kind);
  sk.ksk = m.ksk;
  return sk;
}

ServerKey make_server_key(ServerKeyMaterial&& m, FftKind fft_kind) {
  validate(m);
  ServerKey sk = with_fourier_bsk(m, fft_kind);
  sk.ksk = std::move(m.ksk);
  return sk;
}

ServerKey generate_server_key(const ClientKey& ck, u128 seed, FftKind fft_kind,
                              KeygenProgress* progress) {
  return make_server_key(generate_server_key_material(ck, seed, progress), fft_kind);
}

}  // namespace fhe
