// The store layer against a real PostgreSQL 15 (a private cluster per test binary, pg_cluster.h):
// the libpq wrapper, the migrations and the schema contract of reference/fhevm-coprocessor.md §2-3.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "pg_cluster.h"
#include "store/local_cluster.h"
#include "store/migrate.h"
#include "store/pg.h"

namespace {

using store::Bytes;
using store::Connection;
using store::DbError;
using store::Transaction;
using store::test::PgCluster;
using namespace std::chrono_literals;

// A new empty database on the shared cluster; its conninfo. For the tests of migrate() itself:
// CREATE DATABASE costs about 0.2 s, so the other tests share one migrated database.
std::string fresh_database() {
  static int counter = 0;
  return PgCluster::shared().create_database("db" + std::to_string(++counter));
}

// The cluster's default database, migrated once. Tests that use it write rows with handles from
// new_handle(), so they never collide, and use temporary tables for scratch.
const std::string& migrated_database() {
  static const std::string info = [] {
    std::string conninfo = PgCluster::shared().conninfo();
    Connection c(conninfo);
    store::migrate(c);
    return conninfo;
  }();
  return info;
}

// A 32-byte handle: `seed` repeated, type byte 30 = `type`.
Bytes handle(uint8_t seed, uint8_t type = 5) {
  Bytes h(32, seed);
  h[30] = type;
  h[31] = 0;
  return h;
}

// A handle never returned before in this process (a counter in bytes 0..7).
Bytes new_handle(uint8_t type = 5) {
  static uint64_t counter = 0;
  ++counter;
  Bytes h = handle(0xee, type);
  for (int i = 0; i < 8; ++i) h[static_cast<size_t>(i)] = static_cast<uint8_t>(counter >> (8 * i));
  return h;
}

double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

// ----- migrations ----------------------------------------------------------------------------

TEST(StoreMigrate, FreshDatabaseThenIdempotent) {
  Connection c(fresh_database());
  const auto all = store::migrations();
  ASSERT_GE(all.size(), 2u);
  EXPECT_EQ(all[0].version, 1);
  EXPECT_EQ(all[0].description, "initial");
  EXPECT_EQ(store::schema_version(c), 0);

  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(store::migrate(c), static_cast<int>(all.size()));
  std::printf("[timing] migrate on a fresh database: %.0f ms\n", ms_since(t0));
  EXPECT_EQ(store::schema_version(c), all.back().version);

  const auto t1 = std::chrono::steady_clock::now();
  EXPECT_EQ(store::migrate(c), 0);
  std::printf("[timing] migrate when current: %.1f ms\n", ms_since(t1));
  EXPECT_EQ(store::schema_version(c), all.back().version);

  // The recorded checksum is the server's SHA-256 of the embedded text.
  const auto r = c.exec("SELECT count(*) FROM coprocessor_migrations");
  EXPECT_EQ(r.get<int64_t>(0, 0), static_cast<int64_t>(all.size()));
  for (const store::Migration& m : all) {
    const std::span<const uint8_t> text(reinterpret_cast<const uint8_t*>(m.sql.data()),
                                        m.sql.size());
    const auto row = c.exec(
        "SELECT description, checksum = sha256($2), applied_at IS NOT NULL"
        " FROM coprocessor_migrations WHERE version = $1",
        m.version, text);
    ASSERT_EQ(row.rows(), 1) << m.version;
    EXPECT_EQ(row.get<std::string>(0, 0), m.description);
    EXPECT_TRUE(row.get<bool>(0, 1)) << "checksum of migration " << m.version;
    EXPECT_TRUE(row.get<bool>(0, 2));
  }
}

TEST(StoreMigrate, RefusesChangedOrUnknownMigration) {
  Connection c(fresh_database());
  store::migrate(c);
  c.exec("UPDATE coprocessor_migrations SET checksum = '\\x00' WHERE version = 1");
  try {
    store::migrate(c);
    FAIL() << "migrate accepted a changed checksum";
  } catch (const store::MigrationError& e) {
    EXPECT_NE(std::string(e.what()).find("migration 1 (initial)"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("checksum"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(c.in_transaction());

  c.exec("DELETE FROM coprocessor_migrations WHERE version = 1");
  c.exec(
      "INSERT INTO coprocessor_migrations (version, description, checksum)"
      " VALUES (9999, 'from the future', '\\x')");
  try {
    store::migrate(c);
    FAIL() << "migrate accepted an unknown applied migration";
  } catch (const store::MigrationError& e) {
    EXPECT_NE(std::string(e.what()).find("9999"), std::string::npos) << e.what();
  }
}

TEST(StoreMigrate, ConcurrentMigratorsApplyEachMigrationOnce) {
  const std::string info = fresh_database();
  constexpr int kProcesses = 4;
  std::vector<int> applied(kProcesses, -1);
  std::vector<std::string> errors(kProcesses);
  std::vector<std::thread> threads;
  for (int i = 0; i < kProcesses; ++i) {
    threads.emplace_back([&, i] {
      try {
        Connection c(info);
        applied[i] = store::migrate(c);
      } catch (const std::exception& e) {
        errors[i] = e.what();
      }
    });
  }
  for (auto& t : threads) t.join();
  int total = 0;
  for (int i = 0; i < kProcesses; ++i) {
    EXPECT_EQ(errors[i], "") << "migrator " << i;
    total += applied[i];
  }
  EXPECT_EQ(total, static_cast<int>(store::migrations().size()));
  Connection c(info);
  EXPECT_EQ(c.exec("SELECT count(*) FROM coprocessor_migrations").get<int64_t>(0, 0),
            static_cast<int64_t>(store::migrations().size()));
}

// ----- the schema contract -------------------------------------------------------------------

struct TableKey {
  const char* table;
  std::vector<std::string> primary_key;
};

// Every table of §3 that the schema has, with its primary key in column order.
const std::vector<TableKey> kTables = {
    {"computations", {"output_handle", "transaction_id"}},
    {"dependence_chain", {"dependence_chain_id"}},
    {"ciphertexts", {"handle", "ciphertext_version"}},
    {"ciphertexts128", {"tenant_id", "handle"}},
    {"input_handles", {"handle"}},
    {"pbs_computations", {"tenant_id", "handle"}},
    {"ciphertext_digest", {"handle"}},
    {"allowed_handles", {"tenant_id", "handle", "account_address"}},
    {"delegate_user_decrypt", {"key"}},
    {"verify_proofs", {"zk_proof_id"}},
    {"keys", {"sequence_number"}},
    {"crs", {"sequence_number"}},
    {"host_chains", {"chain_id"}},
    {"host_chain_blocks_valid", {"chain_id", "block_hash"}},
    {"host_listener_poller_state", {"chain_id"}},
    {"host_chain_consumer_blocks", {"chain_id", "block_hash"}},
    {"gw_listener_last_block", {"dummy_id"}},
    {"transactions", {"id"}},
    {"state_hash", {"chain_id", "block_number"}},
    {"kms_key_activation_events", {}},
    {"kms_crs_activation_events", {}},
    {"drift_revert_signal", {"id"}},
    {"versioning", {"singleton"}},
};

TEST(StoreSchema, EveryTableWithItsPrimaryKey) {
  Connection c(migrated_database());
  for (const TableKey& t : kTables) {
    SCOPED_TRACE(t.table);
    const auto exists = c.exec(
        "SELECT count(*) FROM information_schema.tables"
        " WHERE table_schema = 'public' AND table_name = $1",
        t.table);
    ASSERT_EQ(exists.get<int64_t>(0, 0), 1);
    const auto pk = c.exec(
        "SELECT k.column_name::text FROM information_schema.table_constraints c"
        " JOIN information_schema.key_column_usage k"
        "   ON k.constraint_schema = c.constraint_schema AND k.constraint_name = c.constraint_name"
        " WHERE c.table_schema = 'public' AND c.table_name = $1"
        "   AND c.constraint_type = 'PRIMARY KEY'"
        " ORDER BY k.ordinal_position",
        t.table);
    std::vector<std::string> cols;
    for (int i = 0; i < pk.rows(); ++i) cols.push_back(pk.get<std::string>(i, 0));
    EXPECT_EQ(cols, t.primary_key);
  }
}

TEST(StoreSchema, ColumnTypesOfTheContract) {
  Connection c(migrated_database());
  struct Column {
    const char* table;
    const char* column;
    const char* udt;  // information_schema udt_name
    bool nullable;
  };
  const std::vector<Column> columns = {
      {"computations", "dependencies", "_bytea", false},
      {"computations", "fhe_operation", "int2", false},
      {"computations", "schedule_order", "timestamp", false},
      {"computations", "dependence_chain_id", "bytea", true},
      {"computations", "host_chain_id", "int8", false},
      {"dependence_chain", "worker_id", "uuid", true},
      {"dependence_chain", "dependents", "_bytea", false},
      {"dependence_chain", "lock_expires_at", "timestamptz", true},
      {"ciphertexts", "ciphertext_type", "int2", false},
      {"ciphertexts", "is_input", "bool", false},
      {"ciphertext_digest", "ciphertext128_format", "int2", false},
      {"ciphertext_digest", "key_id_gw", "bytea", false},
      {"allowed_handles", "account_address", "text", false},
      {"allowed_handles", "event_type", "int2", false},
      {"verify_proofs", "verified", "bool", true},
      {"verify_proofs", "extra_data", "bytea", false},
      {"keys", "sns_pk", "oid", true},
      {"delegate_user_decrypt", "new_expiration_date", "numeric", false},
      {"kms_key_activation_events", "storage_urls", "_text", false},
      {"host_chain_blocks_valid", "block_status", "text", false},
  };
  for (const Column& col : columns) {
    SCOPED_TRACE(std::string(col.table) + "." + col.column);
    const auto r = c.exec(
        "SELECT udt_name::text, is_nullable::text FROM information_schema.columns"
        " WHERE table_schema = 'public' AND table_name = $1 AND column_name = $2",
        col.table, col.column);
    ASSERT_EQ(r.rows(), 1);
    EXPECT_EQ(r.get<std::string>(0, "udt_name"), col.udt);
    EXPECT_EQ(r.get<std::string>(0, "is_nullable"), col.nullable ? "YES" : "NO");
  }
  // Defaults that services rely on (in a transaction that rolls back).
  Transaction tx(c);
  const Bytes h = new_handle();
  tx.exec(
      "INSERT INTO computations (output_handle, dependencies, fhe_operation, is_scalar)"
      " VALUES ($1, $2, 0, false)",
      h, std::vector<Bytes>{new_handle(), new_handle()});
  const auto r = tx.exec(
      "SELECT tenant_id, transaction_id, is_completed, is_error, is_allowed, host_chain_id,"
      " uncomputable_counter FROM computations WHERE output_handle = $1",
      h);
  EXPECT_EQ(r.get<int32_t>(0, "tenant_id"), 0);
  EXPECT_EQ(r.get<Bytes>(0, "transaction_id"), Bytes{0});
  EXPECT_FALSE(r.get<bool>(0, "is_completed"));
  EXPECT_FALSE(r.get<bool>(0, "is_error"));
  EXPECT_FALSE(r.get<bool>(0, "is_allowed"));
  EXPECT_EQ(r.get<int64_t>(0, "host_chain_id"), 0);
  EXPECT_EQ(r.get<int16_t>(0, "uncomputable_counter"), 1);
}

TEST(StoreSchema, IndexesAndTriggersOfTheContract) {
  Connection c(migrated_database());
  const std::vector<std::string> indexes = {
      "idx_computations_dependence_chain",
      "idx_computations_schedule_order",
      "idx_pending_dependence_chain",
      "idx_dependence_chain_unlock",
      "idx_dependence_chain_processed_last_updated",
      "ciphertexts_handle_hash_idx",
      "idx_ciphertexts128_no_tenant",
      "idx_pbs_computations_no_tenant",
      "idx_pbs_computations_pending_created_at",
      "idx_ciphertext_digest_unsent",
      "idx_ciphertext_digest_ciphertext_null",
      "idx_ciphertext_digest_ciphertext128_null",
      "idx_allowed_handles_no_tenant",
      "idx_verify_proofs_verified_retry",
      "uniq_keys_chain_block_id_gw",
      "idx_host_chain_blocks_valid_block_number",
      "idx_host_chain_blocks_valid_parent_hash",
  };
  for (const std::string& name : indexes) {
    EXPECT_EQ(c.exec("SELECT count(*) FROM pg_indexes WHERE schemaname = 'public'"
                     " AND indexname = $1",
                     name)
                  .get<int64_t>(0, 0),
              1)
        << name;
  }
  const auto triggers = c.exec(
      "SELECT event_object_table::text, action_timing::text, action_orientation::text"
      " FROM information_schema.triggers WHERE trigger_name = $1",
      "work_updated_trigger_from_computations_insertions");
  ASSERT_EQ(triggers.rows(), 1);
  EXPECT_EQ(triggers.get<std::string>(0, 0), "computations");
  EXPECT_EQ(triggers.get<std::string>(0, 1), "AFTER");
  EXPECT_EQ(triggers.get<std::string>(0, 2), "STATEMENT");
  EXPECT_EQ(c.exec("SELECT count(*) FROM information_schema.triggers"
                   " WHERE trigger_name = 'on_insert_notify_event_pbs_computations'"
                   " AND event_object_table = 'pbs_computations'")
                .get<int64_t>(0, 0),
            1);
}

// One idempotent insert per natural key: the first adds a row, the repeat adds nothing.
struct ConflictCase {
  const char* name;
  const char* sql;  // parameters: $1 a handle, $2 a number, both new to the database
};

const std::vector<ConflictCase> kConflictCases = {
    {"computations (output_handle, transaction_id)",
     "INSERT INTO computations (output_handle, dependencies, fhe_operation, is_scalar,"
     " transaction_id) VALUES ($1, '{}', 0, false, '\\xaa')"
     " ON CONFLICT (output_handle, transaction_id) DO NOTHING"},
    {"ciphertexts (handle, ciphertext_version)",
     "INSERT INTO ciphertexts (handle, ciphertext, ciphertext_version, ciphertext_type)"
     " VALUES ($1, '\\x0102', 0, 5) ON CONFLICT (handle, ciphertext_version) DO NOTHING"},
    {"ciphertexts128 (handle)",
     "INSERT INTO ciphertexts128 (handle, ciphertext) VALUES ($1, '\\x01')"
     " ON CONFLICT (handle) DO NOTHING"},
    {"input_handles (handle)",
     "INSERT INTO input_handles (handle, block_number) VALUES ($1, 7) ON CONFLICT DO NOTHING"},
    {"pbs_computations (handle)",
     "INSERT INTO pbs_computations (handle) VALUES ($1) ON CONFLICT (handle) DO NOTHING"},
    {"allowed_handles (handle, account_address)",
     "INSERT INTO allowed_handles (handle, account_address, event_type)"
     " VALUES ($1, '0xAbC', 0) ON CONFLICT (handle, account_address) DO NOTHING"},
    {"ciphertext_digest (handle) upsert that keeps set digests",
     "INSERT INTO ciphertext_digest (handle, ciphertext128, ciphertext128_format)"
     " VALUES ($1, '\\x11', 11) ON CONFLICT (handle) DO UPDATE"
     " SET ciphertext128_format = EXCLUDED.ciphertext128_format"
     " WHERE ciphertext_digest.ciphertext128 IS NULL"},
    {"dependence_chain (dependence_chain_id)",
     "INSERT INTO dependence_chain (dependence_chain_id, status) VALUES ($1, 'updated')"
     " ON CONFLICT (dependence_chain_id) DO NOTHING"},
    {"verify_proofs (zk_proof_id)",
     "INSERT INTO verify_proofs (zk_proof_id, chain_id, contract_address, user_address, input)"
     " VALUES ($2, 12345, '0xC', '0xU', $1) ON CONFLICT (zk_proof_id) DO NOTHING"},
    {"host_chain_blocks_valid (chain_id, block_hash)",
     "INSERT INTO host_chain_blocks_valid (chain_id, block_hash, block_number)"
     " VALUES (12345, $1, 10) ON CONFLICT (chain_id, block_hash) DO NOTHING"},
    {"keys (chain_id, block_hash, key_id_gw)",
     "INSERT INTO keys (key_id_gw, key_id, pks_key, sks_key, chain_id, block_hash)"
     " VALUES ($1, $1, '\\x01', '\\x02', 1, '\\xbb')"
     " ON CONFLICT (chain_id, block_hash, key_id_gw) DO NOTHING"},
    {"kms_key_activation_events (chain_id, block_hash, key_id)",
     "INSERT INTO kms_key_activation_events (chain_id, block_hash, block_number,"
     " transaction_hash, key_id, storage_urls) VALUES (1, '\\xbb', 3, '\\xcc', $1, '{u}')"
     " ON CONFLICT (chain_id, block_hash, key_id) DO NOTHING"},
    {"delegate_user_decrypt (its nine-column unique key)",
     "INSERT INTO delegate_user_decrypt (delegator, delegate, contract_address,"
     " delegation_counter, old_expiration_date, new_expiration_date, host_chain_id,"
     " block_number, block_hash, transaction_id, on_gateway, reorg_out)"
     " VALUES ($1, '\\x02', '\\x03', 1, 0, 100, 1, 5, '\\xbb', '\\xcc', false, false)"
     " ON CONFLICT DO NOTHING"},
    {"state_hash (chain_id, block_number)",
     "INSERT INTO state_hash (chain_id, block_number, state_hash)"
     " VALUES (1, $2, 'e3b0') ON CONFLICT (chain_id, block_number) DO NOTHING"},
};

TEST(StoreSchema, OnConflictDoNothingOnNaturalKeys) {
  Connection c(migrated_database());
  static int64_t number = 1000;
  for (const ConflictCase& k : kConflictCases) {
    SCOPED_TRACE(k.name);
    const Bytes h = new_handle();
    const int64_t n = ++number;
    EXPECT_EQ(c.exec(k.sql, h, n).affected_rows(), 1);
    EXPECT_EQ(c.exec(k.sql, h, n).affected_rows(), 0);
    EXPECT_EQ(c.exec(k.sql, new_handle(), ++number).affected_rows(), 1);
  }
  // The same output handle from another host transaction is another computation.
  const char* insert =
      "INSERT INTO computations (output_handle, dependencies, fhe_operation, is_scalar,"
      " transaction_id) VALUES ($1, '{}', 0, false, $2)"
      " ON CONFLICT (output_handle, transaction_id) DO NOTHING";
  const Bytes h = new_handle();
  EXPECT_EQ(c.exec(insert, h, Bytes{0xaa}).affected_rows(), 1);
  EXPECT_EQ(c.exec(insert, h, Bytes{0xab}).affected_rows(), 1);
  EXPECT_EQ(c.exec(insert, h, Bytes{0xab}).affected_rows(), 0);
}

TEST(StoreSchema, ChecksRejectBadValues) {
  Connection c(migrated_database());
  const std::vector<std::string> bad = {
      "INSERT INTO dependence_chain (dependence_chain_id, status) VALUES ('\\x01', 'done')",
      "INSERT INTO ciphertext_digest (handle, ciphertext128_format) VALUES ('\\x01', 5)",
      "INSERT INTO verify_proofs (zk_proof_id, chain_id, contract_address, user_address)"
      " VALUES (1, -1, 'c', 'u')",
      "INSERT INTO host_chain_blocks_valid (chain_id, block_hash, block_number, block_status)"
      " VALUES (1, '\\x01', 1, 'maybe')",
      "INSERT INTO versioning (singleton, stack_version) VALUES (false, 'v')",
  };
  for (const std::string& sql : bad) {
    try {
      c.exec(sql);
      ADD_FAILURE() << "accepted: " << sql;
    } catch (const DbError& e) {
      EXPECT_EQ(e.sqlstate(), "23514") << e.what();  // check_violation
      EXPECT_FALSE(e.is_connection_error());
      EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos);
    }
  }
  EXPECT_TRUE(c.is_ok());
}

// ----- LISTEN/NOTIFY -------------------------------------------------------------------------

TEST(StoreNotify, TriggersWakeTheWorkers) {
  const std::string info = migrated_database();
  Connection listener(info);
  Connection writer(info);
  listener.listen("work_available");
  listener.listen("event_pbs_computations");

  // Three computations in one statement: one notification (statement-level trigger).
  writer.exec(
      "INSERT INTO computations (output_handle, dependencies, fhe_operation, is_scalar)"
      " SELECT h, '{}', 0, false FROM unnest($1::bytea[]) AS h",
      std::vector<Bytes>{new_handle(), new_handle(), new_handle()});
  const auto n = listener.wait_for_notification(5s);
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(n->channel, "work_available");
  EXPECT_EQ(n->payload, "");
  EXPECT_FALSE(listener.wait_for_notification(100ms).has_value());

  writer.exec("INSERT INTO pbs_computations (handle) VALUES ($1)", new_handle());
  const auto p = listener.wait_for_notification(5s);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->channel, "event_pbs_computations");

  // A rolled-back insert notifies nobody.
  {
    Transaction tx(writer);
    tx.exec(
        "INSERT INTO computations (output_handle, dependencies, fhe_operation, is_scalar)"
        " VALUES ($1, '{}', 0, false)",
        new_handle());
  }
  EXPECT_FALSE(listener.wait_for_notification(200ms).has_value());
}

TEST(StoreNotify, ExplicitNotifyAndTimeout) {
  const std::string info = migrated_database();
  Connection listener(info);
  Connection writer(info);
  listener.listen("event_zkpok_new_work");

  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_FALSE(listener.wait_for_notification(50ms).has_value());
  EXPECT_GE(ms_since(t0), 45.0);

  writer.notify("event_zkpok_new_work", "zk-worker");
  const auto n = listener.wait_for_notification(5s);
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(n->channel, "event_zkpok_new_work");
  EXPECT_EQ(n->payload, "zk-worker");
  EXPECT_EQ(n->backend_pid, writer.backend_pid());

  // Notifications wait for their transaction to commit.
  {
    Transaction tx(writer);
    writer.notify("event_zkpok_new_work", "later");
    EXPECT_FALSE(listener.wait_for_notification(100ms).has_value());
    tx.commit();
  }
  const auto later = listener.wait_for_notification(5s);
  ASSERT_TRUE(later.has_value());
  EXPECT_EQ(later->payload, "later");

  listener.unlisten("event_zkpok_new_work");
  writer.notify("event_zkpok_new_work", "unheard");
  EXPECT_FALSE(listener.wait_for_notification(100ms).has_value());
}

// ----- the libpq wrapper ---------------------------------------------------------------------

TEST(StorePg, ByteaArrayRoundTrip) {
  Connection c(migrated_database());
  Bytes big(100000);
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<uint8_t>(i * 131 + 7);
  const Bytes out = new_handle();
  const std::vector<Bytes> deps = {handle(1), Bytes{}, Bytes{0}, Bytes{0x5c, 0x78, 0x22, 0x2c},
                                   big};
  c.exec(
      "INSERT INTO computations (output_handle, dependencies, fhe_operation, is_scalar)"
      " VALUES ($1, $2, 26, true)",
      out, deps);
  const auto r = c.exec(
      "SELECT dependencies, fhe_operation, is_scalar FROM computations"
      " WHERE output_handle = $1",
      out);
  ASSERT_EQ(r.rows(), 1);
  EXPECT_EQ(r.get<std::vector<Bytes>>(0, "dependencies"), deps);
  EXPECT_EQ(r.get<int16_t>(0, "fhe_operation"), 26);
  EXPECT_TRUE(r.get<bool>(0, "is_scalar"));

  // Empty arrays, unnest of a parameter, the server's view of the elements.
  EXPECT_TRUE(
      c.exec("SELECT $1::bytea[]", std::vector<Bytes>{}).get<std::vector<Bytes>>(0, 0).empty());
  const auto u = c.exec(
      "SELECT length(x) FROM unnest($1::bytea[]) WITH ORDINALITY AS t(x, i)"
      " ORDER BY i",
      deps);
  ASSERT_EQ(u.rows(), static_cast<int>(deps.size()));
  for (int i = 0; i < u.rows(); ++i) EXPECT_EQ(u.get<int64_t>(i, 0), deps[i].size());

  // text[] and int8[] the same way.
  const std::vector<std::string> urls = {"s3://a/b", "", "with \"quotes\", commas {}"};
  EXPECT_EQ(c.exec("SELECT $1::text[]", urls).get<std::vector<std::string>>(0, 0), urls);
  const std::vector<int64_t> ids = {0, -1, int64_t{1} << 62};
  EXPECT_EQ(c.exec("SELECT $1::bigint[]", ids).get<std::vector<int64_t>>(0, 0), ids);
  EXPECT_EQ(
      c.exec("SELECT $1::smallint[]", std::vector<int16_t>{1, -2}).get<std::vector<int64_t>>(0, 0),
      (std::vector<int64_t>{1, -2}));
}

TEST(StorePg, TypedGettersAndParameters) {
  Connection c(migrated_database());
  const auto r = c.exec(
      "SELECT $1::smallint AS s, $2::int AS i, $3::bigint AS b, $4::bool AS t, $5::text AS txt,"
      " NULL::bytea AS nothing, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid AS u,"
      " now() AS ts, $6::bytea AS raw, $7::bigint IS NULL AS was_null, $8 AS inferred",
      int16_t{-2}, int32_t{-3}, int64_t{1} << 40, true, "héllo", Bytes{0, 1, 0, 255},
      std::optional<int64_t>{}, std::string("x"));
  ASSERT_EQ(r.rows(), 1);
  ASSERT_EQ(r.columns(), 11);
  EXPECT_EQ(r.column_name(4), "txt");
  EXPECT_EQ(r.get<int16_t>(0, "s"), -2);
  EXPECT_EQ(r.get<int64_t>(0, "s"), -2);  // widening is fine
  EXPECT_EQ(r.get<int32_t>(0, "i"), -3);
  EXPECT_EQ(r.get<int64_t>(0, "b"), int64_t{1} << 40);
  EXPECT_THROW(r.get<int32_t>(0, "b"), DbError);  // out of range
  EXPECT_TRUE(r.get<bool>(0, "t"));
  EXPECT_EQ(r.get<std::string>(0, "txt"), "héllo");
  EXPECT_EQ(r.get<std::optional<Bytes>>(0, "nothing"), std::nullopt);
  EXPECT_TRUE(r.is_null(0, "nothing"));
  EXPECT_THROW(r.get<Bytes>(0, "nothing"), DbError);
  EXPECT_EQ(r.get<std::optional<std::string>>(0, "txt"), "héllo");
  EXPECT_EQ(r.get<std::string>(0, "u"), "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
  EXPECT_THROW(r.get<std::string>(0, "ts"), DbError);  // read timestamps with ::text
  EXPECT_THROW(r.get<Bytes>(0, "txt"), DbError);       // types are checked
  EXPECT_EQ(r.get<Bytes>(0, "raw"), (Bytes{0, 1, 0, 255}));
  EXPECT_TRUE(r.get<bool>(0, "was_null"));
  EXPECT_EQ(r.get<std::string>(0, "inferred"), "x");
  EXPECT_THROW(r.column("missing"), DbError);
  EXPECT_THROW(r.get<int64_t>(1, 0), DbError);   // no such row
  EXPECT_THROW(r.get<int64_t>(0, 11), DbError);  // no such column

  // A string parameter takes the type the statement needs.
  EXPECT_EQ(c.exec("SELECT $1::uuid::text", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")
                .get<std::string>(0, 0),
            "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
  EXPECT_EQ(c.exec("SELECT extract(year FROM $1::timestamptz)::int", "2026-01-02T03:04:05Z")
                .get<int32_t>(0, 0),
            2026);
  EXPECT_THROW(c.exec("SELECT $1::text", std::string("nul\0byte", 8)), DbError);

  c.exec("CREATE TEMP TABLE t (k int PRIMARY KEY, v bytea)");
  EXPECT_EQ(c.exec("INSERT INTO t SELECT g, NULL FROM generate_series(1, 5) g").affected_rows(), 5);
  const auto upd = c.exec("UPDATE t SET v = $1 WHERE k > $2", Bytes{1}, 2);
  EXPECT_EQ(upd.affected_rows(), 3);
  EXPECT_EQ(upd.command_tag(), "UPDATE 3");
  EXPECT_EQ(c.exec("SELECT count(v) FROM t").get<int64_t>(0, 0), 3);
}

TEST(StorePg, TransactionsCommitOrRollBack) {
  Connection c(migrated_database());
  c.exec_script("CREATE TEMP TABLE t (k int PRIMARY KEY)");
  auto count = [&] { return c.exec("SELECT count(*) FROM t").get<int64_t>(0, 0); };

  {
    Transaction tx(c);
    tx.exec("INSERT INTO t VALUES (1)");
    EXPECT_TRUE(c.in_transaction());
  }  // no commit: rolled back
  EXPECT_FALSE(c.in_transaction());
  EXPECT_EQ(count(), 0);

  {
    Transaction tx(c, store::Isolation::kSerializable);
    tx.exec("INSERT INTO t VALUES (1)");
    tx.commit();
  }
  EXPECT_EQ(count(), 1);

  try {
    Transaction tx(c);
    tx.exec("INSERT INTO t VALUES (2)");
    throw std::runtime_error("job failed");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(count(), 1);

  // A failed statement dooms the transaction: commit() says so.
  {
    Transaction tx(c);
    tx.exec("INSERT INTO t VALUES (3)");
    try {
      tx.exec("INSERT INTO t VALUES (1)");
      ADD_FAILURE() << "duplicate key accepted";
    } catch (const DbError& e) {
      EXPECT_EQ(e.sqlstate(), "23505");
      EXPECT_FALSE(e.is_connection_error());
    }
    try {
      tx.commit();
      ADD_FAILURE() << "commit of a failed transaction reported success";
    } catch (const DbError& e) {
      EXPECT_EQ(e.sqlstate(), "25P02");
    }
  }
  EXPECT_FALSE(c.in_transaction());
  EXPECT_EQ(count(), 1);

  {
    Transaction tx(c);
    tx.exec("INSERT INTO t VALUES (4)");
    tx.rollback();
  }
  EXPECT_EQ(count(), 1);
}

TEST(StorePg, StatementErrorsKeepTheConnection) {
  Connection c(migrated_database());
  try {
    c.exec("SELEC 1");
    FAIL();
  } catch (const DbError& e) {
    EXPECT_EQ(e.sqlstate(), "42601");  // syntax_error
    EXPECT_FALSE(e.is_connection_error());
    EXPECT_NE(std::string(e.what()).find("SELEC 1"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(c.is_ok());
  EXPECT_EQ(c.exec("SELECT 1").get<int32_t>(0, 0), 1);
  EXPECT_THROW(c.exec_script("SELECT 1; SELECT * FROM missing_table;"), DbError);
  EXPECT_THROW(c.exec("SELECT 1; SELECT 2"), DbError);  // one statement per exec
}

TEST(StorePg, PasswordsNeverAppear) {
  EXPECT_EQ(store::redact_conninfo("host=/tmp/x user=u password=hunter2 dbname=d"),
            "host=/tmp/x user=u password=*** dbname=d");
  EXPECT_EQ(store::redact_conninfo("password = 'hun ter\\'2' host=h"), "password = *** host=h");
  EXPECT_EQ(store::redact_conninfo("postgresql://u:hunter2@db.local:5432/x?sslmode=disable"),
            "postgresql://u:***@db.local:5432/x?sslmode=disable");
  EXPECT_EQ(store::redact_conninfo("postgres://u@h/x?password=hunter2&a=b"),
            "postgres://u@h/x?password=***&a=b");
  EXPECT_EQ(store::redact_conninfo("postgresql://h/x"), "postgresql://h/x");
  try {
    Connection c("host=" + PgCluster::shared().dir() +
                 "/nowhere user=postgres password=hunter2 dbname=x connect_timeout=2");
    FAIL() << "connected to nowhere";
  } catch (const DbError& e) {
    EXPECT_TRUE(e.is_connection_error());
    EXPECT_EQ(std::string(e.what()).find("hunter2"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("password=***"), std::string::npos) << e.what();
  }
}

// Restarts the shared cluster: connections open across the restart must report connection loss.
TEST(StorePg, ConnectionLossIsReportedAsSuch) {
  PgCluster& cluster = PgCluster::shared();
  const std::string info = migrated_database();
  Connection c(info);
  Connection waiting(info);
  c.listen("event_ciphertext_computed");
  waiting.listen("event_ciphertext_computed");
  ASSERT_EQ(c.exec("SELECT 1").get<int32_t>(0, 0), 1);

  const auto t0 = std::chrono::steady_clock::now();
  cluster.restart();
  std::printf("[timing] cluster restart: %.0f ms\n", ms_since(t0));

  try {
    c.exec("SELECT 1");
    FAIL() << "a statement on a connection across a server restart succeeded";
  } catch (const DbError& e) {
    std::printf("[info] after restart: %s\n", e.what());
    EXPECT_TRUE(e.is_connection_error()) << e.what();
    EXPECT_EQ(e.sqlstate().substr(0, 2) == "08" || e.sqlstate().starts_with("57P"), true)
        << e.sqlstate();
  }
  EXPECT_FALSE(c.is_ok());
  try {
    waiting.wait_for_notification(2s);
    FAIL() << "waiting on a dead connection returned";
  } catch (const DbError& e) {
    EXPECT_TRUE(e.is_connection_error()) << e.what();
  }

  // reconnect() restores the session and its LISTENs.
  c.reconnect();
  EXPECT_TRUE(c.is_ok());
  Connection other(info);
  other.notify("event_ciphertext_computed", "zk-worker");
  const auto n = c.wait_for_notification(5s);
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(n->payload, "zk-worker");

  // While the server is down, connecting fails as a connection error.
  cluster.stop();
  try {
    Connection down(info);
    ADD_FAILURE() << "connected to a stopped server";
  } catch (const DbError& e) {
    EXPECT_TRUE(e.is_connection_error()) << e.what();
  }
  cluster.start();
  EXPECT_EQ(Connection(info).exec("SELECT 2").get<int32_t>(0, 0), 2);
}

// --- store::LocalCluster as `coprocessor demo` uses it: a persistent cluster in its own directory.

namespace fs = std::filesystem;

// A fresh directory /tmp/lctest-XXXXXX, searchable by others (the server runs as `postgres` when
// we are root), removed with everything in it at scope exit.
struct TempParent {
  std::string path;
  TempParent() {
    char tmpl[] = "/tmp/lctest-XXXXXX";
    if (::mkdtemp(tmpl) == nullptr) throw std::runtime_error("mkdtemp failed");
    path = tmpl;
    ::chmod(path.c_str(), 0755);
  }
  ~TempParent() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  TempParent(const TempParent&) = delete;
  TempParent& operator=(const TempParent&) = delete;
};

store::LocalCluster::Options persistent_at(const std::string& dir) {
  store::LocalCluster::Options o;
  o.dir = dir;
  o.persistent = true;
  o.quiet = true;
  return o;
}

std::string what_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "(no exception)";
}

TEST(StoreLocalCluster, PersistentClusterIsKeptAndReused) {
  TempParent parent;
  const std::string dir = parent.path + "/pg";
  {
    store::LocalCluster cluster(persistent_at(dir));
    EXPECT_TRUE(cluster.running());
    EXPECT_TRUE(cluster.persistent());
    EXPECT_EQ(cluster.dir(), dir);
    EXPECT_EQ(cluster.socket_dir(), dir);
    Connection c(cluster.create_database("demo"));
    c.exec_script("CREATE TABLE kept (x int4); INSERT INTO kept VALUES (42)");
    // One owner at a time, within one process as across processes.
    const std::string busy = what_of([&] { store::LocalCluster second(persistent_at(dir)); });
    EXPECT_NE(busy.find("in use by another LocalCluster"), std::string::npos) << busy;
  }
  // Stopped (cleanly), not removed.
  EXPECT_TRUE(fs::exists(dir + "/data/PG_VERSION"));
  EXPECT_FALSE(fs::exists(dir + "/data/postmaster.pid"));
  {
    store::LocalCluster cluster(persistent_at(dir));
    EXPECT_EQ(cluster.ensure_database("demo"), cluster.conninfo("demo"));  // exists: kept as is
    Connection c(cluster.conninfo("demo"));
    EXPECT_EQ(c.exec("SELECT x FROM kept").get<int32_t>(0, 0), 42);
    Connection other(cluster.ensure_database("other"));
    EXPECT_EQ(other.exec("SELECT 1").get<int32_t>(0, 0), 1);
  }
  EXPECT_FALSE(fs::exists(dir + "/data/postmaster.pid"));
}

// A run that dies without running destructors (kill -9, crash) leaves its server running; the
// next run on the directory stops that server and starts its own.
TEST(StoreLocalCluster, ServerLeftByADeadRunIsStoppedAndRestarted) {
  TempParent parent;
  const std::string dir = parent.path + "/pg";
  std::fflush(nullptr);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    int rc = 0;
    try {
      auto* cluster = new store::LocalCluster(persistent_at(dir));  // never destroyed
      Connection c(cluster->create_database("demo"));
      c.exec_script("CREATE TABLE kept (x int4); INSERT INTO kept VALUES (7)");
    } catch (...) {
      rc = 1;
    }
    ::_exit(rc);  // no destructors, no atexit: the server stays up
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  std::ifstream pid_file(dir + "/data/postmaster.pid");
  long old_server = 0;
  ASSERT_TRUE(pid_file >> old_server);
  ASSERT_EQ(::kill(static_cast<pid_t>(old_server), 0), 0) << "the dead run's server is not up";

  store::LocalCluster cluster(persistent_at(dir));
  Connection c(cluster.conninfo("demo"));
  EXPECT_EQ(c.exec("SELECT x FROM kept").get<int32_t>(0, 0), 7);
  std::ifstream new_pid_file(dir + "/data/postmaster.pid");
  long new_server = 0;
  ASSERT_TRUE(new_pid_file >> new_server);
  EXPECT_NE(new_server, old_server);
  EXPECT_EQ(c.exec("SELECT pg_backend_pid() > 0").get<bool>(0, 0), true);
}

// A directory too long for a Unix socket path (107 bytes) gets its socket in /tmp/pgsock-XXXXXX.
TEST(StoreLocalCluster, LongDirectoryGetsAShortSocketDirectory) {
  TempParent parent;
  const std::string dir = parent.path + "/" + std::string(100, 'd');
  std::string socket_dir;
  {
    store::LocalCluster cluster(persistent_at(dir));
    socket_dir = cluster.socket_dir();
    EXPECT_EQ(socket_dir.rfind("/tmp/pgsock-", 0), 0u) << socket_dir;
    EXPECT_EQ(Connection(cluster.conninfo()).exec("SELECT 3").get<int32_t>(0, 0), 3);
  }
  EXPECT_FALSE(fs::exists(socket_dir));
  EXPECT_TRUE(fs::exists(dir + "/data/PG_VERSION"));
}

TEST(StoreLocalCluster, ClearErrors) {
  TempParent parent;
  store::LocalCluster::Options no_dir;
  no_dir.persistent = true;
  EXPECT_NE(what_of([&] { store::LocalCluster c(no_dir); }).find("needs Options::dir"),
            std::string::npos);
  store::LocalCluster::Options not_persistent;
  not_persistent.dir = parent.path + "/x";
  EXPECT_NE(what_of([&] { store::LocalCluster c(not_persistent); }).find("persistent"),
            std::string::npos);

  std::ofstream(parent.path + "/notes.txt") << "mine\n";
  const std::string foreign = what_of([&] { store::LocalCluster c(persistent_at(parent.path)); });
  EXPECT_NE(foreign.find("not empty and holds no cluster"), std::string::npos) << foreign;
  EXPECT_TRUE(fs::exists(parent.path + "/notes.txt"));

  const char* saved = std::getenv("PG_BINDIR");
  const std::string saved_value = saved ? saved : "";
  ::setenv("PG_BINDIR", "/nonexistent/pg/bin", 1);
  const std::string missing = what_of([] { store::LocalCluster c; });
  if (saved) {
    ::setenv("PG_BINDIR", saved_value.c_str(), 1);
  } else {
    ::unsetenv("PG_BINDIR");
  }
  EXPECT_NE(missing.find("postgresql-15"), std::string::npos) << missing;

  if (::geteuid() == 0) {
    // The server runs as `postgres`, which must reach the directory.
    const std::string closed = parent.path + "/closed";
    fs::create_directory(closed);
    ::chmod(closed.c_str(), 0700);
    const std::string unreachable =
        what_of([&] { store::LocalCluster c(persistent_at(closed + "/pg")); });
    EXPECT_NE(unreachable.find("cannot reach"), std::string::npos) << unreachable;
  }
}

}  // namespace
