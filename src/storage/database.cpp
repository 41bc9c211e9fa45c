#include "doorbell/storage/database.hpp"

#include "backend.hpp"
#include "doorbell/common/features.hpp"

namespace doorbell::storage {

Statement::Statement(std::unique_ptr<backend::Cursor> cursor) : cursor_(std::move(cursor)) {}
Statement::~Statement() = default;
Statement::Statement(Statement&&) noexcept = default;
Statement& Statement::operator=(Statement&&) noexcept = default;

Statement& Statement::bind(int index, std::int64_t value) {
  cursor_->bind(index, value);
  return *this;
}

Statement& Statement::bind(int index, double value) {
  cursor_->bind(index, value);
  return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
  cursor_->bind(index, value);
  return *this;
}

Statement& Statement::bind(int index, std::span<const std::uint8_t> blob) {
  cursor_->bind(index, blob);
  return *this;
}

bool Statement::step() {
  return cursor_->step();
}

std::int64_t Statement::returning_id() {
  if (!step()) throw DatabaseError("an INSERT … RETURNING id returned no row");
  const auto id = integer(0);
  while (step()) {
  }
  return id;
}

std::int64_t Statement::integer(int column) const {
  return cursor_->integer(column);
}
double Statement::real(int column) const {
  return cursor_->real(column);
}
std::string Statement::text(int column) const {
  return cursor_->text(column);
}
std::span<const std::uint8_t> Statement::blob(int column) const {
  return cursor_->blob(column);
}

Database::Database(const std::filesystem::path& file, std::span<const std::string_view> migrations,
                   Durability durability)
    : connection_(backend::open_sqlite(file, migrations, durability)) {}

Database::Database(std::unique_ptr<backend::Connection> connection) : connection_(std::move(connection)) {}

Database Database::postgres(const std::string& conninfo, std::span<const std::string_view> migrations) {
#if DOORBELL_WITH_POSTGRES
  return Database(backend::open_postgres(conninfo, migrations));
#else
  (void)conninfo;
  (void)migrations;
  throw DatabaseError(features::built_without("storage.backend", "PostgreSQL", "POSTGRES"));
#endif
}

Database::~Database() = default;
Database::Database(Database&&) noexcept = default;
Database& Database::operator=(Database&&) noexcept = default;

Dialect Database::dialect() const {
  return connection_->dialect();
}

Statement Database::prepare(std::string_view sql) {
  return Statement(connection_->prepare(sql));
}

void Database::exec(std::string_view sql) {
  connection_->exec(sql);
}

int Database::changes() const {
  return connection_->changes();
}

int Database::schema_version() {
  return connection_->schema_version();
}

void Database::listen(std::string_view channel) {
  connection_->listen(channel);
}

Channels Database::wait_for_notifications(std::chrono::milliseconds timeout) {
  return connection_->wait_for_notifications(timeout);
}

void Database::transaction(const std::function<void()>& work) {
  if (connection_->in_transaction()) {  // part of the transaction already open
    work();
    return;
  }
  connection_->begin();
  try {
    work();
    connection_->commit();
  } catch (...) {
    connection_->rollback();
    throw;
  }
}

}  // namespace doorbell::storage
