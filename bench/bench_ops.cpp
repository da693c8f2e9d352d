// fhe_ops_bench: latency of the integer operators at the real FHEVM parameters, each next to its
// PBS count and to the time those PBS take alone in the same run, and the ERC20 transfer
// (upstream's "whitepaper" variant: ge, add, sub and two selects on FheUint64).
//
// "PBS alone" is measured in this run: one batch of independent PBS (a 64-bit bitand: 32 of them
// in parallel on the engine's workers) gives the time of one PBS with all workers busy; an
// operator's "PBS-only" time is its PBS count times that. The ratio shows how much of the
// operator is bootstraps and how well it keeps the workers busy (1.0 = as good as a full batch).
//
//   fhe_ops_bench [--bits 8,16,32,64,128,256] [--ops add,mul,...] [--threads N] [--no-erc20]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "fhe/integer.h"
#include "fhe/keys.h"
#include "fhe/threads.h"

namespace {

using fhe::FheType;
using fhe::U256;
using fhe::integer::Ciphertext;
using fhe::integer::Cmp;
using fhe::integer::Engine;
using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string x;
  while (std::getline(ss, x, ',')) {
    if (!x.empty()) out.push_back(x);
  }
  return out;
}

struct Op {
  // a, b: operands of the width; cond: an FheBool; pbs: PBS run outside the engine (OPRF).
  std::function<Ciphertext(Engine&, const Ciphertext&, const Ciphertext&, const Ciphertext&,
                           uint64_t& pbs)>
      run;
  uint32_t max_bits;  // default cap: the cost of some operators grows fast with the width
};

using Bin = Ciphertext (Engine::*)(const Ciphertext&, const Ciphertext&);
Op binary(Bin f, uint32_t max_bits = 256) {
  return {[f](Engine& e, const Ciphertext& a, const Ciphertext& b, const Ciphertext&, uint64_t&) {
            return (e.*f)(a, b);
          },
          max_bits};
}
Op cmp(Cmp c) {
  return {[c](Engine& e, const Ciphertext& a, const Ciphertext& b, const Ciphertext&, uint64_t&) {
            return e.compare(c, a, b);
          },
          256};
}

