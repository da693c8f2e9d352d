#include "store/migrate.h"

#include <algorithm>
#include <map>

namespace store {
namespace detail {
// Defined in the generated migrations_embedded.cpp (store/cmake/embed_migrations.cmake).
extern const Migration kEmbeddedMigrations[];
extern const size_t kEmbeddedMigrationCount;
}  // namespace detail

namespace {

constexpr std::string_view kCreateTable =
    "CREATE TABLE IF NOT EXISTS coprocessor_migrations ("
    " version bigint PRIMARY KEY,"
    " description text NOT NULL,"
    " applied_at timestamptz NOT NULL DEFAULT now(),"
    " checksum bytea NOT NULL)";

Bytes from_hex(std::string_view hex) {
  auto nibble = [](char c) -> uint8_t {
    if (c >= '0' && c <= '9') return static_cast<uint8_t>(c - '0');
    if (c >= 'a' && c <= 'f') return static_cast<uint8_t>(c - 'a' + 10);
    if (c >= 'A' && c <= 'F') return static_cast<uint8_t>(c - 'A' + 10);
    throw std::logic_error("embedded migration checksum is not hex");
  };
  Bytes out(hex.size() / 2);
  for (size_t i = 0; i < out.size(); ++i) {
    out[i] = static_cast<uint8_t>(nibble(hex[2 * i]) << 4 | nibble(hex[2 * i + 1]));
  }
  return out;
}

std::string name_of(const Migration& m) {
  return "migration " + std::to_string(m.version) + " (" + std::string(m.description) + ")";
}

}  // namespace

std::span<const Migration> migrations() {
  static const std::span<const Migration> all = [] {
    std::span<const Migration> s(detail::kEmbeddedMigrations, detail::kEmbeddedMigrationCount);
    for (size_t i = 1; i < s.size(); ++i) {
      if (s[i].version <= s[i - 1].version) {
        throw std::logic_error("embedded migrations are not in strictly ascending version order");
      }
    }
    return s;
  }();
  return all;
}

int migrate(Connection& conn) {
  if (conn.in_transaction()) {
    throw MigrationError("migrate: the connection is inside a transaction");
  }
  const std::span<const Migration> all = migrations();
  int applied_now = 0;
  for (;;) {
    Transaction tx(conn);
    tx.exec("SELECT pg_advisory_xact_lock($1)", kMigrationLockKey);
    conn.exec_script(kCreateTable);

    // What is applied must be exactly what this build embeds.
    std::map<int64_t, Bytes> applied;
    const Result r = tx.exec("SELECT version, checksum FROM coprocessor_migrations");
    for (int i = 0; i < r.rows(); ++i) {
      applied.emplace(r.get<int64_t>(i, 0), r.get<Bytes>(i, 1));
    }
    for (const auto& [version, checksum] : applied) {
      const auto it = std::find_if(all.begin(), all.end(),
                                   [v = version](const Migration& m) { return m.version == v; });
      if (it == all.end()) {
        throw MigrationError("migrate: the database has migration " + std::to_string(version) +
                             ", unknown to this build (a newer schema?); refusing to run");
      }
      if (checksum != from_hex(it->sha256_hex)) {
        throw MigrationError("migrate: " + name_of(*it) +
                             " was applied with a different checksum than this build's file "
                             "(edited after release?); refusing to run");
      }
    }

    const auto next = std::find_if(
        all.begin(), all.end(), [&](const Migration& m) { return !applied.contains(m.version); });
    if (next == all.end()) {
      tx.commit();
      return applied_now;
    }
    try {
      conn.exec_script(next->sql);
    } catch (const DbError& e) {
      throw DbError(e.sqlstate(), "migrate: " + name_of(*next) + ": " + e.message(),
                    e.is_connection_error());
    }
    tx.exec(
        "INSERT INTO coprocessor_migrations (version, description, checksum) VALUES ($1, $2, $3)",
        next->version, next->description, from_hex(next->sha256_hex));
    tx.commit();
    ++applied_now;
  }
}

int64_t schema_version(Connection& conn) {
  const Result exists = conn.exec("SELECT to_regclass('coprocessor_migrations') IS NOT NULL");
  if (!exists.get<bool>(0, 0)) return 0;
  return conn.exec("SELECT coalesce(max(version), 0) FROM coprocessor_migrations")
      .get<int64_t>(0, 0);
}

}  // namespace store
