#pragma once
// StoreTest: a fixture whose tests run once on each storage backend — SQLite in a temporary data
// directory, and PostgreSQL: a fresh database per test on a throw-away server (support/postgres.hpp; one
// server per test process), skipped with the reason where no server can run — so that both backends
// keep one behaviour. Instantiate a suite with DOORBELL_ON_EACH_BACKEND(Fixture). Not thread-safe.

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "doorbell/common/features.hpp"
#include "doorbell/storage/location.hpp"
#include "doorbell/storage/schema.hpp"
#include "support/postgres.hpp"
#include "support/temp_dir.hpp"

namespace doorbell::testing {

class StoreTest : public ::testing::TestWithParam<storage::Dialect> {
 protected:
  // The database is made here, before the stores a fixture holds as members are opened on it.
  StoreTest() {
    if (GetParam() != storage::Dialect::postgres || !features::kPostgres ||
        !postgres_server().unavailable().empty())
      return;
    static int databases = 0;
    const auto database = "doorbell_test_" + std::to_string(++databases);
    storage::Database::postgres(postgres_server().conninfo(), {}).exec("CREATE DATABASE " + database);
    conninfo_ = postgres_server().conninfo() + " dbname=" + database;
  }
  void SetUp() override {
    if (GetParam() == storage::Dialect::postgres && conninfo_.empty()) {
      if (!features::kPostgres) GTEST_SKIP() << "built with DOORBELL_WITH_POSTGRES=OFF";
      GTEST_SKIP() << postgres_server().unavailable();
    }
  }

  // Where a store under test keeps its records (a second store opened on it shares them).
  storage::Location where() const { return {dir.path(), conninfo_}; }
  bool on_postgres() const { return !conninfo_.empty(); }
  // The backend's migrations, and a connection to the records migrated with `migrations`.
  std::span<const std::string_view> migrations() const {
    return conninfo_.empty() ? storage::schema_migrations() : storage::postgres_migrations();
  }
  storage::Database open(std::span<const std::string_view> migrations) const {
    if (!conninfo_.empty()) return storage::Database::postgres(conninfo_, migrations);
    return {dir.path() / "doorbelld.db", migrations};
  }

  TempDir dir;  // before the stores of a fixture, which may keep files in it

  static ThrowawayPostgres& postgres_server() {
    static ThrowawayPostgres server;  // stopped and deleted when the test process ends
    return server;
  }

 private:
  std::string conninfo_;
};

inline std::string backend_name(const ::testing::TestParamInfo<storage::Dialect>& info) {
  return info.param == storage::Dialect::sqlite ? "sqlite" : "postgres";
}

}  // namespace doorbell::testing

#define DOORBELL_ON_EACH_BACKEND(Fixture)                                                          \
  INSTANTIATE_TEST_SUITE_P(                                                                        \
      Backends, Fixture,                                                                           \
      ::testing::Values(doorbell::storage::Dialect::sqlite, doorbell::storage::Dialect::postgres), \
      doorbell::testing::backend_name)
