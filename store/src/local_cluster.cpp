// A private PostgreSQL 15 cluster (see local_cluster.h for the behaviour and the decisions).
#include "store/local_cluster.h"

#include <dirent.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <sys/file.h>
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
#include <system_error>
#include <utility>
#include <vector>

#include "store/pg.h"

namespace store {
namespace {

namespace fs = std::filesystem;

const std::string kSocketFile = ".s.PGSQL." + std::to_string(LocalCluster::kPort);
constexpr size_t kMaxSocketPath = 107;  // sizeof(sockaddr_un::sun_path) - 1
constexpr const char* kDebianBindir = "/usr/lib/postgresql/15/bin";
constexpr const char* kPackageHint = "the Debian package postgresql-15: scripts/install-deps.sh";

[[noreturn]] void fail(const std::string& what) {
  throw std::runtime_error("LocalCluster: " + what);
}

[[noreturn]] void fail_errno(const std::string& call, const std::string& path) {
  fail(call + " " + path + ": " + std::strerror(errno));
}

std::string find_bindir() {
  if (const char* e = std::getenv("PG_BINDIR"); e != nullptr && *e != '\0') {
    const std::string dir = e;
    if (::access((dir + "/initdb").c_str(), X_OK) != 0 ||
        ::access((dir + "/pg_ctl").c_str(), X_OK) != 0) {
      fail("PG_BINDIR=" + dir + " holds no PostgreSQL 15 initdb/pg_ctl (unset it to use " +
           kDebianBindir + ", from " + kPackageHint + ")");
    }
    return dir;
  }
  const std::string dir = kDebianBindir;
  if (::access((dir + "/initdb").c_str(), X_OK) != 0 ||
      ::access((dir + "/pg_ctl").c_str(), X_OK) != 0) {
    fail("no PostgreSQL 15 server binaries in " + dir + " (install " + kPackageHint +
         "; or set PG_BINDIR)");
  }
  return dir;
}

const passwd& postgres_user() {
  const passwd* pw = ::getpwnam("postgres");
  if (pw == nullptr) {
    fail(std::string("running as root needs the `postgres` system user (created by ") +
         kPackageHint + ")");
  }
  return *pw;
}

// Letters, digits and /._- only: no quoting needed in a conninfo or in postgresql.conf.
bool plain_path(std::string_view s) {
  for (const char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '/' || c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return !s.empty();
}

// A conninfo value, quoted when it needs to be.
std::string conninfo_value(std::string_view v) {
  if (plain_path(v)) return std::string(v);
  std::string out = "'";
  for (const char c : v) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

std::string tail(const std::string& path, size_t max_lines = 12) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  std::string out;
  for (size_t i = lines.size() > max_lines ? lines.size() - max_lines : 0; i < lines.size(); ++i) {
    out += "  " + lines[i] + "\n";
  }
  return out;
}

// Runs argv (PATH lookup) in `dir` with stdin from /dev/null and stdout/stderr appended to
// dir/commands.log; throws when it fails: one summary line, then the ends of the logs.
void run_in(const std::string& dir, const std::vector<std::string>& argv) {
  const std::string log = dir + "/commands.log";
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
  if (pid < 0) fail_errno("fork for", argv[0]);
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
    if (errno != EINTR) fail_errno("waitpid for", argv[0]);
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return;
  // Name the tool, skipping the runuser prefix: "`pg_ctl start -w ...` failed".
  size_t first = 0;
  if (argv[0] == "runuser") {
    while (first < argv.size() && argv[first] != "--") ++first;
    ++first;
  }
  std::string cmd = first < argv.size() ? fs::path(argv[first]).filename().string() : argv[0];
  for (size_t i = first + 1; i < argv.size() && i < first + 4; ++i) cmd += " " + argv[i];
  if (argv.size() > first + 4) cmd += " ...";
  const std::string how = WIFEXITED(status) ? "exit status " + std::to_string(WEXITSTATUS(status))
                          : WIFSIGNALED(status) ? "signal " + std::to_string(WTERMSIG(status))
                                                : "status " + std::to_string(status);
  std::string msg = "LocalCluster: `" + cmd + "` failed (" + how + "); logs in " + dir + "\n";
  msg += "--- commands.log (end):\n" + tail(log);
  if (fs::exists(dir + "/server.log")) msg += "--- server.log (end):\n" + tail(dir + "/server.log");
  throw std::runtime_error(msg);
}

std::vector<std::string> as_user(bool as_postgres, std::vector<std::string> argv) {
  if (as_postgres) argv.insert(argv.begin(), {"runuser", "-u", "postgres", "--"});
  return argv;
}

void stop_immediate(const std::string& bindir, const std::string& dir, bool as_postgres) {
  run_in(dir, as_user(as_postgres, {bindir + "/pg_ctl", "stop", "-w", "-t", "30", "-m", "immediate",
                                    "-D", dir + "/data"}));
}

// Alive and not a zombie (a killed process whose parent has not reaped it yet).
bool process_alive(pid_t pid) {
  if (::kill(pid, 0) != 0 && errno == ESRCH) return false;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return true;  // no /proc: trust kill()
  const size_t paren = line.rfind(')');        // "pid (comm) S ..."
  return paren == std::string::npos || line.size() < paren + 3 || line[paren + 2] != 'Z';
}

// Whether `pid` may be the server of the cluster in `data_dir`: a live process named postgres
// whose working directory is `data_dir` (the postmaster chdirs to its data directory), or whose
// working directory we may not read. False for a process that merely reused the pid.
bool may_be_server_of(pid_t pid, const std::string& data_dir) {
  if (pid <= 0 || !process_alive(pid)) return false;
  const std::string proc = "/proc/" + std::to_string(pid);
  std::ifstream comm(proc + "/comm");
  std::string name;
  if (std::getline(comm, name) && name != "postgres") return false;
  std::error_code ec;
  const fs::path cwd = fs::read_symlink(proc + "/cwd", ec);
  if (ec) return true;  // another user's process: let pg_ctl decide
  return fs::equivalent(cwd, data_dir, ec) && !ec;
}

long read_pid(const std::string& path) {
  std::ifstream in(path);
  long pid = 0;
  if (!(in >> pid)) return 0;
  return pid;
}

// An exclusive flock on `path`, or -1 when another open file holds it (or it cannot be opened).
int try_lock(const std::string& path, bool create) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC | (create ? O_CREAT : 0), 0644);
  if (fd < 0) return -1;
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int saved = errno;
    ::close(fd);
    errno = saved;
    return -1;
  }
  return fd;
}

