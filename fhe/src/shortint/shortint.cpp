// shortint ciphertexts: encoding, LUTs, PBS, linear operations (reference/tfhe-rs.md §2.10-§3).
#include "fhe/shortint.h"

#include <algorithm>
#include <string>

namespace fhe::shortint {

namespace {
uint64_t modulus_sup(const ShortintParams& p) {
  return p.message_modulus * p.carry_modulus;
}

Ciphertext encrypt_raw(const ClientKey& ck, uint64_t m, uint64_t degree, Csprng& mask,
                       Csprng& noise) {
  const ShortintParams& p = *ck.params;
  Ciphertext c;
  c.params = &p;
  // KS->PBS: ciphertexts live under the big key with the GLWE noise.
  c.ct = lwe_encrypt(ck.big_lwe(), m * p.delta(), p.glwe_noise, mask, noise);
  c.degree = degree;
  c.noise_level = 1;
  return c;
}
// Negate the first half box, then rotate left by half a box: the negacyclic centering that lets a
// phase within half a box of m * box select box m (TFHE-rs fill_accumulator).
void center_boxes(uint64_t* body, std::size_t n, std::size_t box) {
  const std::size_t half = box / 2;
  for (std::size_t j = 0; j < half; ++j) body[j] = 0 - body[j];
  std::rotate(body, body + half, body + n);
}
}  // namespace

Ciphertext encrypt(const ClientKey& ck, uint64_t m, Csprng& mask, Csprng& noise) {
  if (!ck.params) throw ShortintError("encrypt: client key has no parameters");
  const uint64_t mm = m % ck.params->message_modulus;
  // TFHE-rs sets the degree of a fresh encryption to message_modulus - 1.
  return encrypt_raw(ck, mm, ck.params->message_modulus - 1, mask, noise);
}

Ciphertext encrypt_without_padding_reduction(const ClientKey& ck, uint64_t m, Csprng& mask,
                                             Csprng& noise) {
  if (!ck.params) throw ShortintError("encrypt: client key has no parameters");
  const uint64_t mm = m % modulus_sup(*ck.params);
  return encrypt_raw(ck, mm, mm, mask, noise);
}

uint64_t decrypt_message_and_carry(const ClientKey& ck, const Ciphertext& ct) {
  check_same_params(ck.params, ct.params, "decrypt");
  const ShortintParams& p = *ck.params;
  if (ct.ct.dimension() != p.ciphertext_lwe_dimension()) {
    throw ShortintError("decrypt: ciphertext dimension " + std::to_string(ct.ct.dimension()) +
                        " does not match the key (" + std::to_string(p.ciphertext_lwe_dimension()) +
                        ")");
  }
  const uint64_t phase = lwe_phase(ck.big_lwe(), ct.ct);
  const uint64_t delta = p.delta();
  // divide_round(phase, delta) % (2 * msg * carry), then drop the padding bit.
  const uint64_t rounded = (phase + delta / 2) / delta;
  const uint64_t sup = modulus_sup(p);
  return (rounded % (2 * sup)) % sup;
}

uint64_t decrypt(const ClientKey& ck, const Ciphertext& ct) {
  return decrypt_message_and_carry(ck, ct) % ck.params->message_modulus;
}

Ciphertext trivial(const ShortintParams& p, uint64_t m) {
  Ciphertext c;
  c.params = &p;
  const uint64_t mm = m % p.message_modulus;
  c.ct = lwe_trivial(p.ciphertext_lwe_dimension(), mm * p.delta());
  c.degree = mm;
  c.noise_level = 0;
  return c;
}

LookupTable make_lut(const ShortintParams& p, const std::function<uint64_t(uint64_t)>& f) {
  return make_lut_with_input_modulus(p, modulus_sup(p), f);
}

LookupTable make_lut_with_input_modulus(const ShortintParams& p, uint64_t sup,
                                        const std::function<uint64_t(uint64_t)>& f) {
  LookupTable lut;
  lut.params = &p;
  lut.acc = GlweCiphertext(p.glwe_dimension, p.polynomial_size);
  const std::size_t n = p.polynomial_size;
  const std::size_t box = n / sup;
  uint64_t* body = lut.acc.poly(p.glwe_dimension);
  uint64_t max_value = 0;
  for (uint64_t i = 0; i < sup; ++i) {
    const uint64_t v = f(i);
    max_value = std::max(max_value, v);
    for (std::size_t j = 0; j < box; ++j) body[i * box + j] = v * p.delta();
  }
  center_boxes(body, n, box);
  lut.degree = max_value;
  return lut;
}

LookupTable make_bivariate_lut(const ShortintParams& p,
                               const std::function<uint64_t(uint64_t, uint64_t)>& f) {
  const uint64_t factor = p.message_modulus;
  return make_lut(p, [&](uint64_t x) { return f((x / factor) % p.message_modulus, x % factor); });
}

ManyLookupTable make_many_lut(const ShortintParams& p,
                              const std::vector<std::function<uint64_t(uint64_t)>>& fs) {
  const uint64_t sup = modulus_sup(p);
  if (fs.empty() || fs.size() > sup / 2) {
    throw ShortintError("make_many_lut: " + std::to_string(fs.size()) + " functions (1 to " +
                        std::to_string(sup / 2) + " fit in one table)");
  }
  ManyLookupTable lut;
  lut.params = &p;
  lut.acc = GlweCiphertext(p.glwe_dimension, p.polynomial_size);
  const std::size_t n = p.polynomial_size;
  const std::size_t box = n / sup;
  lut.max_input_degree = sup / fs.size() - 1;
  lut.stride = (lut.max_input_degree + 1) * box;
  lut.degrees.assign(fs.size(), 0);
  uint64_t* body = lut.acc.poly(p.glwe_dimension);
  for (std::size_t i = 0; i < fs.size(); ++i) {
    for (uint64_t x = 0; x <= lut.max_input_degree; ++x) {
      const uint64_t v = fs[i](x);
      lut.degrees[i] = std::max(lut.degrees[i], v);
      std::fill_n(body + i * lut.stride + x * box, box, v * p.delta());
    }
  }
  center_boxes(body, n, box);
  return lut;
}

Evaluator::Evaluator(const ServerKey& sk) : sk_(&sk) {
  if (!sk.params || !sk.fft) throw ShortintError("Evaluator: incomplete server key");
  acc_ = GlweCiphertext(sk.params->glwe_dimension, sk.params->polynomial_size);
  scratch_.ks_out = LweCiphertext(sk.params->lwe_dimension);
  scratch_.ms.assign(sk.params->lwe_dimension + 1, 0);
}

void Evaluator::check(const Ciphertext& c, const char* what) const {
  check_same_params(sk_->params, c.params, what);
  if (c.ct.dimension() != sk_->params->ciphertext_lwe_dimension()) {
    throw ShortintError(std::string(what) + ": ciphertext has dimension " +
                        std::to_string(c.ct.dimension()) + ", expected " +
                        std::to_string(sk_->params->ciphertext_lwe_dimension()));
  }
}

// The largest degree a block may have: beyond it the value spills into the padding bit.
static uint64_t max_degree(const ShortintParams& p) {
  return modulus_sup(p) - 1;
}

static void check_degree(uint64_t degree, const ShortintParams& p, const char* what) {
  if (degree > max_degree(p)) {
    throw ShortintError(std::string(what) + ": degree " + std::to_string(degree) +
                        " exceeds the maximum " + std::to_string(max_degree(p)) +
                        " (the value would reach the padding bit)");
  }
}

void Evaluator::keyswitch_raw(const LweCiphertext& in, LweCiphertext& out) {
  if (in.dimension() != sk_->ksk.input_dimension) {
    throw ShortintError("keyswitch: input dimension " + std::to_string(in.dimension()) +
                        ", expected " + std::to_string(sk_->ksk.input_dimension));
  }
  if (out.dimension() != sk_->ksk.output_dimension) out = LweCiphertext(sk_->ksk.output_dimension);
  keyswitch(sk_->ksk, in, out);
}

void Evaluator::rotate(const LweCiphertext& in, const GlweCiphertext& acc) {
  const ShortintParams& p = *sk_->params;
  if (in.dimension() != p.ciphertext_lwe_dimension()) {
    throw ShortintError("bootstrap: input dimension " + std::to_string(in.dimension()) +
                        ", expected " + std::to_string(p.ciphertext_lwe_dimension()));
  }
  keyswitch(sk_->ksk, in, scratch_.ks_out);
  modulus_switch(scratch_.ks_out, p.log2_2n(), p.mod_switch, scratch_.ms.data());
  acc_.data = acc.data;
  blind_rotate(sk_->bsk, *sk_->fft, scratch_.ms.data(), acc_, scratch_);
  ++pbs_count_;
}

void Evaluator::blind_rotate_extract(const FourierBootstrapKey& bsk, const uint32_t* ms_input,
                                     const GlweCiphertext& acc, LweCiphertext& out) {
  if (bsk.polynomial_size != acc_.polynomial_size || bsk.glwe_dimension != acc_.glwe_dimension) {
    throw ShortintError("blind rotation: key does not produce the compute GLWE");
  }
  acc_.data = acc.data;
  blind_rotate(bsk, *sk_->fft, ms_input, acc_, scratch_);
  ++pbs_count_;
  sample_extract(acc_, 0, out);
}

void Evaluator::blind_rotate_extract_batch(const FourierBootstrapKey& bsk,
                                           std::span<const uint32_t* const> ms_inputs,
                                           std::span<const GlweCiphertext* const> accs,
                                           std::span<LweCiphertext* const> outs) {
  if (bsk.polynomial_size != acc_.polynomial_size || bsk.glwe_dimension != acc_.glwe_dimension) {
    throw ShortintError("blind rotation: key does not produce the compute GLWE");
  }
  if (ms_inputs.size() != accs.size() || accs.size() != outs.size()) {
    throw ShortintError("blind rotation: batch arrays of different lengths");
  }
  const std::size_t n = outs.size();
  grow_batch(n);
  std::vector<GlweCiphertext*> rot(n);
  for (std::size_t c = 0; c < n; ++c) {
    batch_acc_[c].data = accs[c]->data;
    rot[c] = &batch_acc_[c];
  }
  blind_rotate_batch(bsk, *sk_->fft, ms_inputs, rot, scratch_);
  pbs_count_ += n;
  for (std::size_t c = 0; c < n; ++c) sample_extract(batch_acc_[c], 0, *outs[c]);
}

void Evaluator::bootstrap_raw(const LweCiphertext& in, const LookupTable& lut, LweCiphertext& out) {
  check_same_params(sk_->params, lut.params, "bootstrap (lookup table)");
  rotate(in, lut.acc);
  sample_extract(acc_, 0, out);
}

void Evaluator::check_pbs_input(const Ciphertext& in, const ShortintParams* lut_params,
                                const char* what) {
  check(in, what);
  check_same_params(sk_->params, lut_params, what);
  check_degree(in.degree, params(), what);
  if (in.noise_level > params().max_noise_level) {
    throw ShortintError(std::string(what) + ": noise level " + std::to_string(in.noise_level) +
                        " exceeds the maximum " + std::to_string(params().max_noise_level));
  }
}

Ciphertext Evaluator::apply_lut(const Ciphertext& in, const LookupTable& lut) {
  check_pbs_input(in, lut.params, "apply_lut");
  Ciphertext out;
  out.params = in.params;
  rotate(in.ct, lut.acc);
  sample_extract(acc_, 0, out.ct);
  out.degree = lut.degree;
  out.noise_level = 1;
  return out;
}

void Evaluator::grow_batch(std::size_t n) {
  const ShortintParams& p = *sk_->params;
  while (batch_acc_.size() < n) {
    batch_ks_.emplace_back(p.lwe_dimension);
    batch_ms_.emplace_back(p.lwe_dimension + 1, 0);
    batch_acc_.emplace_back(p.glwe_dimension, p.polynomial_size);
  }
}

void Evaluator::apply_lut_batch(std::span<const LutJob> jobs) {
  for (const LutJob& j : jobs) check_pbs_input(*j.in, j.lut->params, "apply_lut");
  const ShortintParams& p = *sk_->params;
  const std::size_t n = jobs.size();
  grow_batch(n);
  std::vector<const LweCiphertext*> ks_in(n);
  std::vector<LweCiphertext*> ks_out(n);
  std::vector<const uint32_t*> ms(n);
  std::vector<GlweCiphertext*> accs(n);
  for (std::size_t c = 0; c < n; ++c) {
    ks_in[c] = &jobs[c].in->ct;
    ks_out[c] = &batch_ks_[c];
    ms[c] = batch_ms_[c].data();
    accs[c] = &batch_acc_[c];
  }
  keyswitch_batch(sk_->ksk, ks_in, ks_out);
  for (std::size_t c = 0; c < n; ++c) {
    modulus_switch(batch_ks_[c], p.log2_2n(), p.mod_switch, batch_ms_[c].data());
    batch_acc_[c].data = jobs[c].lut->acc.data;
  }
  blind_rotate_batch(sk_->bsk, *sk_->fft, ms, accs, scratch_);
  pbs_count_ += n;
  for (std::size_t c = 0; c < n; ++c) {
    const LutJob& j = jobs[c];
    const ShortintParams* params = j.in->params;
    const uint64_t degree = j.lut->degree;
    sample_extract(batch_acc_[c], 0, j.out->ct);
    j.out->params = params;
    j.out->degree = degree;
    j.out->noise_level = 1;
  }
}

std::vector<Ciphertext> Evaluator::apply_many_lut(const Ciphertext& in,
                                                  const ManyLookupTable& lut) {
  check_pbs_input(in, lut.params, "apply_many_lut");
  if (in.degree > lut.max_input_degree) {
    throw ShortintError("apply_many_lut: input degree " + std::to_string(in.degree) +
                        " exceeds the table's maximum " + std::to_string(lut.max_input_degree));
  }
  rotate(in.ct, lut.acc);
  std::vector<Ciphertext> out(lut.degrees.size());
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i].params = in.params;
    sample_extract(acc_, i * lut.stride, out[i].ct);
    out[i].degree = lut.degrees[i];
    out[i].noise_level = 1;
  }
  return out;
}

