#include "store/pg.h"

#include <libpq-fe.h>
#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <regex>

namespace store {
namespace {

// Type OIDs of the built-in types we encode or decode (fixed in the PostgreSQL catalog).
constexpr uint32_t kBoolOid = 16;
constexpr uint32_t kByteaOid = 17;
constexpr uint32_t kCharOid = 18;
constexpr uint32_t kNameOid = 19;
constexpr uint32_t kInt8Oid = 20;
constexpr uint32_t kInt2Oid = 21;
constexpr uint32_t kInt4Oid = 23;
constexpr uint32_t kTextOid = 25;
constexpr uint32_t kOidOid = 26;
constexpr uint32_t kJsonOid = 114;
constexpr uint32_t kUnknownOid = 705;
constexpr uint32_t kBpcharOid = 1042;
constexpr uint32_t kVarcharOid = 1043;
constexpr uint32_t kUuidOid = 2950;
constexpr uint32_t kJsonbOid = 3802;
constexpr uint32_t kByteaArrayOid = 1001;
constexpr uint32_t kInt2ArrayOid = 1005;
constexpr uint32_t kInt4ArrayOid = 1007;
constexpr uint32_t kTextArrayOid = 1009;
constexpr uint32_t kInt8ArrayOid = 1016;

// Messages from libpq span several lines; DbError's are one line.
std::string one_line(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool space = false;
  for (char c : s) {
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

// A short name for a statement in error messages: its first line, at most 60 characters.
std::string statement_label(std::string_view sql) {
  std::string s = one_line(sql.substr(0, std::min<size_t>(sql.size(), 200)));
  if (s.size() > 60) s = s.substr(0, 57) + "...";
  return s;
}

bool is_connection_state(std::string_view sqlstate) {
  return sqlstate.starts_with("08") || sqlstate == "57P01" || sqlstate == "57P02" ||
         sqlstate == "57P03";
}

void put_be32(std::string& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>(v >> shift));
}

void put_be64(std::string& out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>(v >> shift));
}

uint64_t get_be(std::string_view raw) {
  uint64_t v = 0;
  for (char c : raw) v = (v << 8) | static_cast<uint8_t>(c);
  return v;
}

void ignore_notice(void*, const char*) {}

// One-dimensional array in the binary wire format (array_send): ndim, has-null flag, element type,
// then per dimension its length and lower bound (1), then each element as length + bytes.
template <class T, class Encode>
std::string encode_array(uint32_t elem_oid, const std::vector<T>& v, Encode encode) {
  std::string out;
  put_be32(out, v.empty() ? 0 : 1);
  put_be32(out, 0);
  put_be32(out, elem_oid);
  if (!v.empty()) {
    put_be32(out, static_cast<uint32_t>(v.size()));
    put_be32(out, 1);
  }
  for (const T& x : v) {
    const std::string elem = encode(x);
    put_be32(out, static_cast<uint32_t>(elem.size()));
    out += elem;
  }
  return out;
}

std::string encode_int(int64_t v, int bytes) {
  std::string out;
  put_be64(out, static_cast<uint64_t>(v));
  return out.substr(8 - static_cast<size_t>(bytes));
}

DbError decode_error(const std::string& column, const std::string& what) {
  return DbError("", "column " + column + ": " + what, false);
}

int64_t decode_int(uint32_t oid, std::string_view raw, const std::string& column) {
  size_t want = 0;
  switch (oid) {
    case kInt2Oid:
      want = 2;
      break;
    case kInt4Oid:
      want = 4;
      break;
    case kInt8Oid:
      want = 8;
      break;
    case kOidOid:
      if (raw.size() != 4) throw decode_error(column, "bad oid value");
      return static_cast<int64_t>(get_be(raw));
    default:
      throw decode_error(column, "type oid " + std::to_string(oid) + " is not an integer");
  }
  if (raw.size() != want) throw decode_error(column, "bad integer length");
  // Sign-extend from the value's width.
  const unsigned shift = static_cast<unsigned>(64 - 8 * want);
  return static_cast<int64_t>(get_be(raw) << shift) >> shift;
}

std::string decode_string(uint32_t oid, std::string_view raw, const std::string& column) {
  switch (oid) {
    case kTextOid:
    case kVarcharOid:
    case kBpcharOid:
    case kNameOid:
    case kCharOid:
    case kJsonOid:
    case kUnknownOid:
      return std::string(raw);
    case kJsonbOid:  // version byte 1, then the text
      if (raw.empty() || raw[0] != 1) throw decode_error(column, "unknown jsonb version");
      return std::string(raw.substr(1));
    case kUuidOid: {
      if (raw.size() != 16) throw decode_error(column, "bad uuid length");
      static const char* const kHex = "0123456789abcdef";
      std::string out;
      for (size_t i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
        const auto b = static_cast<uint8_t>(raw[i]);
        out.push_back(kHex[b >> 4]);
        out.push_back(kHex[b & 15]);
      }
      return out;
    }
    default:
      throw decode_error(column, "type oid " + std::to_string(oid) +
                                     " is not read as a string; cast it in SQL (x::text)");
  }
}

Bytes decode_bytes(uint32_t oid, std::string_view raw, const std::string& column) {
  if (oid != kByteaOid)
    throw decode_error(column, "type oid " + std::to_string(oid) + " is not bytea");
  return Bytes(raw.begin(), raw.end());
}

// Parses a binary one-dimensional array (see encode_array) and decodes each element.
template <class T, class Decode>
std::vector<T> decode_array(std::string_view raw, const std::string& column, Decode decode) {
  size_t pos = 0;
  auto take = [&](size_t n) {
    if (raw.size() - pos < n) throw decode_error(column, "truncated array");
    const std::string_view s = raw.substr(pos, n);
    pos += n;
    return s;
  };
  const auto ndim = static_cast<uint32_t>(get_be(take(4)));
  take(4);  // has-null flag; NULL elements are caught below
  const auto elem_oid = static_cast<uint32_t>(get_be(take(4)));
  std::vector<T> out;
  if (ndim == 0) return out;
  if (ndim != 1) throw decode_error(column, "only one-dimensional arrays are supported");
  const uint64_t n = get_be(take(4));
  take(4);  // lower bound
  if (n > raw.size()) throw decode_error(column, "bad array length");
  out.reserve(n);
  for (uint64_t i = 0; i < n; ++i) {
    const auto len = static_cast<int32_t>(get_be(take(4)));
    if (len < 0) throw decode_error(column, "NULL array element");
    out.push_back(decode(elem_oid, take(static_cast<size_t>(len)), column));
  }
  if (pos != raw.size()) throw decode_error(column, "trailing bytes after array");
  return out;
}

}  // namespace

// ----- DbError -------------------------------------------------------------------------------

DbError::DbError(std::string sqlstate, const std::string& message, bool connection_error)
    : std::runtime_error(sqlstate.empty() ? message : message + " [SQLSTATE " + sqlstate + "]"),
      sqlstate_(std::move(sqlstate)),
      message_(message),
      connection_error_(connection_error) {}

std::string redact_conninfo(std::string_view conninfo) {
  std::string s(conninfo);
  if (s.starts_with("postgresql://") || s.starts_with("postgres://")) {
    // postgresql://user:password@host/db?password=...
    const size_t start = s.find("://") + 3;
    const size_t end = std::min(s.find_first_of("/?", start), s.size());
    const size_t at = s.rfind('@', end - 1);
    if (at != std::string::npos && at >= start) {
      const size_t colon = s.find(':', start);
      if (colon < at) s.replace(colon + 1, at - colon - 1, "***");
    }
    static const std::regex kQuery(R"(([?&]password=)[^&]*)", std::regex::icase);
    return std::regex_replace(s, kQuery, "$1***");
  }
  // key=value list: password=secret or password = 'quoted \' secret'
  static const std::regex kKeyValue(R"((^|\s)(password\s*=\s*)('([^'\\]|\\.)*'|\S*))");
  return std::regex_replace(s, kKeyValue, "$1$2***");
}

// ----- Param ---------------------------------------------------------------------------------

Param::Param(std::nullptr_t) {}

Param::Param(std::span<const uint8_t> bytes)
    : oid_(kByteaOid),
      binary_(true),
      null_(false),
      view_(reinterpret_cast<const char*>(bytes.data()), bytes.size()) {}

Param::Param(int64_t v)
    : oid_(kInt8Oid), binary_(true), null_(false), owned_(true), buffer_(encode_int(v, 8)) {}
Param::Param(int32_t v)
    : oid_(kInt4Oid), binary_(true), null_(false), owned_(true), buffer_(encode_int(v, 4)) {}
Param::Param(int16_t v)
    : oid_(kInt2Oid), binary_(true), null_(false), owned_(true), buffer_(encode_int(v, 2)) {}
Param::Param(bool v)
    : oid_(kBoolOid), binary_(true), null_(false), owned_(true), buffer_(1, v ? '\1' : '\0') {}

// Text parameters are read by libpq up to their NUL terminator, so they are copied.
Param::Param(std::string_view s) : null_(false), owned_(true), buffer_(s) {
  if (s.find('\0') != std::string_view::npos) {
    throw DbError("", "string parameter contains a NUL byte; pass it as bytea", false);
  }
}

Param::Param(const std::vector<Bytes>& v)
    : oid_(kByteaArrayOid),
      binary_(true),
      null_(false),
      owned_(true),
      buffer_(encode_array(kByteaOid, v, [](const Bytes& b) {
        return std::string(reinterpret_cast<const char*>(b.data()), b.size());
      })) {}

Param::Param(const std::vector<std::string>& v)
    : oid_(kTextArrayOid),
      binary_(true),
      null_(false),
      owned_(true),
      buffer_(encode_array(kTextOid, v, [](const std::string& s) { return s; })) {}

Param::Param(const std::vector<int64_t>& v)
    : oid_(kInt8ArrayOid),
      binary_(true),
      null_(false),
      owned_(true),
      buffer_(encode_array(kInt8Oid, v, [](int64_t x) { return encode_int(x, 8); })) {}

Param::Param(const std::vector<int32_t>& v)
    : oid_(kInt4ArrayOid),
      binary_(true),
      null_(false),
      owned_(true),
      buffer_(encode_array(kInt4Oid, v, [](int32_t x) { return encode_int(x, 4); })) {}

Param::Param(const std::vector<int16_t>& v)
    : oid_(kInt2ArrayOid),
      binary_(true),
      null_(false),
      owned_(true),
      buffer_(encode_array(kInt2Oid, v, [](int16_t x) { return encode_int(x, 2); })) {}

Param Param::null_of(Param p) {
  p.null_ = true;
  p.owned_ = false;
  p.view_ = {};
  p.buffer_.clear();
  return p;
}

// ----- Result --------------------------------------------------------------------------------

Result::Result(pg_result* res) : res_(res) {}
Result::~Result() {
  PQclear(res_);
}
Result::Result(Result&& other) noexcept : res_(std::exchange(other.res_, nullptr)) {}
Result& Result::operator=(Result&& other) noexcept {
  if (this != &other) {
    PQclear(res_);
    res_ = std::exchange(other.res_, nullptr);
  }
  return *this;
}

int Result::rows() const {
  return res_ ? PQntuples(res_) : 0;
}
int Result::columns() const {
  return res_ ? PQnfields(res_) : 0;
}

std::string Result::column_name(int col) const {
  check_column(col);
  return PQfname(res_, col);
}

int Result::column(std::string_view name) const {
  // PQfnumber folds unquoted names to lower case; compare exactly instead.
  for (int c = 0; c < columns(); ++c) {
    if (name == PQfname(res_, c)) return c;
  }
  throw DbError("", "result has no column named \"" + std::string(name) + "\"", false);
}

void Result::check_column(int col) const {
  if (col < 0 || col >= columns()) {
    throw DbError("",
                  "result column " + std::to_string(col) + " out of range (" +
                      std::to_string(columns()) + " columns)",
                  false);
  }
}

void Result::check_cell(int row, int col) const {
  check_column(col);
  if (row < 0 || row >= rows()) {
    throw DbError(
        "",
        "result row " + std::to_string(row) + " out of range (" + std::to_string(rows()) + " rows)",
        false);
  }
}

bool Result::is_null(int row, int col) const {
  check_cell(row, col);
  return PQgetisnull(res_, row, col) != 0;
}

std::string_view Result::raw(int row, int col) const {
  if (is_null(row, col)) {
    throw DbError("", "column " + column_name(col) + " is NULL; read it as std::optional", false);
  }
  return {PQgetvalue(res_, row, col), static_cast<size_t>(PQgetlength(res_, row, col))};
}

uint32_t Result::type_oid(int col) const {
  return PQftype(res_, col);
}

Bytes Result::get_bytes(int row, int col) const {
  const std::string_view r = raw(row, col);
  return decode_bytes(type_oid(col), r, column_name(col));
}

std::string Result::get_string(int row, int col) const {
  const std::string_view r = raw(row, col);
  return decode_string(type_oid(col), r, column_name(col));
}

int64_t Result::get_int(int row, int col, int64_t min, int64_t max) const {
  const std::string_view r = raw(row, col);
  const int64_t v = decode_int(type_oid(col), r, column_name(col));
  if (v < min || v > max) throw decode_error(column_name(col), "value out of range");
  return v;
}

bool Result::get_bool(int row, int col) const {
  const std::string_view r = raw(row, col);
  if (type_oid(col) != kBoolOid || r.size() != 1) {
    throw decode_error(column_name(col),
                       "type oid " + std::to_string(type_oid(col)) + " is not bool");
  }
  return r[0] != 0;
}

std::vector<Bytes> Result::get_bytes_array(int row, int col) const {
  return decode_array<Bytes>(raw(row, col), column_name(col), decode_bytes);
}

std::vector<std::string> Result::get_string_array(int row, int col) const {
  return decode_array<std::string>(raw(row, col), column_name(col), decode_string);
}

std::vector<int64_t> Result::get_int_array(int row, int col) const {
  return decode_array<int64_t>(raw(row, col), column_name(col), decode_int);
}

int64_t Result::affected_rows() const {
  if (!res_) return 0;
  const char* n = PQcmdTuples(res_);
  return (n && *n) ? std::stoll(n) : 0;
}

std::string Result::command_tag() const {
  return res_ ? PQcmdStatus(res_) : "";
}

// ----- Connection ----------------------------------------------------------------------------

Connection::Connection(const std::string& conninfo)
    : conn_(PQconnectdb(conninfo.c_str())), description_(redact_conninfo(conninfo)) {
  if (conn_ == nullptr) throw DbError("08001", "libpq: out of memory", true);
  if (PQstatus(conn_) != CONNECTION_OK) {
    const std::string msg = one_line(PQerrorMessage(conn_));
    PQfinish(conn_);
    conn_ = nullptr;
    throw DbError("08001", "cannot connect to " + description_ + ": " + msg, true);
  }
  PQsetNoticeProcessor(conn_, ignore_notice, nullptr);
}

Connection::~Connection() {
  if (conn_) PQfinish(conn_);
}

Connection::Connection(Connection&& other) noexcept
    : conn_(std::exchange(other.conn_, nullptr)),
      description_(std::move(other.description_)),
      channels_(std::move(other.channels_)) {}

Connection& Connection::operator=(Connection&& other) noexcept {
  if (this != &other) {
    if (conn_) PQfinish(conn_);
    conn_ = std::exchange(other.conn_, nullptr);
    description_ = std::move(other.description_);
    channels_ = std::move(other.channels_);
  }
  return *this;
}

void Connection::check_open() const {
  if (conn_ == nullptr) throw DbError("08003", "connection object is empty (moved from)", true);
}

void Connection::throw_error(std::string_view what, pg_result* res) const {
  std::string sqlstate;
  std::string message;
  if (res) {
    if (const char* s = PQresultErrorField(res, PG_DIAG_SQLSTATE)) sqlstate = s;
    if (const char* m = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY)) {
      message = m;
      if (const char* d = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL)) {
        std::string detail = one_line(d);
        if (detail.size() > 200) detail = detail.substr(0, 197) + "...";
        message += " (" + detail + ")";
      }
    } else {
      message = PQresultErrorMessage(res);
    }
    PQclear(res);
  }
  if (message.empty()) message = PQerrorMessage(conn_);
  const bool lost = PQstatus(conn_) == CONNECTION_BAD || is_connection_state(sqlstate);
  if (lost && sqlstate.empty()) sqlstate = "08006";  // connection_failure
  throw DbError(sqlstate, std::string(what) + ": " + one_line(message), lost);
}

