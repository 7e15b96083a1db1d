#include "support/postgres_test_db.h"

#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <stdexcept>

#include "taskcore/postgres_store.h"

namespace taskcore::testing {
namespace {

// `uri` with its database name replaced by `name`.
std::string with_database(const std::string& uri, const std::string& name) {
  const auto scheme = uri.find("://");
  const auto slash = uri.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  const auto query = uri.find('?');
  std::string out = slash == std::string::npos ? uri.substr(0, query) : uri.substr(0, slash);
  out += "/" + name;
  if (query != std::string::npos) out += uri.substr(query);
  return out;
}

void ignore_notice(void*, const char*) {}

void run(const std::string& uri, const std::string& sql) {
  PGconn* conn = PQconnectdb(uri.c_str());
  PQsetNoticeProcessor(conn, ignore_notice, nullptr);
  if (PQstatus(conn) != CONNECTION_OK) {
    const std::string message = PQerrorMessage(conn);
    PQfinish(conn);
    throw std::runtime_error("test database: cannot connect: " + message);
  }
  PGresult* result = PQexec(conn, sql.c_str());
  const bool ok = PQresultStatus(result) == PGRES_COMMAND_OK ||
                  PQresultStatus(result) == PGRES_TUPLES_OK;
  const std::string message = PQerrorMessage(conn);
  PQclear(result);
  PQfinish(conn);
  if (!ok) throw std::runtime_error("test database: " + sql + ": " + message);
}

}  // namespace

std::string test_postgres_uri() {
  const char* uri = std::getenv("TASKCORE_TEST_PG_URI");
  return uri != nullptr ? uri : "";
}

bool postgres_backend_requested() {
  const char* backend = std::getenv("TASKCORE_TEST_BACKEND");
  return backend != nullptr && std::string(backend) == "postgres";
}

TestDatabase::TestDatabase() {
  const std::string base = test_postgres_uri();
  if (base.empty()) throw std::runtime_error(kPostgresSkipMessage);
  static std::atomic<int> serial{0};
  name_ = "taskcore_test_" + std::to_string(::getpid()) + "_" + std::to_string(serial++);
  run(base, "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  run(base, "CREATE DATABASE " + name_);
  uri_ = with_database(base, name_);
}

TestDatabase::~TestDatabase() {
  try {
    run(test_postgres_uri(), "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  } catch (const std::exception&) {
    // The cluster is thrown away at the end anyway.
  }
}

void TestDatabase::exec(const std::string& sql) const { run(uri_, sql); }

void TestDatabase::exec_on_cluster(const std::string& sql) const {
  run(test_postgres_uri(), sql);
}

std::shared_ptr<Store> open_test_postgres_store(std::shared_ptr<TestDatabase> db,
                                                int pool_size) {
  PostgresOptions options;
  options.uri = db->uri();
  options.pool_size = pool_size;
  options.connect_timeout_ms = 3000;
  options.pool_wait_ms = 5000;
  options.statement_timeout_ms = 10000;
  std::shared_ptr<Store> store = open_postgres_store(options);
  // The database goes when the last user of the store does.
  Store* raw = store.get();
  return std::shared_ptr<Store>(raw, [store = std::move(store), db = std::move(db)](Store*) mutable {
    store.reset();
    db.reset();
  });
}

}  // namespace taskcore::testing