Ciphertext Evaluator::apply_bivariate_lut(const Ciphertext& lhs, const Ciphertext& rhs,
                                          const LookupTable& lut) {
  check(lhs, "apply_bivariate_lut");
  check(rhs, "apply_bivariate_lut");
  const uint64_t msg = params().message_modulus;
  if (rhs.degree >= msg) {
    throw ShortintError("apply_bivariate_lut: right operand degree " + std::to_string(rhs.degree) +
                        " must be below the message modulus " + std::to_string(msg));
  }
  check_degree(lhs.degree * msg + rhs.degree, params(), "apply_bivariate_lut");
  const Ciphertext packed = add(scalar_mul(lhs, msg), rhs);
  return apply_lut(packed, lut);
}

Ciphertext Evaluator::message_extract(const Ciphertext& in) {
  const uint64_t msg = params().message_modulus;
  return apply_lut(in, make_lut(params(), [msg](uint64_t x) { return x % msg; }));
}

Ciphertext Evaluator::carry_extract(const Ciphertext& in) {
  const uint64_t msg = params().message_modulus;
  return apply_lut(in, make_lut(params(), [msg](uint64_t x) { return x / msg; }));
}

Ciphertext Evaluator::add(const Ciphertext& a, const Ciphertext& b) const {
  check(a, "add");
  check(b, "add");
  Ciphertext r = a;
  for (std::size_t i = 0; i < r.ct.data.size(); ++i) r.ct.data[i] += b.ct.data[i];
  r.degree = a.degree + b.degree;
  check_degree(r.degree, params(), "add");
  r.noise_level = a.noise_level + b.noise_level;
  return r;
}