Result Connection::exec_params(std::string_view sql, std::span<const Param> params) {
  check_open();
  std::vector<Oid> types(params.size());
  std::vector<const char*> values(params.size());
  std::vector<int> lengths(params.size());
  std::vector<int> formats(params.size());
  for (size_t i = 0; i < params.size(); ++i) {
    const Param& p = params[i];
    types[i] = p.type_oid();
    formats[i] = p.is_binary() ? 1 : 0;
    if (!p.is_null()) {
      const std::string_view d = p.data();
      values[i] = d.data() ? d.data() : "";  // a null pointer would mean SQL NULL
      lengths[i] = static_cast<int>(d.size());
    }
  }
  const std::string text(sql);
  pg_result* res = PQexecParams(conn_, text.c_str(), static_cast<int>(params.size()), types.data(),
                                values.data(), lengths.data(), formats.data(), /*resultFormat=*/1);
  const ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) throw_error(statement_label(sql), res);
  return Result(res);
}

void Connection::exec_script(std::string_view sql) {
  check_open();
  const std::string text(sql);
  pg_result* res = PQexec(conn_, text.c_str());
  const ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) throw_error(statement_label(sql), res);
  PQclear(res);
}

void Connection::listen(std::string_view channel) {
  check_open();
  char* quoted = PQescapeIdentifier(conn_, channel.data(), channel.size());
  if (quoted == nullptr) throw_error("LISTEN", nullptr);
  const std::string stmt = std::string("LISTEN ") + quoted;
  PQfreemem(quoted);
  exec_script(stmt);
  if (std::find(channels_.begin(), channels_.end(), channel) == channels_.end()) {
    channels_.emplace_back(channel);
  }
}