// Stops and removes the temporary clusters of processes that died without cleaning up.
void sweep_orphans(const std::string& bindir, bool as_postgres) {
  DIR* d = ::opendir("/tmp");
  if (d == nullptr) return;
  std::vector<std::string> candidates;
  while (const dirent* e = ::readdir(d)) {
    const std::string name = e->d_name;
    if (name.rfind("pgcluster-", 0) == 0) candidates.push_back("/tmp/" + name);
  }
  ::closedir(d);
  for (const std::string& path : candidates) {
    int fd = -1;
    if (fs::exists(path + "/lock")) {
      fd = try_lock(path + "/lock", false);
      if (fd < 0) continue;  // a live cluster holds it
    } else {
      // Left by the older tests/pg_cluster.h (an owner file with the pid), or being created.
      const long pid = read_pid(path + "/owner");
      if (pid <= 0 || process_alive(static_cast<pid_t>(pid))) continue;
    }
    bool stopped = true;
    // A dead server (or a zombie: pg_ctl would wait for it in vain) needs no stop.
    const long server = read_pid(path + "/data/postmaster.pid");
    if (server > 0 && process_alive(static_cast<pid_t>(server))) {
      try {
        stop_immediate(bindir, path, as_postgres);
      } catch (const std::exception&) {
        stopped = false;  // best effort: a server that will not stop keeps its directory
      }
    }
    if (stopped) {
      std::error_code ec;
      fs::remove_all(path, ec);
    }
    if (fd >= 0) ::close(fd);
  }
}

}  // namespace

