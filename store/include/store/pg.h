// PostgreSQL access over libpq: a connection, query results, transactions, LISTEN/NOTIFY.
//
// Thread safety: a Connection, and the Transactions made on it, belong to one thread at a time
// (use one Connection per thread). A Result owns its data and may outlive its Connection.
//
// Encoding (one rule for every call):
//  - Parameters of exec() travel in binary form with their type stated: bytea, int2/int4/int8,
//    bool, and one-dimensional arrays of these (bytea[] from std::vector<Bytes>). Strings are the
//    exception: they travel as text with type "unknown", so the server gives them the type the
//    statement needs (text, uuid, numeric, timestamptz, ...). A string must not contain a NUL byte.
//    Integer parameters take their size from the C++ type: int16_t -> int2, int32_t (and a plain
//    `int` literal) -> int4, int64_t -> int8; unsigned types do not convert, on purpose.
//  - A Param refers to the bytes of a bytea or string argument without copying them, so it is only
//    valid during the call that it is passed to (exec builds its Params itself).
//  - Results of exec() come back in binary form. Result::get<T> decodes them and checks the column
//    type: integers (int2/int4/int8/oid, range-checked), bool, bytea, strings (text, varchar, char,
//    name, json, jsonb, uuid in its canonical text form), and one-dimensional arrays of those.
//    Anything else (timestamps, numeric, ...) is read by casting it in SQL: `created_at::text`.
//  - exec_script() runs several statements at once (schema scripts); it takes no parameters and
//    returns nothing.
//
// Errors: every failure throws DbError with the SQLSTATE and a one-line message. When
// is_connection_error() is true the connection is gone (server restart, network, shutdown):
// reconnect() or open a new Connection, and retry the job. Otherwise the statement failed
// (constraint, syntax, ...) and the connection remains usable (after ROLLBACK, in a transaction).
// Messages never contain a password: conninfo strings appear only through redact_conninfo().
//
// Server notices (NOTICE, WARNING) are discarded rather than printed to stderr.
#pragma once

#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

// libpq's handle types, declared here so that users of this header need not include libpq-fe.h.
struct pg_conn;
struct pg_result;

namespace store {

using Bytes = std::vector<uint8_t>;

namespace detail {
template <class T>
inline constexpr bool kIsOptional = false;
template <class T>
inline constexpr bool kIsOptional<std::optional<T>> = true;
}  // namespace detail

// A failure reported by the server or by libpq.
class DbError : public std::runtime_error {
 public:
  DbError(std::string sqlstate, const std::string& message, bool connection_error);

  // Five-character SQLSTATE ("23505" unique violation, "08006" connection failure, ...); empty
  // when the error did not come from the server or from libpq's connection handling.
  const std::string& sqlstate() const { return sqlstate_; }
  // The message without the SQLSTATE suffix that what() carries.
  const std::string& message() const { return message_; }
  // The connection is unusable: reconnect and retry the job.
  bool is_connection_error() const { return connection_error_; }

 private:
  std::string sqlstate_;
  std::string message_;
  bool connection_error_;
};

// `conninfo` (key=value list or postgresql:// URL) with every password replaced by "***".
std::string redact_conninfo(std::string_view conninfo);

// One statement parameter. Built implicitly from the supported C++ types (see the file comment).
class Param {
 public:
  Param(std::nullptr_t);  // NULL of a type the server infers
  Param(std::nullopt_t) : Param(nullptr) {}
  Param(std::span<const uint8_t> bytes);  // bytea
  Param(const Bytes& bytes) : Param(std::span<const uint8_t>(bytes)) {}
  Param(int64_t v);
  Param(int32_t v);
  Param(int16_t v);
  Param(bool v);
  Param(std::string_view s);  // text with the type left to the server
  Param(const std::string& s) : Param(std::string_view(s)) {}
  Param(const char* s) : Param(s ? Param(std::string_view(s)) : Param(nullptr)) {}
  Param(const std::vector<Bytes>& v);        // bytea[]
  Param(const std::vector<std::string>& v);  // text[]
  Param(const std::vector<int64_t>& v);      // int8[]
  Param(const std::vector<int32_t>& v);      // int4[]
  Param(const std::vector<int16_t>& v);      // int2[]
  template <class T>
  Param(const std::optional<T>& v) : Param(v ? Param(*v) : null_of(Param(T{}))) {}

  uint32_t type_oid() const { return oid_; }
  bool is_binary() const { return binary_; }
  bool is_null() const { return null_; }
  std::string_view data() const { return owned_ ? std::string_view(buffer_) : view_; }

 private:
  static Param null_of(Param p);

  uint32_t oid_ = 0;
  bool binary_ = false;
  bool null_ = true;
  bool owned_ = false;
  std::string_view view_;  // caller's bytes (bytea, string)
  std::string buffer_;     // encoded here (integers, arrays)
};

// The result of one statement. Rows and columns are 0-based.
class Result {
 public:
  Result() = default;
  explicit Result(pg_result* res);  // takes ownership
  ~Result();
  Result(Result&& other) noexcept;
  Result& operator=(Result&& other) noexcept;
  Result(const Result&) = delete;
  Result& operator=(const Result&) = delete;

  int rows() const;
  int columns() const;
  std::string column_name(int col) const;
  // Index of the column named `name`; throws DbError when there is none.
  int column(std::string_view name) const;
  bool is_null(int row, int col) const;
  bool is_null(int row, std::string_view name) const { return is_null(row, column(name)); }

