// The PostgreSQL backend (libpq): one connection, re-established when it was lost; statements run with
// typed parameters (`?` becomes $1, $2, …), rows read as text; migrations numbered in doorbell_schema,
// applied by one door at a time (an advisory lock).

#include <fmt/format.h>
#include <libpq-fe.h>
#include <poll.h>

#include <charconv>
#include <cstdlib>
#include <memory>
#include <optional>
#include <vector>

#include "backend.hpp"

namespace doorbell::storage::backend {
namespace {

constexpr Oid kInt8 = 20;
constexpr Oid kFloat8 = 701;
constexpr Oid kText = 25;
constexpr Oid kBytea = 17;
constexpr std::int64_t kMigrationLock = 0x646f6f7262656c6c;  // "doorbell"

std::string error_of(PGconn* conn) {
  std::string message = PQerrorMessage(conn);
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  return message;
}

// `?` parameters as PostgreSQL's $1, $2, … (a `?` inside a quoted literal or name stays).
std::string numbered_parameters(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  char quote = 0;
  for (const char c : sql) {
    if (quote != 0) {
      if (c == quote) quote = 0;
      out += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      out += c;
    } else if (c == '?') {
      out += fmt::format("${}", ++n);
    } else {
      out += c;
    }
  }
  return out;
}

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

// A bytea value of a result as its bytes (text form: \x0a1b…), decoded by libpq; `text` is libpq's own,
// which ends with a NUL.
std::vector<std::uint8_t> unescaped(std::string_view text) {
  if (text.empty()) return {};
  std::size_t length = 0;
  const std::unique_ptr<unsigned char, decltype(&PQfreemem)> bytes(
      PQunescapeBytea(reinterpret_cast<const unsigned char*>(text.data()), &length), &PQfreemem);
  if (!bytes) throw DatabaseError("PostgreSQL: out of memory");
  return {bytes.get(), bytes.get() + length};
}

class PostgresConnection;

class PostgresCursor final : public Cursor {
 public:
  PostgresCursor(PostgresConnection& connection, std::string_view sql)
      : connection_(connection), sql_(numbered_parameters(sql)) {}

  void bind(int index, std::int64_t value) override { set(index, std::to_string(value), kInt8, 0); }
  void bind(int index, double value) override { set(index, fmt::format("{}", value), kFloat8, 0); }
  void bind(int index, std::string_view value) override { set(index, std::string(value), kText, 0); }
  void bind(int index, std::span<const std::uint8_t> blob) override {
    set(index, std::string(blob.begin(), blob.end()), kBytea, 1);
  }
  bool step() override;
  std::int64_t integer(int column) const override {
    const std::string_view v = value(column);
    if (v == "t") return 1;
    if (v == "f" || v.empty()) return 0;
    std::int64_t out = 0;
    const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
    if (ec == std::errc() && end == v.data() + v.size()) return out;
    return static_cast<std::int64_t>(real(column));  // numeric, e.g. a sum
  }
  double real(int column) const override {
    const std::string v(value(column));
    return v.empty() ? 0.0 : std::strtod(v.c_str(), nullptr);
  }
  std::string text(int column) const override { return std::string(value(column)); }
  std::span<const std::uint8_t> blob(int column) const override {
    auto& bytes = blobs_.at(static_cast<std::size_t>(column));
    if (!bytes) bytes = unescaped(value(column));
    return *bytes;
  }

 private:
  void set(int index, std::string value, Oid type, int format) {
    result_.reset();  // new parameters are for the next run
    row_ = -1;
    const auto i = static_cast<std::size_t>(index - 1);
    if (values_.size() <= i) {
      values_.resize(i + 1);
      types_.resize(i + 1, kText);
      formats_.resize(i + 1, 0);
    }
    values_[i] = std::move(value);
    types_[i] = type;
    formats_[i] = format;
  }
  std::string_view value(int column) const {
    if (!result_ || row_ < 0 || row_ >= PQntuples(result_.get()) || column >= PQnfields(result_.get()) ||
        PQgetisnull(result_.get(), row_, column) != 0) {
      return {};
    }
    return {PQgetvalue(result_.get(), row_, column),
            static_cast<std::size_t>(PQgetlength(result_.get(), row_, column))};
  }

  PostgresConnection& connection_;
  std::string sql_;
  std::vector<std::optional<std::string>> values_;
  std::vector<Oid> types_;
  std::vector<int> formats_;
  Result result_;
  int row_ = -1;
  mutable std::vector<std::optional<std::vector<std::uint8_t>>> blobs_;  // the current row's, decoded

