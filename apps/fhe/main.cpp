// fhe: command-line tool for the TFHE engine. Thin: flags -> engine calls -> files.
//
//   fhe keygen --out DIR [--tfhe-rs-client-key FILE] [--seed N] [--params fhevm|toy]
//   fhe export-client-key DIR
//   fhe encrypt --keys DIR --type T --value V
//   fhe decrypt --keys DIR [--type T] FILE
//   fhe eval lut --keys DIR --type T --fn F FILE
//   fhe eval --keys DIR --op OP --type T OPERANDS...
//   fhe compress --keys DIR --type T FILE / fhe decompress --keys DIR FILE
//   fhe demo [--params fhevm|toy] [--seed N]
//
// Errors (bad input, missing files, mismatched parameter sets) print one line "fhe: error: ..."
// and exit with status 1; usage errors exit with status 2 (CLI11).
#include <fcntl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "../common/cli_util.h"
#include "fhe/aligned.h"
#include "fhe/compression.h"
#include "fhe/integer.h"
#include "fhe/keys.h"
#include "fhe/native_format.h"
#include "fhe/shortint.h"
#include "fhe/tfhers.h"

namespace fs = std::filesystem;
using fhe::u128;

using namespace cli;  // NOLINT: the shared CLI helpers

namespace {

// ---- Cleartext values (decimal or 0x-hex; true/false for bool) ----
fhe::U256 parse_value(const std::string& s, const fhe::FheType& t) {
  if (t.is_bool) {
    if (s == "true" || s == "1") return fhe::U256{1};
    if (s == "false" || s == "0") return fhe::U256{0};
    throw CliError("a bool value is true, false, 1 or 0 (got " + quoted(s) + ")");
  }
  fhe::U256 v;
  try {
    v = fhe::U256::parse(s);
  } catch (const std::invalid_argument&) {
    if (!s.empty() &&
        std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      throw CliError("value " + quoted(s) + " does not fit in " + t.name());
    }
    throw CliError("not an unsigned integer: " + quoted(s));
  }
  if (v.bit_width() > t.bits) throw CliError("value " + quoted(s) + " does not fit in " + t.name());
  return v;
}

// The value of decrypted blocks (least significant first, 2 bits each; bool: block != 0).
std::string format_value(const std::vector<uint64_t>& blocks, bool is_bool) {
  if (is_bool) return blocks.at(0) != 0 ? "true" : "false";
  fhe::U256 v;
  for (std::size_t i = blocks.size(); i-- > 0;) v = (v << 2) | fhe::U256{blocks[i] & 3};
  return v.to_string();
}

// ---- Keys directory ----
const char* kClientKeyFile = "client_key.bin";
const char* kServerKeyFile = "server_key.bin";
constexpr uint64_t kKeyFileLimit = uint64_t{2} << 30;  // as FHEVM's key limit

fhe::ClientKey load_client_key(const fs::path& dir) {
  const fs::path p = dir / kClientKeyFile;
  if (!fs::exists(p)) throw CliError("no client key in " + dir.string() + " (run fhe keygen)");
  const SecretBytes bytes(read_file(p, kKeyFileLimit));
  return fhe::native::deserialize_client_key(bytes.v);
}

fhe::ServerKey load_server_key(const fs::path& dir) {
  const fs::path p = dir / kServerKeyFile;
  if (!fs::exists(p)) throw CliError("no server key in " + dir.string() + " (run fhe keygen)");
  return fhe::make_server_key(fhe::native::deserialize_server_key(read_file(p, kKeyFileLimit)));
}

struct StderrProgress : fhe::KeygenProgress {
  Clock::time_point t0 = Clock::now();
  void report(const char* stage, std::size_t done, std::size_t total) override {
    std::fflush(stdout);  // keep the order of interleaved stdout/stderr lines
    std::fprintf(stderr, "keygen: [%zu/%zu] %s (%.2f s)\n", done, total, stage, seconds_since(t0));
  }
};

// Lets toy keys and ciphertexts be read: only when the user chose --params toy or the keys are
// toy keys (the opt-in is explicit either way).
void maybe_allow_toy(const fs::path& keys) {
  const fs::path p = keys / kClientKeyFile;
  const fs::path s = keys / kServerKeyFile;
  for (const auto& f : {p, s}) {
    if (!fs::exists(f)) continue;
    std::ifstream in(f, std::ios::binary);
    char head[16] = {};
    in.read(head, sizeof head);
    uint32_t id = 0;
    for (int i = 3; i >= 0; --i) id = (id << 8) | static_cast<uint8_t>(head[12 + i]);
    if (in && id == static_cast<uint32_t>(fhe::ParamSetId::Toy)) fhe::allow_insecure(true);
    return;
  }
}

// ---- Commands ----
void cmd_keygen(const std::string& out, const std::string& tfhers_ck, const std::string& seed_s,
                const std::string& params_name) {
  const auto t0 = Clock::now();
  const u128 seed = seed_s.empty() ? fhe::Csprng::os_seed() : parse_seed(seed_s);
  fhe::Csprng seeds(seed);
  const u128 client_seed = seeds.next_u128(), server_seed = seeds.next_u128();
  fhe::ClientKey ck;
  if (!tfhers_ck.empty()) {
    const SecretBytes bytes(read_file(tfhers_ck, fhe::tfhers::kKeyLimit));
    ck = fhe::tfhers::safe_deserialize_client_key(bytes.v);
    std::fprintf(stderr, "keygen: imported TFHE-rs client key %s (%s)\n", tfhers_ck.c_str(),
                 std::string(ck.params->name).c_str());
  } else {
    if (params_name == "toy") fhe::allow_insecure(true);
    ck = fhe::generate_client_key(fhe::params_by_name(params_name), client_seed);
    std::fprintf(stderr, "keygen: new client key (%s)\n", std::string(ck.params->name).c_str());
  }
  // The compression and compact-public-key secret keys of the meta set (a TFHE-rs client key
  // of the default config has neither).
  fhe::Csprng meta_secret(seeds.next_u128());
  fhe::add_meta_keys(ck, meta_secret);
  StderrProgress progress;
  fhe::ServerKeyMaterial m = fhe::generate_server_key_material(ck, server_seed, &progress);
  fs::create_directories(out);
  write_file(fs::path(out) / kClientKeyFile, SecretBytes(fhe::native::serialize_client_key(ck)).v,
             0600);
  write_file(fs::path(out) / kServerKeyFile, fhe::native::serialize_server_key(m), 0644);
  std::fprintf(stderr, "keygen: wrote %s/{%s,%s} in %.2f s\n", out.c_str(), kClientKeyFile,
               kServerKeyFile, seconds_since(t0));
}

void cmd_export_client_key(const std::string& dir) {
  maybe_allow_toy(dir);
  write_stdout(SecretBytes(fhe::tfhers::safe_serialize(load_client_key(dir))).v);
}

void cmd_encrypt(const std::string& dir, const std::string& type, const std::string& value) {
  maybe_allow_toy(dir);
  const fhe::tfhers::FheType t = fhe::tfhers::parse_fhe_type(type);
  const fhe::U256 v = parse_value(value, t);
  const fhe::ClientKey ck = load_client_key(dir);
  fhe::Csprng mask(fhe::Csprng::os_seed()), noise(fhe::Csprng::os_seed());
  fhe::tfhers::FheCiphertext ct;
  ct.is_bool = t.is_bool;
  ct.blocks = fhe::integer::encrypt(ck, t, v, mask, noise).blocks;
  write_stdout(fhe::tfhers::safe_serialize(ct));
}

void cmd_decrypt(const std::string& dir, const std::string& type, const std::string& file) {
  maybe_allow_toy(dir);
  const fhe::ClientKey ck = load_client_key(dir);
  fhe::tfhers::FheType t;
  if (!type.empty()) t = fhe::tfhers::parse_fhe_type(type);
  const fhe::tfhers::FheCiphertext ct = fhe::tfhers::safe_deserialize_ciphertext(
      read_file(file, fhe::tfhers::kCiphertextLimit), fhe::tfhers::kCiphertextLimit,
      type.empty() ? nullptr : &t);
  std::vector<uint64_t> blocks;
  for (const auto& b : ct.blocks) blocks.push_back(fhe::shortint::decrypt(ck, b));
  std::cout << format_value(blocks, ct.is_bool) << "\n";
}

// FHEVM's storage form: the ciphertext as a one-element CompressedCiphertextList.
void cmd_compress(const std::string& dir, const std::string& type, const std::string& file) {
  maybe_allow_toy(dir);
  const fhe::tfhers::FheType t = fhe::tfhers::parse_fhe_type(type);
  fhe::tfhers::FheCiphertext ct = fhe::tfhers::safe_deserialize_ciphertext(
      read_file(file, fhe::tfhers::kCiphertextLimit), fhe::tfhers::kCiphertextLimit, &t);
  const fhe::ServerKey sk = load_server_key(dir);
  const auto t0 = Clock::now();
  const fhe::shortint::CompressedBlocks blocks = fhe::shortint::compress(sk, ct.blocks);
  fhe::tfhers::DataKind kind;
  kind.kind = t.is_bool ? fhe::tfhers::DataKindTag::Boolean : fhe::tfhers::DataKindTag::Unsigned;
  kind.blocks = t.is_bool ? 0 : ct.blocks.size();
  const auto bytes = fhe::tfhers::safe_serialize(fhe::tfhers::to_wire(blocks, {kind}));
  std::fprintf(stderr, "compress: %s, %zu blocks -> %zu bytes in %.1f ms\n", t.name().c_str(),
               ct.blocks.size(), bytes.size(), 1e3 * seconds_since(t0));
  write_stdout(bytes);
}

// A one-element CompressedCiphertextList back to an FheBool/FheUint (one PBS per block).
void cmd_decompress(const std::string& dir, const std::string& file) {
  maybe_allow_toy(dir);
  const fhe::ServerKey sk = load_server_key(dir);
  const fhe::tfhers::CompressedList list = fhe::tfhers::safe_deserialize_compressed_list(
      read_file(file, fhe::tfhers::kCiphertextLimit), fhe::tfhers::kCiphertextLimit,
      &fhe::meta_params(*sk.params));
  if (list.info.size() != 1 || (list.info[0].kind != fhe::tfhers::DataKindTag::Boolean &&
                                list.info[0].kind != fhe::tfhers::DataKindTag::Unsigned)) {
    throw CliError("decompress: expected one FheBool or FheUint in the list (got " +
                   std::to_string(list.info.size()) + " values)");
  }
  const auto t0 = Clock::now();
  fhe::tfhers::FheCiphertext out;
  out.is_bool = list.info[0].kind == fhe::tfhers::DataKindTag::Boolean;
  out.blocks = fhe::shortint::decompress_all(sk, fhe::tfhers::from_wire(list, *sk.params));
  if (out.is_bool) out.blocks[0].degree = 1;  // a boolean block holds 0 or 1
  std::fprintf(stderr, "decompress: %zu blocks (%zu PBS) in %.1f ms\n", out.blocks.size(),
               out.blocks.size(), 1e3 * seconds_since(t0));
  write_stdout(fhe::tfhers::safe_serialize(out));
}

fhe::shortint::LookupTable named_lut(const fhe::ShortintParams& p, const std::string& fn,
                                     bool is_bool) {
  const uint64_t msg = is_bool ? 2 : p.message_modulus;
  std::function<uint64_t(uint64_t)> f;
  if (fn == "identity") {
    f = [msg](uint64_t x) { return x % msg; };
  } else if (fn == "not") {
    f = [msg](uint64_t x) { return (msg - 1) - (x % msg); };
  } else if (fn == "double") {
    f = [msg](uint64_t x) { return (2 * x) % msg; };
  } else if (fn == "square") {
    f = [msg](uint64_t x) { return (x * x) % msg; };
  } else if (fn == "neg") {
    f = [msg](uint64_t x) { return (msg - x % msg) % msg; };
  } else if (fn.size() == 6 && fn.rfind("const", 0) == 0 && fn[5] >= '0' && fn[5] <= '3') {
    const uint64_t c = static_cast<uint64_t>(fn[5] - '0') % msg;
    f = [c](uint64_t) { return c; };
  } else {
    throw CliError("unknown function " + quoted(fn) +
                   " (known: identity, not, double, square, neg, const0..const3)");
  }
  return fhe::shortint::make_lut(p, f);
}

void cmd_eval_lut(const std::string& dir, const std::string& type, const std::string& fn,
                  const std::string& file) {
  maybe_allow_toy(dir);
  const fhe::tfhers::FheType t = fhe::tfhers::parse_fhe_type(type);
  if (t.num_blocks() != 1) {
    throw CliError("eval lut works on one-block values (bool, uint2); " + t.name() + " has " +
                   std::to_string(t.num_blocks()) + " blocks");
  }
  fhe::tfhers::FheCiphertext ct = fhe::tfhers::safe_deserialize_ciphertext(
      read_file(file, fhe::tfhers::kCiphertextLimit), fhe::tfhers::kCiphertextLimit, &t);
  const fhe::ServerKey sk = load_server_key(dir);
  fhe::shortint::Evaluator ev(sk);
  const auto lut = named_lut(*sk.params, fn, t.is_bool);
  const auto t0 = Clock::now();
  ct.blocks[0] = ev.apply_lut(ct.blocks[0], lut);
  std::fprintf(stderr, "eval: %s on %s: 1 PBS in %.1f ms\n", fn.c_str(), t.name().c_str(),
               1e3 * seconds_since(t0));
  write_stdout(fhe::tfhers::safe_serialize(ct));
}

// A number operand (decimal or 0x hex) as a U256, with the operand's role in errors.
fhe::U256 number_operand(const std::string& s, const char* what) {
  try {
    return fhe::U256::parse(s);
  } catch (const std::invalid_argument& e) {
    throw CliError(std::string(what) + " " + quoted(s) + ": " + e.what());
  }
}

std::vector<uint8_t> be32(const fhe::U256& v) {
  std::vector<uint8_t> out(32);
  for (int i = 0; i < 32; ++i) out[31 - i] = static_cast<uint8_t>(v.w[i / 8] >> (8 * (i % 8)));
  return out;
}

void write_result(const fhe::integer::Ciphertext& r) {
  fhe::tfhers::FheCiphertext out;
  out.is_bool = r.type.is_bool;
  out.blocks = r.blocks;
  write_stdout(fhe::tfhers::safe_serialize(out));
}

// The FHEVM operators whose operands are mostly scalars: trivial VALUE, rand SEED,
// rand_bounded BOUND SEED, muldiv A B DIVISOR (B a file or a number).
void eval_fhevm_special(const std::string& dir, const std::string& op, const fhe::FheType& t,
                        const std::vector<std::string>& operands) {
  const std::size_t arity = op == "muldiv" ? 3 : op == "rand_bounded" ? 2 : 1;
  if (operands.size() != arity) {
    throw CliError(op + " takes " + std::to_string(arity) + " operand(s), got " +
                   std::to_string(operands.size()));
  }
  const fhe::ServerKey sk = load_server_key(dir);
  const auto t0 = Clock::now();
  uint64_t pbs = 0;
  fhe::integer::Ciphertext r;
  if (op == "trivial") {
    r = fhe::integer::trivial_encrypt_fhevm(*sk.params, t,
                                            be32(number_operand(operands[0], "value")));
  } else if (op == "rand" || op == "rand_bounded") {
    const fhe::U256 seed = number_operand(operands.back(), "seed");
    if (seed.w[2] != 0 || seed.w[3] != 0) throw CliError("seed: at most 128 bits (bytes16)");
    const u128 s = (static_cast<u128>(seed.w[1]) << 64) | seed.w[0];
    uint64_t bits = t.bits;
    if (op == "rand_bounded") {
      bits = fhe::integer::random_bits_for_bound(be32(number_operand(operands[0], "bound")), t);
    }
    r = fhe::integer::random(sk, t, s, bits, &pbs);
  } else {
    const fhe::U256 d = number_operand(operands[2], "divisor");
    fhe::tfhers::FheCiphertext a = fhe::tfhers::safe_deserialize_ciphertext(
        read_file(operands[0], fhe::tfhers::kCiphertextLimit), fhe::tfhers::kCiphertextLimit, &t);
    fhe::integer::Ciphertext b;
    if (operands[1].find('/') == std::string::npos && !operands[1].empty() &&
        std::isdigit(static_cast<unsigned char>(operands[1][0]))) {
      b = fhe::integer::trivial(*sk.params, t, number_operand(operands[1], "factor"));
    } else {
      b = fhe::integer::Ciphertext{t, fhe::tfhers::safe_deserialize_ciphertext(
                                          read_file(operands[1], fhe::tfhers::kCiphertextLimit),
                                          fhe::tfhers::kCiphertextLimit, &t)
                                          .blocks};
    }
    fhe::integer::Engine engine(sk);
    r = fhe::integer::mul_div(engine, fhe::integer::Ciphertext{t, std::move(a.blocks)}, b, d);
    pbs = engine.pbs_count();
  }
  std::fprintf(stderr, "eval: %s on %s: %llu PBS in %.1f ms\n", op.c_str(), t.name().c_str(),
               static_cast<unsigned long long>(pbs), 1e3 * seconds_since(t0));
  write_result(r);
}

// fhe eval --op: one fhEVM operator on ciphertext files and scalars.
void cmd_eval_op(const std::string& dir, const std::string& op, const std::string& type_s,
                 const std::string& to_s, const std::vector<std::string>& operands) {
  if (dir.empty() || op.empty() || type_s.empty()) {
    throw CliError(
        "eval needs --keys, --op and --type (or the lut subcommand); see fhe eval --help");
  }
  maybe_allow_toy(dir);
  const fhe::FheType t = fhe::tfhers::parse_fhe_type(type_s);
  using fhe::integer::Cmp;
  static const std::map<
      std::string,
      std::pair<int, std::function<fhe::integer::Ciphertext(
                         fhe::integer::Engine&, const std::vector<fhe::integer::Ciphertext>&)>>>
      kOps = {
          {"add", {2, [](auto& e, const auto& x) { return e.add(x[0], x[1]); }}},
          {"sub", {2, [](auto& e, const auto& x) { return e.sub(x[0], x[1]); }}},
          {"neg", {1, [](auto& e, const auto& x) { return e.neg(x[0]); }}},
          {"bitand", {2, [](auto& e, const auto& x) { return e.bitand_(x[0], x[1]); }}},
          {"bitor", {2, [](auto& e, const auto& x) { return e.bitor_(x[0], x[1]); }}},
          {"bitxor", {2, [](auto& e, const auto& x) { return e.bitxor_(x[0], x[1]); }}},
          {"not", {1, [](auto& e, const auto& x) { return e.bitnot(x[0]); }}},
          {"eq", {2, [](auto& e, const auto& x) { return e.compare(Cmp::Eq, x[0], x[1]); }}},
          {"ne", {2, [](auto& e, const auto& x) { return e.compare(Cmp::Ne, x[0], x[1]); }}},
          {"gt", {2, [](auto& e, const auto& x) { return e.compare(Cmp::Gt, x[0], x[1]); }}},
          {"ge", {2, [](auto& e, const auto& x) { return e.compare(Cmp::Ge, x[0], x[1]); }}},
          {"lt", {2, [](auto& e, const auto& x) { return e.compare(Cmp::Lt, x[0], x[1]); }}},
          {"le", {2, [](auto& e, const auto& x) { return e.compare(Cmp::Le, x[0], x[1]); }}},
          {"min", {2, [](auto& e, const auto& x) { return e.min(x[0], x[1]); }}},
          {"max", {2, [](auto& e, const auto& x) { return e.max(x[0], x[1]); }}},
          {"mul", {2, [](auto& e, const auto& x) { return e.mul(x[0], x[1]); }}},
          {"div", {2, [](auto& e, const auto& x) { return e.div(x[0], x[1]); }}},
          {"rem", {2, [](auto& e, const auto& x) { return e.rem(x[0], x[1]); }}},
          {"if_then_else",
           {3, [](auto& e, const auto& x) { return e.if_then_else(x[0], x[1], x[2]); }}},
          {"cast", {1, nullptr}},
      };
  // Shifts and rotations: a cleartext amount (a number) or an encrypted one of the same type;
  // the two follow TFHE-rs 1.6.3's scalar and encrypted semantics (see fhe/integer.h).
  static const std::map<std::string, fhe::integer::Ciphertext (fhe::integer::Engine::*)(
                                         const fhe::integer::Ciphertext&, const fhe::U256&)>
      kShifts = {{"shl", &fhe::integer::Engine::scalar_shl},
                 {"shr", &fhe::integer::Engine::scalar_shr},
                 {"rotl", &fhe::integer::Engine::scalar_rotl},
                 {"rotr", &fhe::integer::Engine::scalar_rotr}};
  if (op == "trivial" || op == "rand" || op == "rand_bounded" || op == "muldiv") {
    eval_fhevm_special(dir, op, t, operands);
    return;
  }
  // sum and is_in take any number of operands (is_in: VALUE SET...).
  const bool variadic = op == "sum" || op == "is_in";
  const auto it = kOps.find(op);
  const auto shift = kShifts.find(op);
  if (it == kOps.end() && shift == kShifts.end() && !variadic) {
    throw CliError("unknown operator " + quoted(op) + " (see fhe eval --help)");
  }
  if (op == "is_in" && operands.empty()) throw CliError("is_in takes VALUE SET...");
  const int arity = variadic                 ? static_cast<int>(operands.size())
                    : shift != kShifts.end() ? 2
                                             : it->second.first;
  if (static_cast<int>(operands.size()) != arity) {
    throw CliError(op + " takes " + std::to_string(arity) + " operand(s), got " +
                   std::to_string(operands.size()));
  }
  if (op == "cast" && to_s.empty()) throw CliError("cast needs --to TYPE");
  const fhe::ServerKey sk = load_server_key(dir);
  auto is_number = [](const std::string& s) {
    return !s.empty() && s.find('/') == std::string::npos &&
           std::all_of(s.begin(), s.end(),
                       [](char c) {
                         return std::isxdigit(static_cast<unsigned char>(c)) || c == 'x' ||
                                c == 'X';
                       }) &&
           std::isdigit(static_cast<unsigned char>(s[0]));
  };
  std::vector<fhe::integer::Ciphertext> in;
  for (std::size_t i = 0; i < operands.size(); ++i) {
    // if_then_else: the condition is a bool; the other operands have --type.
    const fhe::FheType ti = (op == "if_then_else" && i == 0) ? fhe::FheType::boolean() : t;
    if (is_number(operands[i])) {
      if (i != 1 || arity != 2 || variadic) {
        throw CliError(
            "a scalar operand is allowed only as the second operand of a binary operator");
      }
      fhe::U256 v;
      try {
        v = fhe::U256::parse(operands[i]);
      } catch (const std::invalid_argument& e) {
        throw CliError("scalar " + quoted(operands[i]) + ": " + e.what());
      }
      in.push_back(fhe::integer::trivial(*sk.params, ti, v));
      continue;
    }
    fhe::tfhers::FheCiphertext c = fhe::tfhers::safe_deserialize_ciphertext(
        read_file(operands[i], fhe::tfhers::kCiphertextLimit), fhe::tfhers::kCiphertextLimit, &ti);
    in.push_back(fhe::integer::Ciphertext{ti, std::move(c.blocks)});
  }
  fhe::integer::Engine engine(sk);
  const auto t0 = Clock::now();
  fhe::integer::Ciphertext r;
  if (op == "cast") {
    r = engine.cast(in[0], fhe::tfhers::parse_fhe_type(to_s));
  } else if (op == "sum") {
    r = engine.sum(in, t);
  } else if (op == "is_in") {
    r = engine.is_in(in[0], std::vector<fhe::integer::Ciphertext>(in.begin() + 1, in.end()));
  } else if (shift != kShifts.end() && is_number(operands[1])) {
    r = (engine.*(shift->second))(in[0], fhe::U256::parse(operands[1]));
  } else if (shift != kShifts.end()) {
    static const std::map<std::string,
                          fhe::integer::Ciphertext (fhe::integer::Engine::*)(
                              const fhe::integer::Ciphertext&, const fhe::integer::Ciphertext&)>
        kEncShifts = {{"shl", &fhe::integer::Engine::shl},
                      {"shr", &fhe::integer::Engine::shr},
                      {"rotl", &fhe::integer::Engine::rotl},
                      {"rotr", &fhe::integer::Engine::rotr}};
    r = (engine.*(kEncShifts.at(op)))(in[0], in[1]);
  } else {
    r = it->second.second(engine, in);
  }
  std::fprintf(stderr, "eval: %s on %s: %llu PBS in %.1f ms (%u threads)\n", op.c_str(),
               t.name().c_str(), static_cast<unsigned long long>(engine.pbs_count()),
               1e3 * seconds_since(t0), engine.threads());
  write_result(r);
}

void cmd_demo(const std::string& params_name, const std::string& seed_s) {
  if (params_name == "toy") fhe::allow_insecure(true);
  const fhe::ShortintParams& p = fhe::params_by_name(params_name);
  const u128 seed = seed_s.empty() ? fhe::Csprng::os_seed() : parse_seed(seed_s);
  fhe::Csprng seeds(seed);
  std::printf("fhe demo: parameter set %s%s\n", std::string(p.name).c_str(),
              p.insecure ? " (INSECURE toy set)" : "");
  std::printf("  n=%u k=%u N=%u  PBS base 2^%u x %u  KS base 2^%u x %u  message %llu carry %llu\n",
              p.lwe_dimension, p.glwe_dimension, p.polynomial_size, p.pbs.base_log, p.pbs.level,
              p.ks.base_log, p.ks.level, static_cast<unsigned long long>(p.message_modulus),
              static_cast<unsigned long long>(p.carry_modulus));

  auto t0 = Clock::now();
  const fhe::ClientKey ck = fhe::generate_client_key(p, seeds.next_u128());
  std::printf("1. client key generated                      %9.3f ms\n", 1e3 * seconds_since(t0));
  StderrProgress progress;
  t0 = Clock::now();
  const fhe::ServerKey sk =
      fhe::generate_server_key(ck, seeds.next_u128(), fhe::FftKind::Auto, &progress);
  std::printf("2. server keys generated (KSK %.1f MB, BSK %.1f MB, FFT %s) %9.1f ms\n",
              static_cast<double>(sk.ksk.data.size() * 8) / 1e6,
              static_cast<double>(sk.bsk.data.size() * 8) / 1e6,
              std::string(sk.fft->name()).c_str(), 1e3 * seconds_since(t0));

  fhe::Csprng mask(seeds.next_u128()), noise(seeds.next_u128());
  fhe::shortint::Evaluator ev(sk);
  const auto lut = fhe::shortint::make_lut(p, [](uint64_t x) { return (x * x + 1) % 4; });
  int failures = 0;
  double enc_ms = 0, pbs_ms = 0, dec_ms = 0;
  std::printf("3. encrypt m, bootstrap through f(m) = (m*m + 1) mod 4, decrypt:\n");
  for (uint64_t m = 0; m < p.message_modulus; ++m) {
    t0 = Clock::now();
    const auto c = fhe::shortint::encrypt(ck, m, mask, noise);
    enc_ms += 1e3 * seconds_since(t0);
    t0 = Clock::now();
    const auto r = ev.apply_lut(c, lut);
    const double one = 1e3 * seconds_since(t0);
    pbs_ms += one;
    t0 = Clock::now();
    const uint64_t got = fhe::shortint::decrypt(ck, r);
    dec_ms += 1e3 * seconds_since(t0);
    const uint64_t want = (m * m + 1) % 4;
    if (got != want) ++failures;
    std::printf("   m=%llu -> f(m)=%llu (expected %llu)  %s  PBS %.1f ms\n",
                static_cast<unsigned long long>(m), static_cast<unsigned long long>(got),
                static_cast<unsigned long long>(want), got == want ? "ok" : "WRONG", one);
  }
  const double cnt = static_cast<double>(p.message_modulus);
  std::printf(
      "4. mean times: encrypt %.3f ms, PBS (KS + blind rotation) %.1f ms, decrypt %.3f ms\n",
      enc_ms / cnt, pbs_ms / cnt, dec_ms / cnt);
  std::printf("%s\n", failures == 0 ? "demo: all results correct" : "demo: WRONG RESULTS");
  if (failures) throw CliError("demo produced wrong results");
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"fhe: TFHE engine tool (keys, encryption, bootstrapping) with TFHE-rs formats"};
  app.require_subcommand(1);

