// Inserting computations as the host-listener does (reference/fhevm-coprocessor.md §1.1, §10.2):
// `computations` rows (intermediates that are not allowed are inserted completed, as upstream),
// one dependence chain per host transaction with its dependency_count (producer chains of this
// insert or still pending) and dependents, and for allowed handles `allowed_handles` and
// `pbs_computations` rows. Idempotent: inserting the same workload twice changes nothing.
#pragma once

#include <cstdint>

#include "coprocessor/workload.h"

namespace store {
class Connection;
}

namespace coproc {

// One database transaction. `block_number` and `host_chain_id` fill the columns of that name.
void ingest(store::Connection& conn, const std::vector<ComputationRow>& rows,
            uint64_t host_chain_id, int64_t block_number);

// The keys table: our server key (native format), the compact public key (TFHE-rs format) and,
// for the test role that stands in for the KMS only, the client key (native format).
int64_t insert_keys(store::Connection& conn, const std::vector<uint8_t>& server_key,
                    const std::vector<uint8_t>& compact_public_key,
                    const std::vector<uint8_t>* client_key);

}  // namespace coproc