  friend class PostgresConnection;
};

class PostgresConnection final : public Connection {
 public:
  PostgresConnection(const std::string& conninfo, std::span<const std::string_view> migrations) {
    // Ours first: the connection string's own settings override them. A server that stops answering
    // (packets dropped) is noticed within about 15 s rather than never.
    const char* keys[] = {"connect_timeout",  "application_name", "keepalives_idle", "keepalives_interval",
                          "keepalives_count", "tcp_user_timeout", "dbname",          nullptr};
    const char* values[] = {"5", "doorbelld", "10", "2", "3", "15000", conninfo.c_str(), nullptr};
    conn_ = PQconnectdbParams(keys, values, 1);
    if (conn_ == nullptr) throw DatabaseError("PostgreSQL: out of memory");
    PQsetNoticeProcessor(
        conn_, [](void*, const char*) {}, nullptr);
    if (PQstatus(conn_) != CONNECTION_OK) {
      // A server that does not answer (stopped, or its network down) is an outage: the connection is
      // tried again before each statement, as one lost later, and migrated once it answers. A server that
      // answers but refuses (a password, a database that does not exist) is a mistake to say at once.
      if (PQpingParams(keys, values, 1) == PQPING_NO_RESPONSE) {
        pending_ = migrations;
        return;
      }
      const auto message = error_of(conn_);
      PQfinish(conn_);
      throw DatabaseError(fmt::format("cannot connect to PostgreSQL: {}", message));
    }
    try {
      migrate(migrations);
    } catch (...) {
      PQfinish(conn_);
      throw;
    }
  }
  ~PostgresConnection() override { PQfinish(conn_); }
  PostgresConnection(const PostgresConnection&) = delete;
  PostgresConnection& operator=(const PostgresConnection&) = delete;

  Dialect dialect() const override { return Dialect::postgres; }
  std::unique_ptr<Cursor> prepare(std::string_view sql) override {
    return std::make_unique<PostgresCursor>(*this, sql);
  }
  void exec(std::string_view sql) override {
    reconnect_if_lost();
    const std::string text(sql);
    finish(Result(PQexec(conn_, text.c_str())), sql);
  }
  int changes() const override { return changes_; }
  int schema_version() override {
    exec("CREATE TABLE IF NOT EXISTS doorbell_schema (version INTEGER NOT NULL)");
    PostgresCursor version(*this, "SELECT coalesce(max(version), 0) FROM doorbell_schema");
    version.step();
    return static_cast<int>(version.integer(0));
  }
  bool in_transaction() const override { return transaction_open_; }
  void begin() override {
    exec("BEGIN");
    transaction_open_ = true;
  }
  void commit() override {
    exec("COMMIT");  // on a lost connection this throws: never a COMMIT on a new one, of nothing
    transaction_open_ = false;
  }
  void rollback() noexcept override {
    transaction_open_ = false;
    if (PQstatus(conn_) == CONNECTION_OK) PQclear(PQexec(conn_, "ROLLBACK"));
  }
  void listen(std::string_view channel) override {
    const auto name = PQescapeIdentifier(conn_, channel.data(), channel.size());
    if (name == nullptr) throw DatabaseError(fmt::format("LISTEN {}: {}", channel, error_of(conn_)));
    const std::string sql = fmt::format("LISTEN {}", name);
    PQfreemem(name);
    exec(sql);
  }
  Channels wait_for_notifications(std::chrono::milliseconds timeout) override {
    if (auto channels = take_notifications(); !channels.empty()) return channels;
    pollfd fd{PQsocket(conn_), POLLIN, 0};
    if (fd.fd < 0) throw DatabaseError("PostgreSQL connection lost: no socket");
    if (::poll(&fd, 1, static_cast<int>(timeout.count())) <= 0) return {};
    if (PQconsumeInput(conn_) == 0) {
      throw DatabaseError(fmt::format("PostgreSQL connection lost: {}", error_of(conn_)));
    }
    return take_notifications();
  }

  // Runs the cursor's statement; its rows stay with it.
  void run(PostgresCursor& cursor) {
    reconnect_if_lost();
    std::vector<const char*> values;
    std::vector<int> lengths;
    for (const auto& v : cursor.values_) {
      values.push_back(v ? v->data() : nullptr);
      lengths.push_back(v ? static_cast<int>(v->size()) : 0);
    }
    cursor.result_ = finish(
        Result(PQexecParams(conn_, cursor.sql_.c_str(), static_cast<int>(values.size()), cursor.types_.data(),
                            values.data(), lengths.data(), cursor.formats_.data(), 0)),
        cursor.sql_);
  }

