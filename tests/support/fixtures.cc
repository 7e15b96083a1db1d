#include "support/fixtures.h"

#include <cstring>
#include <random>

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

CoreFixture::CoreFixture() : clock(std::make_shared<ManualClock>()) {
  SqliteOptions sqlite;
  sqlite.path = dir.file("test.db");
  store = open_sqlite_store(sqlite);
  Options options;
  options.store = store;
  options.clock = clock;
  options.random = std::make_shared<CountingRandom>();
  options.password_cost = PasswordCost::fast();
  core = std::make_unique<Core>(std::move(options));
}

CoreFixture::~CoreFixture() = default;

Principal CoreFixture::make_user(const std::string& username, Role role) {
  User user = core->users().create_user(
      {username, username + "@example.com", "password123", role});
  return Principal{user.id, user.role, ""};
}

}  // namespace taskcore::testing
