// A private PostgreSQL 15 cluster for one test process: a thin wrapper over store::LocalCluster
// (store/include/store/local_cluster.h: layout, settings, running as root, orphan sweep,
// PGCLUSTER_KEEP=1) as a temporary cluster, with a default database.
//
// Not thread-safe: one thread drives a PgCluster. From GoogleTest, use PgCluster::shared() (one
// cluster per test binary, started on first use, so listing tests starts nothing) and give each
// test its own database with create_database().
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

#include "store/local_cluster.h"

namespace store::test {

class PgCluster {
 public:
  static constexpr const char* kDefaultDatabase = "coprocessor_test";
  static constexpr int kPort = LocalCluster::kPort;

  PgCluster() : cluster_(options()) {
    cluster_.create_database(kDefaultDatabase);
    std::printf("[pg_cluster] PostgreSQL data=%s socket=%s/.s.PGSQL.%d\n",
                cluster_.data_dir().c_str(), cluster_.socket_dir().c_str(), kPort);
    std::fflush(stdout);
  }

  PgCluster(const PgCluster&) = delete;
  PgCluster& operator=(const PgCluster&) = delete;

  // One cluster per test binary, started on first use and removed at exit.
  static PgCluster& shared() {
    static PgCluster cluster;
    return cluster;
  }

  // libpq conninfo for database `dbname` on this cluster.
  std::string conninfo(std::string_view dbname = kDefaultDatabase) const {
    return cluster_.conninfo(dbname);
  }

  // Creates database `name` (letters, digits, underscores) and returns its conninfo.
  std::string create_database(std::string_view name) { return cluster_.create_database(name); }

  void start() { cluster_.start(); }
  // Fast shutdown: the server ends every session (clients see their connection closed).
  void stop() { cluster_.stop(); }
  void restart() { cluster_.restart(); }

  bool running() const { return cluster_.running(); }
  // The cluster's directory; also the socket directory (a temporary cluster's path is short).
  const std::string& dir() const { return cluster_.dir(); }
  std::string data_dir() const { return cluster_.data_dir(); }
  LocalCluster& cluster() { return cluster_; }

 private:
  static LocalCluster::Options options() {
    LocalCluster::Options o;
    o.quiet = true;
    return o;
  }

  LocalCluster cluster_;
};

}  // namespace store::test