LocalCluster::LocalCluster(Options options)
    : persistent_(options.persistent), quiet_(options.quiet), as_postgres_(::geteuid() == 0) {
  if (options.dir.empty() && options.persistent) {
    fail("a persistent cluster needs Options::dir");
  }
  if (!options.dir.empty() && !options.persistent) {
    fail(
        "Options::dir is for a persistent cluster (set persistent, or leave dir empty for a "
        "temporary one)");
  }
  bindir_ = find_bindir();
  try {
    if (persistent_) {
      open_persistent(options.dir);
    } else {
      open_temporary();
    }
    write_settings();
    start();
  } catch (...) {
    destroy();
    throw;
  }
}

LocalCluster::~LocalCluster() {
  destroy();
}

void LocalCluster::open_temporary() {
  sweep_orphans(bindir_, as_postgres_);
  char tmpl[] = "/tmp/pgcluster-XXXXXX";
  if (::mkdtemp(tmpl) == nullptr) fail_errno("mkdtemp", tmpl);
  dir_ = tmpl;
  lock_dir(true);
  make_postgres_owned(dir_);
  socket_dir_ = dir_;  // always short enough
  initdb();
}

void LocalCluster::open_persistent(const std::string& dir) {
  std::string path = fs::absolute(dir).lexically_normal().string();
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  std::error_code ec;
  if (fs::exists(path, ec) && !fs::is_directory(path, ec)) fail(path + " is not a directory");
  if (fs::exists(path, ec) && !fs::is_empty(path, ec) && !fs::exists(path + "/data", ec) &&
      !fs::exists(path + "/lock", ec)) {
    fail(path + " is not empty and holds no cluster (choose a new or empty directory)");
  }
  fs::create_directories(path, ec);
  if (ec) fail("cannot create " + path + ": " + ec.message());
  // dir_ set only now: destroy() must never remove or touch what it did not create.
  dir_ = path;
  if (::chmod(dir_.c_str(), 0700) != 0) fail_errno("chmod", dir_);
  lock_dir(false);
  make_postgres_owned(dir_);
  if (as_postgres_) {
    try {
      run_in(dir_, as_user(true, {"test", "-w", dir_, "-a", "-x", dir_}));
    } catch (const std::exception&) {
      fail("the postgres user cannot reach " + dir_ +
           " (every parent directory must be searchable by others: chmod o+x, or choose "
           "another dir)");
    }
  }
  choose_socket_dir();

  const std::string version_file = data_dir() + "/PG_VERSION";
  if (!fs::exists(version_file, ec)) {
    if (fs::exists(data_dir(), ec)) {
      progress("removing the incomplete data directory " + data_dir() +
               " (an earlier initdb was interrupted)");
      fs::remove_all(data_dir(), ec);
      if (ec) fail("cannot remove " + data_dir() + ": " + ec.message());
    }
    initdb();
    return;
  }
  std::ifstream in(version_file);
  std::string version;
  std::getline(in, version);
  if (version != "15") {
    fail(dir_ + " holds a PostgreSQL " + version +
         " cluster; this needs 15 (remove the directory to start afresh)");
  }
  stop_leftover_server();
}

void LocalCluster::lock_dir(bool through_rename) {
  // A temporary cluster takes the lock on lock.new and renames it, so that the orphan sweep never
  // sees an unlocked "lock" in a directory being created.
  const std::string path = dir_ + "/lock";
  const std::string open_path = through_rename ? dir_ + "/lock.new" : path;
  const int fd = try_lock(open_path, true);
  if (fd < 0) {
    if (errno == EWOULDBLOCK) {
      const long pid = read_pid(path);
      fail(dir_ + " is in use by another LocalCluster (process " +
           (pid > 0 ? std::to_string(pid) : std::string("?")) + ")");
    }
    fail_errno("lock", open_path);
  }
  lock_fd_ = fd;
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) != 0 ||
      ::pwrite(fd, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
    fail_errno("write", open_path);
  }
  if (through_rename && ::rename(open_path.c_str(), path.c_str()) != 0) {
    fail_errno("rename", open_path);
  }
}