  std::string out, tfhers_ck, seed, params = "fhevm";
  auto* keygen = app.add_subcommand(
      "keygen",
      "Generate a client key and server keys into a directory (or derive server keys "
      "from a TFHE-rs client key)");
  keygen->add_option("--out", out, "Output directory")->required();
  keygen->add_option("--tfhe-rs-client-key", tfhers_ck,
                     "TFHE-rs ClientKey (safe_serialize bytes) to derive server keys from");
  keygen->add_option("--seed", seed, "Decimal seed for reproducible keys (default: random)");
  keygen->add_option("--params", params, "Parameter set: fhevm, or toy (INSECURE, tests only)")
      ->check(CLI::IsMember({"fhevm", "toy"}));

  std::string dir;
  auto* exp = app.add_subcommand("export-client-key",
                                 "Write the client key of DIR as a TFHE-rs ClientKey to stdout");
  exp->add_option("DIR", dir, "Keys directory")->required();

  std::string keys, type, value, file, fn;
  auto* enc = app.add_subcommand(
      "encrypt", "Encrypt a value; writes a TFHE-rs safe-serialized FheBool/FheUintN to stdout");
  enc->add_option("--keys", keys, "Keys directory")->required();
  enc->add_option("--type", type, "bool, uint2, uint4, uint8, ..., uint160, uint256")->required();
  enc->add_option("--value", value, "Value: decimal or 0x-hex; true/false for bool")->required();

