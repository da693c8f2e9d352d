// A synthetic ERC20 workload as the host-listener would insert it (reference/fhevm-coprocessor.md
// §1.1, §12): per transfer one host transaction with
//   amount = TrivialEncrypt(value, Uint64); ok = FheGe(from, amount);
//   from' = FheIfThenElse(ok, FheSub(from, amount), from); to' = FheIfThenElse(ok, FheAdd(to,
//   amount), to)
// (upstream's "whitepaper" transfer), where only the new balances are allowed. A first
// transaction mints the initial balances (TrivialEncrypt, allowed). Handles are derived
// deterministically (keccak256 of the workload seed, transaction and position) with the FHEVM
// layout: byte 21 = 0xff, bytes 22..29 the chain id, byte 30 the type, byte 31 version 0.
#pragma once

#include <cstdint>
#include <vector>

#include "coprocessor/dfg.h"

namespace coproc {

struct Erc20Workload {
  std::vector<ComputationRow> rows;         // in insertion order
  std::vector<Bytes> transactions;          // host transaction ids, in order (32 bytes each)
  std::vector<Handle> final_balances;       // per account, the last allowed balance handle
  std::vector<uint64_t> expected_balances;  // their cleartext values
};

Erc20Workload make_erc20_workload(std::size_t accounts, std::size_t transfers, uint64_t seed,
                                  uint64_t chain_id = 12345);

// A handle of the FHEVM layout from a 32-byte preimage hash.
Handle make_handle(const std::array<uint8_t, 32>& prehandle, uint64_t chain_id, uint8_t type);

}  // namespace coproc