void LocalCluster::make_postgres_owned(const std::string& path) const {
  if (!as_postgres_) return;
  const passwd& pw = postgres_user();
  if (::chown(path.c_str(), pw.pw_uid, pw.pw_gid) != 0) fail_errno("chown", path);
}

void LocalCluster::choose_socket_dir() {
  socket_dir_ = dir_;
  const bool fits = dir_.size() + 1 + kSocketFile.size() <= kMaxSocketPath;
  if (fits && plain_path(dir_)) return;
  char tmpl[] = "/tmp/pgsock-XXXXXX";
  if (::mkdtemp(tmpl) == nullptr) fail_errno("mkdtemp", tmpl);
  socket_dir_ = tmpl;
  own_socket_dir_ = true;
  make_postgres_owned(socket_dir_);
  progress(std::string("socket in ") + socket_dir_ + ": " + dir_ +
           (fits ? " has characters that would need quoting"
                 : " is too long for a Unix socket path (107 bytes)"));
}

void LocalCluster::initdb() {
  progress("initdb " + data_dir());
  std::vector<std::string> argv = {
      bindir_ + "/initdb", "-D", data_dir(), "-U",         "postgres",
      "--auth=trust",      "-E", "UTF8",     "--locale=C", "--no-instructions"};
  if (!persistent_) argv.push_back("--no-sync");
  run_server_tool(argv);
  std::ofstream conf(data_dir() + "/postgresql.conf", std::ios::app);
  conf << "\n# store::LocalCluster: its settings, rewritten at every start\n"
       << "include = 'local_cluster.conf'\n";
  conf.close();
  if (!conf) fail("cannot write " + data_dir() + "/postgresql.conf");
}

void LocalCluster::stop_leftover_server() {
  const std::string pid_file = data_dir() + "/postmaster.pid";
  const long pid = fs::exists(pid_file) ? read_pid(pid_file) : 0;
  if (pid > 0 && may_be_server_of(static_cast<pid_t>(pid), data_dir())) {
    // We hold the lock, so its owner process is gone: a server left by a run that died.
    progress("stopping the server (pid " + std::to_string(pid) +
             ") left running by an earlier process");
    run_server_tool(
        {bindir_ + "/pg_ctl", "stop", "-w", "-t", "60", "-m", "fast", "-D", data_dir()});
    return;
  }
  // The server died with its owner, was killed, or the machine restarted: its lock files remain,
  // and name a pid that is gone, a zombie that nobody reaps (pid 1 in some containers), or
  // another process now; postgres would then refuse to start. Remove them.
  std::error_code ec;
  if (fs::exists(pid_file)) {
    progress("removing the stale " + pid_file + " (server pid " + std::to_string(pid) +
             " is gone)");
    fs::remove(pid_file, ec);
    if (ec) fail("cannot remove " + pid_file + ": " + ec.message());
  }
  const std::string socket_lock = socket_dir_ + "/" + kSocketFile + ".lock";
  if (fs::exists(socket_lock)) {
    const long socket_pid = read_pid(socket_lock);
    if (!may_be_server_of(static_cast<pid_t>(socket_pid), data_dir())) {
      fs::remove(socket_dir_ + "/" + kSocketFile, ec);
      fs::remove(socket_lock, ec);
      if (ec) fail("cannot remove " + socket_lock + ": " + ec.message());
    }
  }
}

void LocalCluster::write_settings() {
  const std::string path = data_dir() + "/local_cluster.conf";
  // A socket directory of an earlier run that died (its server is stopped by now).
  {
    std::ifstream old(path);
    const std::string key = "unix_socket_directories = '";
    for (std::string line; std::getline(old, line);) {
      if (line.rfind(key, 0) != 0 || line.size() < key.size() + 1) continue;
      const std::string previous = line.substr(key.size(), line.size() - key.size() - 1);
      if (previous.rfind("/tmp/pgsock-", 0) == 0 && previous != socket_dir_) {
        std::error_code ec;
        fs::remove_all(previous, ec);
      }
    }
  }
  std::ofstream conf(path, std::ios::trunc);
  conf << "# Written by store::LocalCluster at every start: edits are lost.\n"
       << "listen_addresses = ''\n"
       << "unix_socket_directories = '" << socket_dir_ << "'\n"
       << "port = " << kPort << "\n"
       << "synchronous_commit = off\n";
  if (persistent_) {
    conf << "fsync = on\n"
         << "full_page_writes = on\n";
  } else {
    conf << "fsync = off\n"
         << "full_page_writes = off\n"
         << "shared_buffers = 16MB\n"
         << "max_connections = 40\n";
  }
  conf.close();
  if (!conf) fail("cannot write " + path);
  make_postgres_owned(path);
}

