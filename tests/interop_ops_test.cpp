// Operators on node-tfhe ciphertexts: node-tfhe@1.7.0 generates a ClientKey and encrypts FheBool,
// FheUint8 and FheUint64 operands (tests/interop/ops.js); we derive server keys from the imported
// key, run every implemented operator at least once per type, write the results in TFHE-rs's
// format, node-tfhe decrypts them, and the values must equal the plain reference.
// (node-tfhe has no homomorphic operators, so the reference is ours.)
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "fhe/compression.h"
#include "fhe/cpk.h"
#include "fhe/integer.h"
#include "fhe/tfhers.h"
#include "integer_ref.h"

#ifndef FHE_TOOLS_DIR
#error "FHE_TOOLS_DIR must be defined"
#endif
#ifndef FHE_INTEROP_DIR
#error "FHE_INTEROP_DIR must be defined"
#endif

namespace fhe {
namespace {

namespace fs = std::filesystem;
using integer::Cmp;
using CT = integer::Ciphertext;

std::string run_node(const std::string& args) {
  const std::string cmd = "node " FHE_INTEROP_DIR "/ops.js " FHE_TOOLS_DIR " " + args;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return "<popen failed>";
  std::string out;
  char buf[4096];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  const int rc = pclose(p);
  EXPECT_EQ(rc, 0) << cmd;
  return out;
}

std::vector<uint8_t> read_bytes(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

struct Result {
  std::string what;
  std::string file;
  std::string type;  // node-side type name
  U256 expected;
};

TEST(InteropOps, NodeEncryptsWeComputeNodeDecrypts) {
  const fs::path dir = fs::temp_directory_path() / ("fhe-interop-ops-" + std::to_string(getpid()));
  fs::create_directories(dir);
  run_node("prepare " + dir.string());

  ClientKey ck = tfhers::safe_deserialize_client_key(read_bytes(dir / "ck.bin"));
  Csprng secret(98);
  add_meta_keys(ck, secret);  // compression and CPK keys (node-tfhe's default config has none)
  const ServerKey sk = generate_server_key(ck, 99);
  integer::Engine e(sk, 2);

  std::ifstream values(dir / "values.txt");
  std::string tname, sa, sb;
  std::vector<Result> results;
  std::vector<std::string> lines;
  int idx = 0;
  auto save = [&](const std::string& what, const CT& r, const U256& expected) {
    std::string name = std::to_string(idx++);
    name.append(".bin");
    const std::string file = (dir / name).string();
    tfhers::FheCiphertext out;
    out.is_bool = r.type.is_bool;
    out.blocks = r.blocks;
    const auto bytes = tfhers::safe_serialize(out);
    std::ofstream(file, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()),
               static_cast<std::streamsize>(bytes.size()));
    const std::string type = r.type.is_bool ? "bool" : r.type.name();
    results.push_back({what, file, type, expected});
  };
  while (values >> tname >> sa >> sb) {
    const FheType t = parse_fhe_type(tname);
    const U256 va = U256::parse(sa), vb = U256::parse(sb);
    auto load = [&](const char* which) {
      tfhers::FheCiphertext c = tfhers::safe_deserialize_ciphertext(
          read_bytes(dir / (tname + "_" + which + ".bin")), tfhers::kCiphertextLimit, &t);
      return CT{t, std::move(c.blocks)};
    };
    const CT a = load("a"), b = load("b");
    // Every operator that applies to the type, once (scalar forms for a few).
    save(tname + " bitand", e.bitand_(a, b), va & vb);
    save(tname + " bitor", e.bitor_(a, b), va | vb);
    save(tname + " bitxor", e.bitxor_(a, b), va ^ vb);
    save(tname + " not", e.bitnot(a), test::ref::bitnot(t, va));
    save(tname + " eq", e.compare(Cmp::Eq, a, b), test::ref::compare(Cmp::Eq, va, vb));
    save(tname + " ne", e.compare(Cmp::Ne, a, b), test::ref::compare(Cmp::Ne, va, vb));
    save(tname + " if_then_else", e.if_then_else(e.compare(Cmp::Eq, a, a), b, a), vb);
    save(tname + " cast to uint8", e.cast(a, FheType::uint(8)),
         test::ref::cast(t, FheType::uint(8), va));
    {
      // FHEVM's storage path: re-randomize the inputs, compute, compress, decompress.
      CT ra = a, rb = b;
      auto ctx = shortint::fhevm_operation_context(t.is_bool ? 8 : 0);
      ctx.add_ciphertext(ra.blocks);
      ctx.add_ciphertext(rb.blocks);
      auto seeds = ctx.finalize();
      shortint::rerandomize(ra.blocks, sk, seeds.next_seed());
      shortint::rerandomize(rb.blocks, sk, seeds.next_seed());
      const CT r = t.is_bool ? e.bitand_(ra, rb) : e.add(ra, rb);
      const auto list = shortint::compress(sk, r.blocks);
      shortint::Evaluator ev(sk);
      CT back{r.type, {}};
      for (std::size_t i = 0; i < list.size(); ++i)
        back.blocks.push_back(shortint::decompress(ev, list, i));
      save(tname + " rerandomized, compressed", back,
           t.is_bool ? (va & vb) : test::ref::add(t, va, vb));
    }
    {
      const U256 v =
          U256::parse("0x1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcd00");
      const auto bytes = [](const U256& x) {
        std::vector<uint8_t> out(32);
        for (int i = 0; i < 32; ++i)
          out[31 - i] = static_cast<uint8_t>(x.w[i / 8] >> (8 * (i % 8)));
        return out;
      }(v);
      // Bool: the last byte (0x00) decides, not the value.
      save(tname + " trivial", integer::trivial_encrypt_fhevm(*sk.params, t, bytes),
           t.is_bool ? U256{0} : v.truncate(t.bits));
      const CT r = integer::random(sk, t, 0x0123456789abcdefULL, t.bits);
      const U256 rv = integer::decrypt(ck, r);
      EXPECT_TRUE(t.is_bool ? rv.low() <= 1 : rv.bit_width() <= t.bits);
      save(tname + " rand", r, rv);
    }
    if (t.is_bool) continue;
    if (t.bits <= 8) {
      U256 q, rem;
      U256::divmod(va * vb, U256{7}, q, rem);
      save(tname + " muldiv", integer::mul_div(e, a, b, U256{7}), q.truncate(t.bits));
    }
    save(tname + " add", e.add(a, b), test::ref::add(t, va, vb));
    save(tname + " sub", e.sub(a, b), test::ref::sub(t, va, vb));
    save(tname + " scalar sub", e.sub(a, e.scalar(a, U256{5})), test::ref::sub(t, va, U256{5}));
    save(tname + " mul", e.mul(a, b), test::ref::mul(t, va, vb));
    save(tname + " neg", e.neg(a), test::ref::neg(t, va));
    if (t.bits <= 8) {  // bits x blocks PBS: the wide division runs in the conformance table
      save(tname + " div", e.div(a, b), test::ref::div(t, va, vb));
      save(tname + " rem", e.rem(a, b), test::ref::rem(t, va, vb));
    }
    for (Cmp op : {Cmp::Gt, Cmp::Ge, Cmp::Lt, Cmp::Le}) {
      save(tname + " compare " + std::to_string(static_cast<int>(op)), e.compare(op, a, b),
           test::ref::compare(op, va, vb));
    }
    save(tname + " min", e.min(a, b), test::ref::min(va, vb));
    save(tname + " max", e.max(a, b), test::ref::max(va, vb));
    save(tname + " shl 3", e.scalar_shl(a, U256{3}), test::ref::shl(t, va, U256{3}));
    save(tname + " shr 5", e.scalar_shr(a, U256{5}), test::ref::shr(t, va, U256{5}));
    save(tname + " rotl 7", e.scalar_rotl(a, U256{7}), test::ref::rotl(t, va, U256{7}));
    save(tname + " rotr 1", e.scalar_rotr(a, U256{1}), test::ref::rotr(t, va, U256{1}));
    save(tname + " shl by b", e.shl(a, b), test::ref::shl_enc(t, va, vb));
    save(tname + " rotr by b", e.rotr(a, b), test::ref::rotr_enc(t, va, vb));
    save(tname + " sum", e.sum({a, b, a}, t), test::ref::add(t, test::ref::add(t, va, vb), va));
    save(tname + " is_in", e.is_in(b, {a, b}), U256{1});
    save(tname + " cast to bool", e.cast(a, FheType::boolean()), test::ref::boolean(!va.is_zero()));
    save(tname + " cast to uint64", e.cast(a, FheType::uint(64)),
         test::ref::cast(t, FheType::uint(64), va));
  }
  ASSERT_GE(results.size(), 78u);
  {
    std::ofstream list(dir / "list.txt");
    for (const auto& r : results) list << r.file << " " << r.type << "\n";
  }
  std::istringstream got(run_node("decrypt " + dir.string() + " " + (dir / "list.txt").string()));
  std::string line;
  std::size_t i = 0;
  while (std::getline(got, line) && i < results.size()) {
    EXPECT_EQ(line, results[i].expected.to_string()) << results[i].what;
    ++i;
  }
  EXPECT_EQ(i, results.size()) << "node-tfhe decrypted fewer results than we wrote";
  std::printf("[interop] %zu operator results decrypted by node-tfhe, %llu PBS\n", results.size(),
              static_cast<unsigned long long>(e.pbs_count()));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace fhe
