#include "support/fixtures.h"

#include <doctest/doctest.h>

#include <cstring>
#include <random>

#include "support/postgres_test_db.h"
#include "taskcore/sqlite_store.h"

namespace taskcore::testing {

void CountingRandom::fill(void* buffer, std::size_t size) {
  auto* out = static_cast<unsigned char*>(buffer);
  std::uint64_t seed = counter_.fetch_add(1);
  std::mt19937_64 gen(seed);
  for (std::size_t i = 0; i < size; i += 8) {
    const std::uint64_t word = gen();
    std::memcpy(out + i, &word, std::min<std::size_t>(8, size - i));
  }
}

TempDir::TempDir() {
  static std::atomic<int> serial{0};
  std::random_device rd;
  path_ = std::filesystem::temp_directory_path() /
          ("taskcore-test-" + std::to_string(rd()) + "-" +
           std::to_string(serial.fetch_add(1)));
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

TestStores::TestStores() : postgres_(postgres_backend_requested()) {}

TestStores::~TestStores() = default;

std::shared_ptr<Store> TestStores::open(const std::string& name) {
  if (!postgres_) {
    SqliteOptions sqlite;
    sqlite.path = dir_.file(name);
    return open_sqlite_store(sqlite);
  }
  std::shared_ptr<TestDatabase>& db = databases_[name];
  if (!db) db = std::make_shared<TestDatabase>();
  return open_test_postgres_store(db);
}

CoreFixture::CoreFixture() : clock(std::make_shared<ManualClock>()) {
  store = stores.open("test.db");
  Options options;
  options.store = store;
  options.clock = clock;
  options.random = std::make_shared<CountingRandom>();
  options.password_cost = PasswordCost::fast();
  options.media.storage = open_local_media_storage(dir.file("media"));
  options.media.scratch_directory = dir.path().string();
  options.media.sweep_interval_ms = 0;
  core = std::make_unique<Core>(std::move(options));
}

CoreFixture::~CoreFixture() = default;

Principal CoreFixture::make_user(const std::string& username, Role role) {
  User user = core->users().create_user(
      {username, username + "@example.com", "password123", role});
  return Principal{user.id, user.role, ""};
}

ErrorCode error_code(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& e) {
    return e.code();
  }
  FAIL("expected an error");
  return ErrorCode::kInternalError;
}

FieldErrors validation_errors(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::kValidationError);
    return e.field_errors();
  }
  FAIL("expected a validation error");
  return {};
}

}  // namespace taskcore::testing
