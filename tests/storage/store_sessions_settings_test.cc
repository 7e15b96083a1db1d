#include <doctest/doctest.h>

#include <thread>
#include <vector>

#include "storage/store_backends.h"

using namespace taskcore;
using namespace taskcore::testing;

TEST_CASE_TEMPLATE("store sessions: round trip", B, TASKCORE_STORE_BACKENDS) {
  B backend;
  Store& store = *backend.store;
  const User user = add_user(store, "ada");

  Session s;
  s.id = "0123456789abcdef";
  s.user_id = user.id;
  s.created_at = kT0;
  s.last_used_at = kT0 + 10;
  s.expires_at = kT0 + 7 * 86'400'000LL;
  s.refresh_id = "refresh-1";
  store.insert_session(s);

  Session revoked = s;
  revoked.id = "fedcba9876543210";
  revoked.refresh_id = "refresh-2";
  revoked.revoked_at = kT0 + 99;
  store.insert_session(revoked);

  const auto found = store.find_session("0123456789abcdef");
  REQUIRE(found.has_value());
  CHECK(found->id == s.id);
  CHECK(found->user_id == user.id);
  CHECK(found->created_at == kT0);
  CHECK(found->last_used_at == kT0 + 10);
  CHECK(found->expires_at == s.expires_at);
  CHECK(found->refresh_id == "refresh-1");
  CHECK_FALSE(found->revoked_at.has_value());

  const auto found_revoked = store.find_session("fedcba9876543210");
  REQUIRE(found_revoked.has_value());
  CHECK(found_revoked->revoked_at == kT0 + 99);
  CHECK(found_revoked->refresh_id == "refresh-2");

  CHECK_FALSE(store.find_session("unknown").has_value());
  CHECK_FALSE(store.find_session("").has_value());
}

TEST_CASE_TEMPLATE("store settings: setting_or_insert keeps the first value", B,
                   TASKCORE_STORE_BACKENDS) {
  B backend;
  Store& store = *backend.store;
  CHECK(store.setting_or_insert("jwt_secret", "first") == "first");
  CHECK(store.setting_or_insert("jwt_secret", "second") == "first");
  CHECK(store.setting_or_insert("other", "x") == "x");
  CHECK(store.setting_or_insert("jwt_secret", "") == "first");

  // Concurrent callers all get the one stored value.
  std::vector<std::string> got(8);
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&, i] {
      got[i] = store.setting_or_insert("race", "value-" + std::to_string(i));
    });
  for (auto& t : threads) t.join();
  for (const auto& value : got) CHECK(value == got.front());
  CHECK(store.setting_or_insert("race", "late") == got.front());
}

TEST_CASE_TEMPLATE("store health: a working store is healthy", B,
                   TASKCORE_STORE_BACKENDS) {
  B backend;
  CHECK_NOTHROW(backend.store->check_health());
}
