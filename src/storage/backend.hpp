#pragma once
// The two things a database backend provides behind Database and Statement: a Connection and the Cursor
// of one prepared statement. Used by one thread at a time, like the Database that owns them.

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "doorbell/storage/database.hpp"

namespace doorbell::storage::backend {

class Cursor {
 public:
  virtual ~Cursor() = default;
  virtual void bind(int index, std::int64_t value) = 0;
  virtual void bind(int index, double value) = 0;
  virtual void bind(int index, std::string_view value) = 0;
  virtual void bind(int index, std::span<const std::uint8_t> blob) = 0;
  virtual bool step() = 0;
  virtual std::int64_t integer(int column) const = 0;
  virtual double real(int column) const = 0;
  virtual std::string text(int column) const = 0;
  virtual std::span<const std::uint8_t> blob(int column) const = 0;
};

class Connection {
 public:
  virtual ~Connection() = default;
  virtual Dialect dialect() const = 0;
  virtual std::unique_ptr<Cursor> prepare(std::string_view sql) = 0;
  virtual void exec(std::string_view sql) = 0;
  virtual int changes() const = 0;
  virtual int schema_version() = 0;
  virtual bool in_transaction() const = 0;
  virtual void begin() = 0;
  virtual void commit() = 0;
  virtual void rollback() noexcept = 0;
  virtual void listen(std::string_view channel) = 0;
  virtual Channels wait_for_notifications(std::chrono::milliseconds timeout) = 0;
};

std::unique_ptr<Connection> open_sqlite(const std::filesystem::path& file,
                                        std::span<const std::string_view> migrations, Durability durability);
std::unique_ptr<Connection> open_postgres(const std::string& conninfo,
                                          std::span<const std::string_view> migrations);

}  // namespace doorbell::storage::backend
