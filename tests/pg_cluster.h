// A private PostgreSQL 15 cluster for one test process (DESIGN.md §5).
//
// Layout: a fresh directory /tmp/pgcluster-XXXXXX holding the data directory (data/), the server's
// Unix socket (.s.PGSQL.5432; the port number only names the socket file), the server log
// (server.log) and the log of the commands run here (harness.log). The server listens on that
// socket only, never on TCP (listen_addresses = ''), with trust authentication for the superuser
// "postgres", and runs with fsync off and small buffers: fast, and not durable, which tests do not
// need.
//
// Root: initdb refuses to run as root, and tests and CI run as root. Then the directory is chowned
// to the `postgres` system user and initdb/pg_ctl run as that user through
// `runuser -u postgres --`; the test process itself connects over the socket as before.
//
// Binaries: $PG_BINDIR, else /usr/lib/postgresql/15/bin (Debian's postgresql-15).
//
// Clean-up: the destructor stops the server (immediate mode) and removes the directory. A test
// process that dies without running destructors leaves its server behind; the next PgCluster
// started on the machine stops and removes such orphans (directories whose owner process is
// gone). PGCLUSTER_KEEP=1 keeps the directory for inspection (the server is still stopped).
//
// Not thread-safe: one thread drives a PgCluster. From GoogleTest, use PgCluster::shared() (one
// cluster per test binary, started on first use, so listing tests starts nothing) and give each
// test its own database with create_database().
#pragma once

#include <dirent.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace store::test {

class PgCluster {
 public:
  static constexpr const char* kDefaultDatabase = "coprocessor_test";
  static constexpr int kPort = 5432;

  PgCluster() {
    sweep_orphans();
    bindir_ = find_bindir();
    as_postgres_ = ::geteuid() == 0;
    char tmpl[] = "/tmp/pgcluster-XXXXXX";
    if (::mkdtemp(tmpl) == nullptr) {
      throw std::runtime_error(std::string("pg_cluster: mkdtemp: ") + std::strerror(errno));
    }
    dir_ = tmpl;
    try {
      std::ofstream(dir_ + "/owner") << ::getpid() << "\n";
      if (as_postgres_) {
        const passwd* pw = ::getpwnam("postgres");
        if (pw == nullptr) {
          throw std::runtime_error(
              "pg_cluster: running as root needs the `postgres` system user (Debian package "
              "postgresql)");
        }
        if (::chown(dir_.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
          throw std::runtime_error(std::string("pg_cluster: chown: ") + std::strerror(errno));
        }
      }
      run_server_tool({bindir_ + "/initdb", "-D", data_dir(), "-U", "postgres", "--auth=trust",
                       "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"});
      std::ofstream conf(data_dir() + "/postgresql.conf", std::ios::app);
      conf << "\n# pg_cluster.h: private test server\n"
           << "listen_addresses = ''\n"
           << "unix_socket_directories = '" << dir_ << "'\n"
           << "port = " << kPort << "\n"
           << "fsync = off\n"
           << "synchronous_commit = off\n"
           << "full_page_writes = off\n"
           << "shared_buffers = 16MB\n"
           << "max_connections = 40\n";
      conf.close();
      if (!conf) throw std::runtime_error("pg_cluster: cannot write postgresql.conf");
      start();
      create_database(kDefaultDatabase);
      std::printf("[pg_cluster] PostgreSQL data=%s socket=%s/.s.PGSQL.%d%s\n", data_dir().c_str(),
                  dir_.c_str(), kPort, as_postgres_ ? " (server runs as postgres)" : "");
      std::fflush(stdout);
    } catch (...) {
      destroy();
      throw;
    }
  }

  ~PgCluster() { destroy(); }

  PgCluster(const PgCluster&) = delete;
  PgCluster& operator=(const PgCluster&) = delete;

  // One cluster per test binary, started on first use and removed at exit.
  static PgCluster& shared() {
    static PgCluster cluster;
    return cluster;
  }

  // libpq conninfo for database `dbname` on this cluster.
  std::string conninfo(std::string_view dbname = kDefaultDatabase) const {
    return "host=" + dir_ + " port=" + std::to_string(kPort) +
           " user=postgres dbname=" + std::string(dbname);
  }

  // Creates database `name` (letters, digits, underscores) and returns its conninfo.
  std::string create_database(std::string_view name) {
    run({bindir_ + "/createdb", "-h", dir_, "-p", std::to_string(kPort), "-U", "postgres",
         std::string(name)});
    return conninfo(name);
  }

  void start() {
    run_server_tool({bindir_ + "/pg_ctl", "start", "-w", "-t", "60", "-D", data_dir(), "-l",
                     dir_ + "/server.log"});
    running_ = true;
  }

  // Fast shutdown: the server ends every session (clients see their connection closed).
  void stop() {
    run_server_tool(
        {bindir_ + "/pg_ctl", "stop", "-w", "-t", "60", "-m", "fast", "-D", data_dir()});
    running_ = false;
  }

  void restart() {
    stop();
    start();
  }

  bool running() const { return running_; }
  const std::string& dir() const { return dir_; }
  std::string data_dir() const { return dir_ + "/data"; }

 private:
  static std::string find_bindir() {
    if (const char* e = std::getenv("PG_BINDIR"); e && *e) return e;
    const std::string debian = "/usr/lib/postgresql/15/bin";
    if (::access((debian + "/initdb").c_str(), X_OK) == 0) return debian;
    throw std::runtime_error("pg_cluster: no PostgreSQL 15 server binaries in " + debian +
                             " (install the Debian package postgresql, or set PG_BINDIR)");
  }

  // Removes clusters left by test processes that died without cleaning up.
  void sweep_orphans() {
    DIR* d = ::opendir("/tmp");
    if (d == nullptr) return;
    std::vector<std::string> orphans;
    while (const dirent* e = ::readdir(d)) {
      const std::string name = e->d_name;
      if (name.rfind("pgcluster-", 0) != 0) continue;
      const std::string path = "/tmp/" + name;
      std::ifstream owner(path + "/owner");
      long pid = 0;
      if (!(owner >> pid) || pid <= 0) continue;  // being created, or not ours
      if (process_alive(static_cast<pid_t>(pid))) continue;
      orphans.push_back(path);
    }
    ::closedir(d);
    for (const std::string& path : orphans) {
      if (std::filesystem::exists(path + "/data/postmaster.pid")) {
        try {
          PgCluster::stop_immediate(find_bindir(), path, ::geteuid() == 0);
        } catch (const std::exception&) {
          // Best effort: a server that will not stop keeps its directory.
          continue;
        }
      }
      std::error_code ec;
      std::filesystem::remove_all(path, ec);
    }
  }

  // Alive and not a zombie (a killed process whose parent has not reaped it yet).
  static bool process_alive(pid_t pid) {
    if (::kill(pid, 0) != 0 && errno == ESRCH) return false;
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(stat, line)) return true;  // no /proc: trust kill()
    const size_t paren = line.rfind(')');        // "pid (comm) S ..."
    return paren == std::string::npos || line.size() < paren + 3 || line[paren + 2] != 'Z';
  }