Ciphertext Evaluator::sub_raw(const Ciphertext& a, const Ciphertext& b) const {
  check(a, "sub");
  check(b, "sub");
  Ciphertext r = a;
  for (std::size_t i = 0; i < r.ct.data.size(); ++i) r.ct.data[i] -= b.ct.data[i];
  r.noise_level = a.noise_level + b.noise_level;
  return r;
}

Ciphertext Evaluator::scalar_mul(const Ciphertext& a, uint64_t c) const {
  check(a, "scalar_mul");
  Ciphertext r = a;
  for (auto& v : r.ct.data) v *= c;
  r.degree = a.degree * c;
  check_degree(r.degree, params(), "scalar_mul");
  r.noise_level = a.noise_level * c;
  return r;
}

Ciphertext Evaluator::scalar_add(const Ciphertext& a, uint64_t c) const {
  check(a, "scalar_add");
  Ciphertext r = a;
  r.ct.body() += c * params().delta();
  r.degree = a.degree + c;
  check_degree(r.degree, params(), "scalar_add");
  return r;
}

Ciphertext Evaluator::neg_with_correcting_term(const Ciphertext& a, uint64_t* z_out) const {
  check(a, "neg");
  const uint64_t msg = params().message_modulus;
  uint64_t z = (a.degree + msg - 1) / msg;
  if (z == 0) z = 1;
  z *= msg;
  Ciphertext r = a;
  for (auto& v : r.ct.data) v = 0 - v;
  r.ct.body() += z * params().delta();
  r.degree = z;
  if (z_out) *z_out = z;
  return r;
}

Ciphertext Evaluator::bitnot(const Ciphertext& a) const {
  check(a, "bitnot");
  const uint64_t msg = params().message_modulus;
  if (a.degree >= msg) throw ShortintError("bitnot: the block's carry is not empty");
  Ciphertext r = a;
  for (auto& v : r.ct.data) v = 0 - v;
  r.ct.body() += (msg - 1) * params().delta();
  r.degree = msg - 1;
  return r;
}

}  // namespace fhe::shortint