  auto* comp =
      app.add_subcommand("compress",
                         "Compress a ciphertext into FHEVM's storage form (a one-element TFHE-rs "
                         "CompressedCiphertextList); writes it to stdout");
  comp->add_option("--keys", keys, "Keys directory")->required();
  comp->add_option("--type", type, "bool, uint2, uint4, uint8, ..., uint160, uint256")->required();
  comp->add_option("FILE", file, "FheBool/FheUintN file")->required();
  auto* decomp = app.add_subcommand(
      "decompress",
      "Decompress a one-element CompressedCiphertextList (one PBS per block); writes the "
      "FheBool/FheUintN to stdout");
  decomp->add_option("--keys", keys, "Keys directory")->required();
  decomp->add_option("FILE", file, "CompressedCiphertextList file")->required();

  auto* dec = app.add_subcommand("decrypt", "Decrypt a TFHE-rs FheBool/FheUintN file");
  dec->add_option("--keys", keys, "Keys directory")->required();
  dec->add_option("--type", type, "Expected type (checks the block count)");
  dec->add_option("FILE", file, "Ciphertext file")->required();

  std::string op, to_type;
  std::vector<std::string> operands;
  auto* eval = app.add_subcommand(
      "eval",
      "Homomorphic evaluation with the server keys: fhe eval --keys DIR --op OP --type T "
      "OPERANDS... writes the result ciphertext to stdout (or: fhe eval lut ...)");
  eval->require_subcommand(0, 1);
  eval->add_option("--keys", keys, "Keys directory");
  eval->add_option(
      "--op", op,
      "add, sub, mul, div, rem, neg, bitand, bitor, bitxor, not, shl, shr, rotl, rotr, eq, ne, "
      "gt, ge, lt, le, min, max, if_then_else, cast, sum, is_in, muldiv, trivial, rand, "
      "rand_bounded");
  eval->add_option("--type", type, "Operand type: bool, uint2 ... uint256");
  eval->add_option("--to", to_type, "cast: the target type");
  eval->add_option("OPERANDS", operands,
                   "Ciphertext files; a number is a cleartext scalar (second operand only; write "
                   "./NAME for a file whose name is a number). if_then_else: COND A B; "
                   "muldiv: A B DIVISOR; trivial: VALUE; rand: SEED; rand_bounded: BOUND SEED "
                   "(SEED: the event's bytes16 as a number)");
  auto* lut = eval->add_subcommand("lut",
                                   "Bootstrap a one-block value (bool, uint2) through a "
                                   "lookup table; writes the result to stdout");
  lut->add_option("--keys", keys, "Keys directory")->required();
  lut->add_option("--type", type, "bool or uint2")->required();
  lut->add_option("--fn", fn, "identity, not, double, square, neg, const0..const3")->required();
  lut->add_option("FILE", file, "Ciphertext file")->required();

  auto* demo = app.add_subcommand(
      "demo", "Generate keys, encrypt, bootstrap through a lookup table, decrypt; print timings");
  demo->add_option("--params", params, "Parameter set: fhevm, or toy (INSECURE)")
      ->check(CLI::IsMember({"fhevm", "toy"}));
  demo->add_option("--seed", seed, "Decimal seed (default: random)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help exits 0; usage errors exit 2 (the message names the problem and the usage).
    return app.exit(e) == 0 ? 0 : 2;
  }
  try {
    if (*keygen) cmd_keygen(out, tfhers_ck, seed, params);
    if (*exp) cmd_export_client_key(dir);
    if (*enc) cmd_encrypt(keys, type, value);
    if (*dec) cmd_decrypt(keys, type, file);
    if (*comp) cmd_compress(keys, type, file);
    if (*decomp) cmd_decompress(keys, file);
    if (*lut) {
      cmd_eval_lut(keys, type, fn, file);
    } else if (*eval) {
      cmd_eval_op(keys, op, type, to_type, operands);
    }
    if (*demo) cmd_demo(params, seed);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fhe: error: %s\n", e.what());
    return 1;
  }
  return 0;
}