  static void stop_immediate(const std::string& bindir, const std::string& dir, bool as_postgres) {
    std::vector<std::string> argv = {bindir + "/pg_ctl", "stop", "-w",         "-t", "30", "-m",
                                     "immediate",        "-D",   dir + "/data"};
    if (as_postgres) argv.insert(argv.begin(), {"runuser", "-u", "postgres", "--"});
    run_in(dir, argv);
  }

  void destroy() {
    if (dir_.empty()) return;
    if (running_ || std::filesystem::exists(data_dir() + "/postmaster.pid")) {
      try {
        stop_immediate(bindir_, dir_, as_postgres_);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "[pg_cluster] %s\n", e.what());
      }
      running_ = false;
    }
    const char* keep = std::getenv("PGCLUSTER_KEEP");
    if (keep && std::string_view(keep) == "1") {
      std::printf("[pg_cluster] kept %s\n", dir_.c_str());
    } else {
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);
    }
    dir_.clear();
  }

  // initdb and pg_ctl: as the postgres user when we are root.
  void run_server_tool(std::vector<std::string> argv) {
    if (as_postgres_) argv.insert(argv.begin(), {"runuser", "-u", "postgres", "--"});
    run(argv);
  }

  void run(const std::vector<std::string>& argv) { run_in(dir_, argv); }

  // Runs argv (PATH lookup) in `dir` with stdin from /dev/null and stdout/stderr appended to
  // dir/harness.log; throws with the end of that log (and the server log) when it fails.
  static void run_in(const std::string& dir, const std::vector<std::string>& argv) {
    const std::string log = dir + "/harness.log";
    {
      std::ofstream out(log, std::ios::app);
      out << "$";
      for (const std::string& a : argv) out << " " << a;
      out << "\n";
    }
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error(std::string("pg_cluster: fork: ") + std::strerror(errno));
    if (pid == 0) {
      // Child: only async-signal-safe calls until exec.
      const int in = ::open("/dev/null", O_RDONLY);
      const int out = ::open(log.c_str(), O_WRONLY | O_APPEND | O_CREAT, 0644);
      if (in < 0 || out < 0 || ::chdir(dir.c_str()) != 0) ::_exit(126);
      ::dup2(in, 0);
      ::dup2(out, 1);
      ::dup2(out, 2);
      ::execvp(args[0], args.data());
      ::_exit(127);
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
      if (errno != EINTR) {
        throw std::runtime_error(std::string("pg_cluster: waitpid: ") + std::strerror(errno));
      }
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return;
    std::string msg = "pg_cluster: `" + argv[0];
    for (size_t i = 1; i < argv.size() && i < 6; ++i) msg += " " + argv[i];
    msg += " ...` failed (status " + std::to_string(status) + ")\n--- harness.log (end):\n" +
           tail(log) + "--- server.log (end):\n" + tail(dir + "/server.log");
    throw std::runtime_error(msg);
  }

  static std::string tail(const std::string& path, size_t max_lines = 15) {
    std::ifstream in(path);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    std::string out;
    for (size_t i = lines.size() > max_lines ? lines.size() - max_lines : 0; i < lines.size();
         ++i) {
      out += lines[i] + "\n";
    }
    return out;
  }

  std::string bindir_;
  std::string dir_;
  bool as_postgres_ = false;
  bool running_ = false;
};

}  // namespace store::test
