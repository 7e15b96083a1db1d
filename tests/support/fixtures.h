#pragma once

// Shared test fixtures: a clock tests move by hand, deterministic random
// bytes, temporary directories and a ready Core over a real SQLite file.

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "taskcore/taskcore.h"

namespace taskcore::testing {

// Starts at 2025-01-01T00:00:00.000Z unless told otherwise.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Timestamp start = 1735689600000) : now_(start) {}
  Timestamp now() const override { return now_.load(); }
  void set(Timestamp t) { now_.store(t); }
  void advance_ms(std::int64_t ms) { now_ += ms; }
  void advance_s(std::int64_t s) { now_ += s * 1000; }

 private:
  std::atomic<Timestamp> now_;
};

// A counter-based byte stream: same sequence every run, never repeating.
class CountingRandom final : public RandomSource {
 public:
  void fill(void* buffer, std::size_t size) override;

 private:
  std::atomic<std::uint64_t> counter_{1};
};

// A fresh directory under the system temp dir, removed on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& name) const {
    return (path_ / name).string();
  }

 private:
  std::filesystem::path path_;
};

class TestDatabase;

// Stores of the backend the run asks for: SQLite files in a temp dir, or
// with TASKCORE_TEST_BACKEND=postgres a fresh PostgreSQL database per name
// (support/postgres_test_db.h). Opening a name again opens a second store
// over the same database, as a second server would.
class TestStores {
 public:
  TestStores();
  ~TestStores();
  std::shared_ptr<Store> open(const std::string& name = "test.db");
  bool postgres() const { return postgres_; }

 private:
  TempDir dir_;
  bool postgres_;
  std::map<std::string, std::shared_ptr<TestDatabase>> databases_;
};

// A Core over a test store (TestStores: a SQLite file in a temp dir, or
// PostgreSQL), with a manual clock, fast password
// hashing and a counting event bus subscriber available to tests.
struct CoreFixture {
  CoreFixture();
  ~CoreFixture();

  TempDir dir;
  TestStores stores;
  std::shared_ptr<ManualClock> clock;
  std::shared_ptr<Store> store;
  std::unique_ptr<Core> core;

  // Creates a user of `role` (password "password123") and its Principal.
  Principal make_user(const std::string& username, Role role);
};

// The code of the Error `action` throws; fails the test when it throws
// none.
ErrorCode error_code(const std::function<void()>& action);
// The field errors of the validation_error `action` throws; fails the test
// on any other outcome.
FieldErrors validation_errors(const std::function<void()>& action);

}  // namespace taskcore::testing