const std::map<std::string, Op>& ops() {
  static const std::map<std::string, Op> m = {
      {"add", binary(&Engine::add)},
      {"sub", binary(&Engine::sub)},
      {"mul", binary(&Engine::mul, 128)},
      {"div", binary(&Engine::div, 32)},
      {"rem", binary(&Engine::rem, 32)},
      {"bitand", binary(&Engine::bitand_)},
      {"bitor", binary(&Engine::bitor_)},
      {"bitxor", binary(&Engine::bitxor_)},
      {"shl", binary(&Engine::shl)},
      {"shr", binary(&Engine::shr)},
      {"rotl", binary(&Engine::rotl)},
      {"rotr", binary(&Engine::rotr)},
      {"eq", cmp(Cmp::Eq)},
      {"ne", cmp(Cmp::Ne)},
      {"gt", cmp(Cmp::Gt)},
      {"ge", cmp(Cmp::Ge)},
      {"lt", cmp(Cmp::Lt)},
      {"le", cmp(Cmp::Le)},
      {"min", binary(&Engine::min)},
      {"max", binary(&Engine::max)},
      {"neg",
       {[](Engine& e, const Ciphertext& a, const Ciphertext&, const Ciphertext&, uint64_t&) {
          return e.neg(a);
        },
        256}},
      {"not",
       {[](Engine& e, const Ciphertext& a, const Ciphertext&, const Ciphertext&, uint64_t&) {
          return e.bitnot(a);
        },
        256}},
      {"select",
       {[](Engine& e, const Ciphertext& a, const Ciphertext& b, const Ciphertext& cond, uint64_t&) {
          return e.if_then_else(cond, a, b);
        },
        256}},
      {"cast",  // to the next wider type (zero extension) and back (truncation)
       {[](Engine& e, const Ciphertext& a, const Ciphertext&, const Ciphertext&, uint64_t&) {
          return e.cast(e.cast(a, FheType::uint(a.type.bits == 256 ? 128 : 2 * a.type.bits)),
                        a.type);
        },
        256}},
      {"sum",  // 10 operands
       {[](Engine& e, const Ciphertext& a, const Ciphertext& b, const Ciphertext&, uint64_t&) {
          return e.sum({a, b, a, b, a, b, a, b, a, b}, a.type);
        },
        256}},
      {"is_in",  // a set of 10
       {[](Engine& e, const Ciphertext& a, const Ciphertext& b, const Ciphertext&, uint64_t&) {
          return e.is_in(a, {b, b, b, b, b, b, b, b, b, a});
        },
        256}},
      {"muldiv",  // encrypted factors, divisor 7 (a 2x-wide division)
       {[](Engine& e, const Ciphertext& a, const Ciphertext& b, const Ciphertext&, uint64_t&) {
          return fhe::integer::mul_div(e, a, b, U256{7});
        },
        16}},
      {"rand",
       {[](Engine& e, const Ciphertext& a, const Ciphertext&, const Ciphertext&, uint64_t& pbs) {
          return fhe::integer::random(e.server_key(), a.type, 12345, a.type.bits, &pbs);
        },
        256}},
      {"trivial",
       {[](Engine& e, const Ciphertext& a, const Ciphertext&, const Ciphertext&, uint64_t&) {
          const uint8_t v[4] = {1, 2, 3, 4};
          return fhe::integer::trivial_encrypt_fhevm(e.params(), a.type, v);
        },
        256}},
  };
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<uint32_t> widths = {8, 16, 32, 64, 128, 256};
  std::vector<std::string> names;
  for (const auto& [name, op] : ops()) names.push_back(name);
  unsigned threads = 0;
  bool erc20 = true;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--bits" && i + 1 < argc) {
      widths.clear();
      for (const auto& w : split(argv[++i])) widths.push_back(static_cast<uint32_t>(std::stoul(w)));
    } else if (a == "--ops" && i + 1 < argc) {
      names = split(argv[++i]);
    } else if (a == "--threads" && i + 1 < argc) {
      threads = static_cast<unsigned>(std::stoul(argv[++i]));
    } else if (a == "--no-erc20") {
      erc20 = false;
    } else {
      std::printf(
          "usage: fhe_ops_bench [--bits 8,16,32,64,128,256] [--ops add,mul,...] [--threads N] "
          "[--no-erc20]\n  operators: every fhEVM operator (add cast div eq ... trivial)\n"
          "  (by default mul runs up to 128 bits, div and rem up to 32, muldiv up to 16; name "
          "wider ones with --bits)\n");
      return a == "--help" ? 0 : 2;
    }
  }
  const bool widths_given = [&] {
    for (int i = 1; i < argc; ++i)
      if (std::string(argv[i]) == "--bits") return true;
    return false;
  }();

  std::fprintf(stderr, "ops bench: generating keys (real FHEVM parameters)...\n");
  const fhe::ClientKey ck = fhe::generate_client_key(fhe::kFhevmCompute, 7);
  const fhe::ServerKey sk = fhe::generate_server_key(ck, 8);
  Engine e(sk, threads);
  fhe::Csprng mask(9), noise(10);

  // One PBS with every worker busy: a 64-bit bitand is one batch of 32 independent PBS.
  const FheType u64 = FheType::uint(64);
  const Ciphertext x = fhe::integer::encrypt(ck, u64, U256{0x0123456789abcdefULL}, mask, noise);
  const Ciphertext y = fhe::integer::encrypt(ck, u64, U256{0xfedcba9876543210ULL}, mask, noise);
  const Ciphertext cond = fhe::integer::encrypt(ck, FheType::boolean(), U256{1}, mask, noise);
  // Measured again before every operator: on a shared machine the load drifts during the run,
  // and a stale reference would distort the ratios.
  auto pbs_alone = [&] {
    double best = 1e30;
    for (int rep = 0; rep < 3; ++rep) {
      const auto t0 = Clock::now();
      (void)e.bitand_(x, y);
      best = std::min(best, ms_since(t0) / 32.0);
    }
    return best;
  };
  double pbs_ms = pbs_alone();
  std::printf(
      "PBS alone (batch of 32, %u threads): %.2f ms per PBS (%.0f PBS/s); measured again "
      "before each operator\n\n",
      e.threads(), pbs_ms, 1000.0 / pbs_ms);
  std::printf("%-8s %5s %11s %7s %13s %7s\n", "op", "bits", "latency ms", "PBS", "PBS-only ms",
              "ratio");
  for (const auto& name : names) {
    const auto it = ops().find(name);
    if (it == ops().end()) {
      std::fprintf(stderr, "unknown operator %s\n", name.c_str());
      return 2;
    }
    pbs_ms = pbs_alone();
    for (uint32_t bits : widths) {
      if (!widths_given && bits > it->second.max_bits) continue;
      const FheType t = FheType::uint(bits);
      const U256 va = U256::max().truncate(bits) - U256{12345};
      const U256 vb = U256{bits + 3};
      const Ciphertext a = fhe::integer::encrypt(ck, t, va, mask, noise);
      const Ciphertext b = fhe::integer::encrypt(ck, t, vb, mask, noise);
      uint64_t extra = 0;
      const uint64_t before = e.pbs_count();
      const auto t0 = Clock::now();
      (void)it->second.run(e, a, b, cond, extra);
      const double ms = ms_since(t0);
      const uint64_t pbs = e.pbs_count() - before + extra;
      const double alone = static_cast<double>(pbs) * pbs_ms;
      std::printf("%-8s %5u %11.1f %7llu %13.1f %7.2f\n", name.c_str(), bits, ms,
                  static_cast<unsigned long long>(pbs), alone, pbs ? ms / alone : 0.0);
      std::fflush(stdout);
    }
  }
  if (erc20) {
    pbs_ms = pbs_alone();
    // ERC20 transfer, whitepaper variant: ok = from >= amount; from' = ok ? from - amount : from;
    // to' = ok ? to + amount : to.
    const Ciphertext from = fhe::integer::encrypt(ck, u64, U256{1000000}, mask, noise);
    const Ciphertext to = fhe::integer::encrypt(ck, u64, U256{5000}, mask, noise);
    const Ciphertext amount = fhe::integer::encrypt(ck, u64, U256{2500}, mask, noise);
    const uint64_t before = e.pbs_count();
    const auto t0 = Clock::now();
    const Ciphertext ok = e.compare(Cmp::Ge, from, amount);
    const Ciphertext new_from = e.if_then_else(ok, e.sub(from, amount), from);
    const Ciphertext new_to = e.if_then_else(ok, e.add(to, amount), to);
    const double ms = ms_since(t0);
    const uint64_t pbs = e.pbs_count() - before;
    const bool right = fhe::integer::decrypt(ck, new_from) == U256{997500} &&
                       fhe::integer::decrypt(ck, new_to) == U256{7500};
    std::printf(
        "\nERC20 transfer (FheUint64, ge + sub + add + 2 selects): %.1f ms, %.2f transfers/s, "
        "%llu PBS (PBS-only %.1f ms, ratio %.2f)%s\n",
        ms, 1000.0 / ms, static_cast<unsigned long long>(pbs), static_cast<double>(pbs) * pbs_ms,
        ms / (static_cast<double>(pbs) * pbs_ms), right ? "" : "  WRONG RESULT");
    if (!right) return 1;
  }
  return 0;
}
