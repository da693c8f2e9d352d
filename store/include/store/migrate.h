// Schema migrations: the SQL files of store/migrations/, compiled into the library.
//
// A migration file is named NNNN_description.sql (version NNNN, ascending, never renumbered) and
// holds plain statements, without BEGIN/COMMIT and without CREATE INDEX CONCURRENTLY: migrate()
// runs each file in its own transaction. A file, once released, is never edited (its SHA-256 is
// recorded and checked); changes go into a new file.
//
// Applied migrations are recorded in the table
//   coprocessor_migrations(version bigint primary key, description text,
//                          applied_at timestamptz default now(), checksum bytea)
// (checksum = SHA-256 of the file's text with CR bytes removed, computed at build time).
//
// Concurrency: migrate() takes the transaction-scoped advisory lock kMigrationLockKey before it
// reads or writes anything, so several processes may migrate the same database at once; one
// applies each migration and the others then find it applied.
#pragma once

#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

#include "store/pg.h"

namespace store {

// One embedded migration.
struct Migration {
  int64_t version;
  std::string_view description;  // from the file name, underscores as spaces
  std::string_view sql;
  std::string_view sha256_hex;  // of `sql`, 64 lowercase hex digits
};

// The embedded migrations, in ascending version order.
std::span<const Migration> migrations();

// The schema cannot be migrated as it is: an applied migration differs from (or is unknown to)
// this build. Not retryable; needs an operator.
class MigrationError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// pg_advisory_xact_lock key held while migrating ("coprmig" in ASCII).
inline constexpr int64_t kMigrationLockKey = 0x636f70726d6967;

// Applies the pending migrations in version order, each in its own transaction, and returns how
// many it applied (0 when the schema is current). Throws MigrationError when an applied
// migration's checksum differs from the embedded file or its version is unknown to this build;
// DbError when a statement fails (the failing migration is rolled back, earlier ones stay). The
// connection must not be inside a transaction.
int migrate(Connection& conn);

// The highest applied migration version; 0 for a database never migrated.
int64_t schema_version(Connection& conn);

}  // namespace store