  // The value at (row, col) as T: Bytes, std::string, int64_t, int32_t, int16_t, bool,
  // std::vector<Bytes>, std::vector<std::string>, std::vector<int64_t>, or std::optional of one
  // of these (nullopt for NULL). A NULL read as a non-optional T throws DbError.
  template <class T>
  T get(int row, int col) const;
  template <class T>
  T get(int row, std::string_view name) const {
    return get<T>(row, column(name));
  }

  // Rows inserted, updated, deleted, selected, ... by the statement (0 when not applicable).
  int64_t affected_rows() const;
  // The command tag: "INSERT 0 1", "SELECT 3", ...
  std::string command_tag() const;

 private:
  void check_column(int col) const;
  void check_cell(int row, int col) const;
  std::string_view raw(int row, int col) const;
  uint32_t type_oid(int col) const;

  Bytes get_bytes(int row, int col) const;
  std::string get_string(int row, int col) const;
  int64_t get_int(int row, int col, int64_t min, int64_t max) const;
  bool get_bool(int row, int col) const;
  std::vector<Bytes> get_bytes_array(int row, int col) const;
  std::vector<std::string> get_string_array(int row, int col) const;
  std::vector<int64_t> get_int_array(int row, int col) const;

  pg_result* res_ = nullptr;
};

template <class T>
T Result::get(int row, int col) const {
  if constexpr (detail::kIsOptional<T>) {
    if (is_null(row, col)) return std::nullopt;
    return get<typename T::value_type>(row, col);
  } else if constexpr (std::is_same_v<T, Bytes>) {
    return get_bytes(row, col);
  } else if constexpr (std::is_same_v<T, std::string>) {
    return get_string(row, col);
  } else if constexpr (std::is_same_v<T, bool>) {
    return get_bool(row, col);
  } else if constexpr (std::is_same_v<T, int64_t> || std::is_same_v<T, int32_t> ||
                       std::is_same_v<T, int16_t>) {
    return static_cast<T>(
        get_int(row, col, std::numeric_limits<T>::min(), std::numeric_limits<T>::max()));
  } else if constexpr (std::is_same_v<T, std::vector<Bytes>>) {
    return get_bytes_array(row, col);
  } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
    return get_string_array(row, col);
  } else if constexpr (std::is_same_v<T, std::vector<int64_t>>) {
    return get_int_array(row, col);
  } else {
    static_assert(sizeof(T) == 0, "Result::get: unsupported type");
  }
}

// A received NOTIFY.
struct Notification {
  std::string channel;
  std::string payload;
  int backend_pid = 0;  // the notifying server process
};

// One connection to the server. Move-only; closes on destruction.
class Connection {
 public:
  // `conninfo`: "host=/tmp/x dbname=y user=z" or "postgresql://user@host:5432/db".
  explicit Connection(const std::string& conninfo);
  ~Connection();
  Connection(Connection&& other) noexcept;
  Connection& operator=(Connection&& other) noexcept;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // One statement with $1..$n parameters (see the file comment for the encoding).
  template <class... Args>
  Result exec(std::string_view sql, const Args&... args) {
    const Param params[sizeof...(Args) + 1] = {Param(args)..., Param(nullptr)};
    return exec_params(sql, std::span<const Param>(params, sizeof...(Args)));
  }
  Result exec_params(std::string_view sql, std::span<const Param> params);

  // Several statements separated by semicolons, no parameters (schema scripts).
  void exec_script(std::string_view sql);

  // LISTEN on `channel` (any name; quoted as an identifier). Channels are listened to again
  // after reconnect().
  void listen(std::string_view channel);
  void unlisten(std::string_view channel);
  // pg_notify(channel, payload): delivered to listeners when the current transaction commits.
  void notify(std::string_view channel, std::string_view payload = {});
  // The next notification: one already received, or the first to arrive within `timeout`;
  // nullopt when none came. Throws DbError (connection error) if the connection drops.
  std::optional<Notification> wait_for_notification(std::chrono::milliseconds timeout);

  // True while libpq considers the connection healthy (a dead server is noticed on the next call).
  bool is_ok() const;
  // True inside a transaction block (BEGIN without COMMIT/ROLLBACK yet).
  bool in_transaction() const;
  // Close and reopen with the same parameters, then LISTEN again. Throws DbError on failure.
  void reconnect();

  // The conninfo with passwords removed, for logs.
  const std::string& description() const { return description_; }
  int backend_pid() const;
  // libpq's handle, for what this class does not cover.
  pg_conn* native_handle() { return conn_; }

 private:
  [[noreturn]] void throw_error(std::string_view what, pg_result* res) const;
  void check_open() const;

  pg_conn* conn_ = nullptr;
  std::string description_;
  std::vector<std::string> channels_;  // LISTENed, for reconnect()
};

enum class Isolation { kReadCommitted, kRepeatableRead, kSerializable };

// BEGIN on construction; COMMIT on commit(); ROLLBACK on rollback() or on destruction without
// either (so an exception rolls back). The destructor never throws: a failed ROLLBACK (the
// connection is gone) is ignored, the server having discarded the transaction anyway.
class Transaction {
 public:
  explicit Transaction(Connection& conn, Isolation isolation = Isolation::kReadCommitted);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  void commit();
  void rollback();

  template <class... Args>
  Result exec(std::string_view sql, const Args&... args) {
    return conn_.exec(sql, args...);
  }
  Connection& connection() { return conn_; }

 private:
  Connection& conn_;
  bool open_ = true;
};

}  // namespace store