void LocalCluster::start() {
  if (running_) return;
  progress("start " + data_dir() + " (socket " + socket_dir_ + "/" + kSocketFile + ")");
  run_server_tool({bindir_ + "/pg_ctl", "start", "-w", "-t", "60", "-D", data_dir(), "-l",
                   dir_ + "/server.log"});
  running_ = true;
}

void LocalCluster::stop() {
  if (!running_) return;
  progress("stop " + data_dir());
  run_server_tool({bindir_ + "/pg_ctl", "stop", "-w", "-t", "60", "-m", "fast", "-D", data_dir()});
  running_ = false;
}

void LocalCluster::restart() {
  stop();
  start();
}

std::string LocalCluster::conninfo(std::string_view dbname) const {
  return "host=" + conninfo_value(socket_dir_) + " port=" + std::to_string(kPort) +
         " user=postgres dbname=" + conninfo_value(dbname);
}

std::string LocalCluster::create_database(std::string_view name) {
  bool ok = !name.empty() && name.size() <= 63 && !(name[0] >= '0' && name[0] <= '9');
  for (const char c : name) {
    ok = ok &&
         ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_');
  }
  if (!ok) fail("invalid database name '" + std::string(name) + "' (letters, digits, _)");
  Connection c(conninfo("postgres"));
  c.exec_script("CREATE DATABASE \"" + std::string(name) + "\"");
  return conninfo(name);
}

std::string LocalCluster::ensure_database(std::string_view name) {
  {
    Connection c(conninfo("postgres"));
    if (c.exec("SELECT 1 FROM pg_database WHERE datname = $1", name).rows() > 0) {
      return conninfo(name);
    }
  }
  try {
    return create_database(name);
  } catch (const DbError& e) {
    if (e.sqlstate() != "42P04") throw;  // duplicate_database: created meanwhile
    return conninfo(name);
  }
}

void LocalCluster::run_server_tool(std::vector<std::string> argv) {
  run_in(dir_, as_user(as_postgres_, std::move(argv)));
}

void LocalCluster::progress(const std::string& line) const {
  if (quiet_) return;
  std::fprintf(stderr, "[pg] %s\n", line.c_str());
  std::fflush(stderr);
}

void LocalCluster::destroy() noexcept {
  if (!dir_.empty()) {
    try {
      if (persistent_) {
        stop();  // fast: a clean shutdown, so the next start needs no recovery
      } else if (running_ || fs::exists(data_dir() + "/postmaster.pid")) {
        progress("stop " + data_dir());
        stop_immediate(bindir_, dir_, as_postgres_);
      }
    } catch (const std::exception& e) {
      std::fprintf(stderr, "[pg] %s\n", e.what());
    }
    running_ = false;
    if (!persistent_) {
      const char* keep = std::getenv("PGCLUSTER_KEEP");
      if (keep != nullptr && std::string_view(keep) == "1") {
        std::fprintf(stderr, "[pg] kept %s (PGCLUSTER_KEEP=1)\n", dir_.c_str());
      } else {
        std::error_code ec;
        fs::remove_all(dir_, ec);
      }
    }
  }
  if (own_socket_dir_) {
    std::error_code ec;
    fs::remove_all(socket_dir_, ec);
    own_socket_dir_ = false;
  }
  if (lock_fd_ >= 0) {
    ::close(lock_fd_);
    lock_fd_ = -1;
  }
  dir_.clear();
}

}  // namespace store
