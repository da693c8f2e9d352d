// A private PostgreSQL 15 cluster run by this process (DESIGN.md §5): for the tests (a throwaway
// cluster per test binary, tests/pg_cluster.h) and for `coprocessor demo` (a cluster kept in the
// project directory between runs).
//
// Two kinds, chosen by Options:
//  - temporary (dir empty): a fresh directory /tmp/pgcluster-XXXXXX, initdb'd, started, and on
//    destruction stopped (immediate mode) and removed. PGCLUSTER_KEEP=1 keeps the directory for
//    inspection (the server is still stopped). A process that dies without running destructors
//    leaves its server and directory behind; the next temporary cluster created on the machine
//    stops (immediate) and removes such orphans: directories whose lock is no longer held.
//  - persistent (dir set, persistent = true): the cluster lives in `dir` (created if missing;
//    e.g. <project>/.coprocessor/pg), initdb'd on first use and started again on later runs; on
//    destruction it is only stopped (fast mode: a clean shutdown), never removed. `dir` is the
//    cluster's own directory: an existing non-empty directory without a cluster in it is refused.
//    A server left running by an earlier process that died (kill -9, crash) is stopped (fast) and
//    started again, so that it runs with this process's settings and socket and this object owns
//    its lifetime. When that server is gone instead (killed, machine restarted), its lock files
//    (data/postmaster.pid, the socket's .lock) name a pid that is dead, a zombie nobody reaps
//    (pid 1 of some containers), or another process now, and postgres would refuse to start: they
//    are removed first. A pid counts as this cluster's server when it is a live process named
//    postgres whose working directory is data/ (the postmaster chdirs there).
// Dir set without persistent, or persistent without dir, is refused.
//
// One owner: the process holding a LocalCluster holds an exclusive flock on `dir`/lock (released
// by the kernel when the process dies). A second LocalCluster on the same directory, in this
// process or another, throws. This is also how the orphan sweep tells a live temporary cluster
// from an orphan.
//
// Layout of `dir`: data/ (the data directory), lock, server.log (the server's log, appended across
// runs), commands.log (every initdb/pg_ctl command run and its output), and the server's Unix
// socket .s.PGSQL.5432 (the port number only names the socket file).
//
// Server settings (data/local_cluster.conf, rewritten at every start, included from
// postgresql.conf): no TCP at all (listen_addresses = ''), the Unix socket only; trust
// authentication for the superuser "postgres" (initdb --auth=trust; safe because the socket's
// directory has mode 0700, so only its owner and root reach it); synchronous_commit off.
// Temporary clusters also get small buffers (shared_buffers 16MB, max_connections 40); persistent
// ones keep the defaults (128MB, 100). Durability:
//  - temporary: fsync off, full_page_writes off, initdb --no-sync: fast, not crash-safe; nobody
//    reuses the data.
//  - persistent: fsync and full_page_writes on (the defaults), synchronous_commit off. A demo
//    needs no durability of its last transactions, but it does reuse the directory: with fsync
//    off an OS crash or power loss can corrupt the cluster for good, whereas synchronous_commit
//    off only loses the last few hundred milliseconds of commits and costs no commit latency.
//
// Socket path: a Unix socket path has at most 107 bytes (sun_path). When `dir`/.s.PGSQL.5432 does
// not fit, or `dir` holds characters that would need quoting in a conninfo or in
// postgresql.conf (anything but letters, digits and /._-), the socket goes to a short fresh
// directory /tmp/pgsock-XXXXXX instead, removed on destruction (a progress line says so); use
// socket_dir() / conninfo(), never `dir`, to connect. Temporary clusters always fit.
//
// Root: initdb and postgres refuse to run as root, and CI and the tests run as root. Then `dir`
// (and a /tmp/pgsock- directory) is chowned to the `postgres` system user and initdb/pg_ctl run
// as that user through `runuser -u postgres --`; this process connects over the socket as before.
// Every parent of a persistent `dir` must be searchable by `postgres` (checked, with a clear
// error). Files owned by postgres under the project remain removable by root (make clean, git
// clean).
//
// Binaries: $PG_BINDIR, else /usr/lib/postgresql/15/bin (Debian's postgresql-15, installed by
// scripts/install-deps.sh).
//
// Progress: one line per step on stderr ("[pg] initdb ...", "[pg] start ...", "[pg] stop ...")
// unless Options::quiet.
//
// Errors: std::runtime_error whose what() starts with one line saying what failed (missing
// binaries, with the package that installs them; a directory in use; ...). When a command fails
// (initdb, pg_ctl), the ends of commands.log and server.log follow on the next lines. Database
// statements (create_database) throw store::DbError.
//
// Not thread-safe: one thread drives a LocalCluster. Signals: a process killed by SIGINT/SIGTERM
// runs no destructors unless it handles the signal; its server then keeps running, and is stopped
// by the next persistent LocalCluster on the same directory or swept as an orphan (temporary).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace store {

class LocalCluster {
 public:
  struct Options {
    std::string dir;          // empty: a temporary cluster in /tmp/pgcluster-XXXXXX
    bool persistent = false;  // keep `dir` (required with dir, see the file comment)
    bool quiet = false;       // no progress lines on stderr
  };

  static constexpr int kPort = 5432;  // names the socket file only: there is no TCP

  // Creates (initdb) or reuses the cluster and starts the server.
  explicit LocalCluster(Options options);
  LocalCluster() : LocalCluster(Options{}) {}
  // Stops the server; removes a temporary cluster. Never throws (failures go to stderr).
  ~LocalCluster();

  LocalCluster(const LocalCluster&) = delete;
  LocalCluster& operator=(const LocalCluster&) = delete;

  // libpq conninfo for database `dbname`, as superuser postgres over the Unix socket.
  std::string conninfo(std::string_view dbname = "postgres") const;

  // CREATE DATABASE `name` (letters, digits, underscores; not starting with a digit); returns
  // its conninfo. Throws store::DbError (SQLSTATE 42P04) when it exists.
  std::string create_database(std::string_view name);
  // create_database unless `name` exists already; returns its conninfo.
  std::string ensure_database(std::string_view name);

  // pg_ctl start; does nothing when running() already.
  void start();
  // Fast shutdown: the server ends every session (clients see their connection closed). Does
  // nothing when not running().
  void stop();
  void restart();
  // True between a start() and a stop() of this object.
  bool running() const { return running_; }

  bool persistent() const { return persistent_; }
  // The cluster's directory (absolute).
  const std::string& dir() const { return dir_; }
  std::string data_dir() const { return dir_ + "/data"; }
  // Where the server's socket is: dir(), or a /tmp/pgsock- directory when dir() is too long.
  const std::string& socket_dir() const { return socket_dir_; }

 private:
  void open_temporary();
  void open_persistent(const std::string& dir);
  void lock_dir(bool through_rename);
  void make_postgres_owned(const std::string& path) const;
  void choose_socket_dir();
  void initdb();
  void stop_leftover_server();
  void write_settings();
  void destroy() noexcept;
  void run_server_tool(std::vector<std::string> argv);
  void progress(const std::string& line) const;

  std::string bindir_;
  std::string dir_;
  std::string socket_dir_;
  bool own_socket_dir_ = false;  // socket_dir_ is a /tmp/pgsock- directory of ours
  bool persistent_ = false;
  bool quiet_ = false;
  bool as_postgres_ = false;
  bool running_ = false;
  int lock_fd_ = -1;
};

}  // namespace store