void Connection::unlisten(std::string_view channel) {
  check_open();
  char* quoted = PQescapeIdentifier(conn_, channel.data(), channel.size());
  if (quoted == nullptr) throw_error("UNLISTEN", nullptr);
  const std::string stmt = std::string("UNLISTEN ") + quoted;
  PQfreemem(quoted);
  exec_script(stmt);
  std::erase(channels_, channel);
}

void Connection::notify(std::string_view channel, std::string_view payload) {
  exec("SELECT pg_notify($1, $2)", channel, payload);
}

std::optional<Notification> Connection::wait_for_notification(std::chrono::milliseconds timeout) {
  check_open();
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    if (PQconsumeInput(conn_) == 0 || PQstatus(conn_) == CONNECTION_BAD) {
      throw DbError("08006", "waiting for a notification: " + one_line(PQerrorMessage(conn_)),
                    true);
    }
    if (PGnotify* n = PQnotifies(conn_)) {
      Notification out{n->relname, n->extra ? n->extra : "", n->be_pid};
      PQfreemem(n);
      return out;
    }
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return std::nullopt;
    pollfd pfd{PQsocket(conn_), POLLIN, 0};
    if (pfd.fd < 0) throw DbError("08006", "waiting for a notification: no socket", true);
    const int wait_ms = static_cast<int>(std::min<int64_t>(left.count(), 1 << 30)) + 1;
    if (::poll(&pfd, 1, wait_ms) < 0 && errno != EINTR) {
      throw DbError("", std::string("poll: ") + std::strerror(errno), false);
    }
  }
}