 private:
  Channels take_notifications() {
    Channels channels;
    while (PGnotify* note = PQnotifies(conn_)) {
      channels.emplace(note->relname);
      PQfreemem(note);
    }
    return channels;
  }

  // A connection lost (the server restarted, the network failed) is tried again before the next
  // statement; until it is back, every statement fails with the reason.
  void reconnect_if_lost() {
    // A transaction does not survive its connection: the statements after it must not run on a new one.
    if (transaction_open_ && PQstatus(conn_) != CONNECTION_OK) {
      throw DatabaseError(fmt::format("PostgreSQL connection lost in a transaction: {}", error_of(conn_)));
    }
    // An idle connection the server closed (a restart) has its goodbye waiting: read it, so that the
    // connection is known lost before a statement is sent on it, not after.
    if (PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) == PQTRANS_IDLE) {
      pollfd fd{PQsocket(conn_), POLLIN, 0};
      for (int reads = 0; reads < 4 && fd.fd >= 0 && ::poll(&fd, 1, 0) > 0; ++reads) {
        if (PQconsumeInput(conn_) == 0) break;  // the end of the connection: CONNECTION_BAD
      }
    }
    if (PQstatus(conn_) != CONNECTION_OK) {
      PQreset(conn_);
      if (PQstatus(conn_) != CONNECTION_OK) {
        throw DatabaseError(fmt::format("PostgreSQL connection lost: {}", error_of(conn_)));
      }
    }
    if (!pending_) return;
    // The first time the server answers (its statements come back here: taken off first).
    const auto migrations = *pending_;
    pending_.reset();
    try {
      migrate(migrations);
    } catch (...) {
      pending_ = migrations;  // the next statement tries again
      throw;
    }
  }

  Result finish(Result result, std::string_view sql) {
    const auto status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_EMPTY_QUERY) {
      std::string message = result ? PQresultErrorMessage(result.get()) : error_of(conn_);
      if (message.empty()) message = error_of(conn_);
      while (!message.empty() && message.back() == '\n') message.pop_back();
      if (PQstatus(conn_) != CONNECTION_OK) {
        throw DatabaseError(fmt::format("PostgreSQL connection lost: {}", message));
      }
      throw DatabaseError(fmt::format("{}: {}", sql.substr(0, 200), message));
    }
    const char* tuples = PQcmdTuples(result.get());
    changes_ = tuples != nullptr ? std::atoi(tuples) : 0;
    return result;
  }

  void migrate(std::span<const std::string_view> migrations) {
    begin();
    try {
      // Doors that start together migrate one after the other; the later ones find the work done.
      exec(fmt::format("SELECT pg_advisory_xact_lock({})", kMigrationLock));
      const int current = schema_version();
      if (current > static_cast<int>(migrations.size())) {
        throw DatabaseError(
            fmt::format("the PostgreSQL database has schema version {}, newer than this "
                        "doorbelld ({})",
                        current, migrations.size()));
      }
      for (auto v = static_cast<std::size_t>(current); v < migrations.size(); ++v) exec(migrations[v]);
      if (static_cast<std::size_t>(current) < migrations.size()) {
        exec(fmt::format("DELETE FROM doorbell_schema; INSERT INTO doorbell_schema (version) VALUES ({})",
                         migrations.size()));
      }
      commit();
    } catch (...) {
      rollback();
      throw;
    }
  }

  PGconn* conn_ = nullptr;
  std::optional<std::span<const std::string_view>> pending_;  // migrations to run once the server answers
  int changes_ = 0;
  bool transaction_open_ = false;  // begin() ran and neither commit() nor rollback() since
};

// Like SQLite's: the first step runs the statement, a step after the last row runs it again.
bool PostgresCursor::step() {
  if (!result_ || row_ >= PQntuples(result_.get())) {
    connection_.run(*this);
    blobs_.assign(static_cast<std::size_t>(PQnfields(result_.get())), std::nullopt);
    row_ = -1;
  }
  ++row_;
  for (auto& b : blobs_) b.reset();
  return row_ < PQntuples(result_.get());
}

}  // namespace

std::unique_ptr<Connection> open_postgres(const std::string& conninfo,
                                          std::span<const std::string_view> migrations) {
  return std::make_unique<PostgresConnection>(conninfo, migrations);
}

}  // namespace doorbell::storage::backend
