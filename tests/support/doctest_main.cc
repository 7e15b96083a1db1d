// The test binaries' main: doctest's, plus the skip rule of PostgreSQL
// tests. Without a test cluster (TASKCORE_TEST_PG_URI) the PostgreSQL
// instances of the conformance suite are left out, and a run that asks
// only for PostgreSQL tests (ctest's postgres registrations) exits 77,
// which ctest reports as skipped.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdio>
#include <string_view>

#include "support/postgres_test_db.h"

namespace {

constexpr int kSkipped = 77;
constexpr std::string_view kPostgresCases = "*<PostgresBackend>*";

bool listing(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg.starts_with("--list") || arg.starts_with("-ltc") || arg.starts_with("-lts"))
      return true;
  }
  return false;
}

bool asks_only_postgres_cases(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg.starts_with("--test-case=") && arg.find("<PostgresBackend>") != std::string_view::npos)
      return true;
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  doctest::Context context;
  const bool have_cluster = !taskcore::testing::test_postgres_uri().empty();
  if (!have_cluster && !listing(argc, argv)) {
    if (taskcore::testing::postgres_backend_requested() || asks_only_postgres_cases(argc, argv)) {
      std::puts(taskcore::testing::kPostgresSkipMessage);
      return kSkipped;
    }
    context.addFilter("test-case-exclude", std::string(kPostgresCases).c_str());
  }
  context.applyCommandLine(argc, argv);
  return context.run();
}