bool Connection::is_ok() const {
  return conn_ && PQstatus(conn_) == CONNECTION_OK;
}

bool Connection::in_transaction() const {
  if (!conn_) return false;
  const PGTransactionStatusType st = PQtransactionStatus(conn_);
  return st == PQTRANS_INTRANS || st == PQTRANS_INERROR || st == PQTRANS_ACTIVE;
}

void Connection::reconnect() {
  check_open();
  PQreset(conn_);
  if (PQstatus(conn_) != CONNECTION_OK) {
    throw DbError("08001",
                  "cannot reconnect to " + description_ + ": " + one_line(PQerrorMessage(conn_)),
                  true);
  }
  const std::vector<std::string> channels = channels_;
  for (const std::string& c : channels) listen(c);
}

int Connection::backend_pid() const {
  return conn_ ? PQbackendPID(conn_) : 0;
}

// ----- Transaction ---------------------------------------------------------------------------

Transaction::Transaction(Connection& conn, Isolation isolation) : conn_(conn) {
  switch (isolation) {
    case Isolation::kReadCommitted:
      conn_.exec_script("BEGIN");
      break;
    case Isolation::kRepeatableRead:
      conn_.exec_script("BEGIN ISOLATION LEVEL REPEATABLE READ");
      break;
    case Isolation::kSerializable:
      conn_.exec_script("BEGIN ISOLATION LEVEL SERIALIZABLE");
      break;
  }
}

Transaction::~Transaction() {
  if (!open_) return;
  try {
    conn_.exec_script("ROLLBACK");
  } catch (const DbError&) {
    // The connection is gone; the server has discarded the transaction.
  }
}

void Transaction::commit() {
  open_ = false;
  // COMMIT of a transaction in which a statement failed succeeds with the tag ROLLBACK.
  const Result r = conn_.exec("COMMIT");
  if (r.command_tag() != "COMMIT") {
    throw DbError("25P02", "COMMIT: the transaction was rolled back (a statement in it failed)",
                  false);
  }
}

void Transaction::rollback() {
  open_ = false;
  conn_.exec_script("ROLLBACK");
}

}  // namespace store
