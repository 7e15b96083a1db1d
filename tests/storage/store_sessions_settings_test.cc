#include <doctest/doctest.h>

#include <thread>
#include <vector>

#include "storage/store_backends.h"

using namespace taskcore;
using namespace taskcore::testing;

namespace {

std::optional<Session> find_session(Store& store, std::string_view id) {
  return store.read([&](Transaction& tx) { return tx.sessions().find(id); });
}

// Stores `value` unless `key` has one, then reads it back: the core's
// signing-key pattern.
std::string setting_or_insert(Store& store, const std::string& key, const std::string& value) {
  return store.write([&](Transaction& tx) {
    tx.settings().insert_if_absent(key, value);
    return *tx.settings().get(key);
  });
}

Session make_session(std::string id, std::int64_t user_id) {
  Session s;
  s.id = std::move(id);
  s.user_id = user_id;
  s.created_at = kT0;
  s.last_used_at = kT0 + 10;
  s.expires_at = kT0 + 7 * 86'400'000LL;
  return s;
}

}  // namespace

TEST_CASE_TEMPLATE("store sessions: round trip", B, TASKCORE_STORE_BACKENDS) {
  B backend;
  Store& store = *backend.store;
  const User user = add_user(store, "ada");

  const Session s = make_session("0123456789abcdef", user.id);
  Session revoked = make_session("fedcba9876543210", user.id);
  revoked.revoked_at = kT0 + 99;
  store.write([&](Transaction& tx) {
    tx.sessions().insert(s);
    tx.sessions().insert(revoked);
  });

  const auto found = find_session(store, "0123456789abcdef");
  REQUIRE(found.has_value());
  CHECK(found->id == s.id);
  CHECK(found->user_id == user.id);
  CHECK(found->created_at == kT0);
  CHECK(found->last_used_at == kT0 + 10);
  CHECK(found->expires_at == s.expires_at);
  CHECK_FALSE(found->revoked_at.has_value());

  const auto found_revoked = find_session(store, "fedcba9876543210");
  REQUIRE(found_revoked.has_value());
  CHECK(found_revoked->revoked_at == kT0 + 99);

  CHECK_FALSE(find_session(store, "unknown").has_value());
  CHECK_FALSE(find_session(store, "").has_value());
}

TEST_CASE_TEMPLATE("store sessions: update, revoke_all and delete_ended", B,
                   TASKCORE_STORE_BACKENDS) {
  B backend;
  Store& store = *backend.store;
  const User ada = add_user(store, "ada");
  const User bob = add_user(store, "bob");
  store.write([&](Transaction& tx) {
    for (const char* id : {"a1", "a2", "a3"}) tx.sessions().insert(make_session(id, ada.id));
    tx.sessions().insert(make_session("b1", bob.id));
  });

  Session rotated = *find_session(store, "a1");
  rotated.last_used_at = kT0 + 500;
  rotated.expires_at = kT0 + 600;
  store.write([&](Transaction& tx) { tx.sessions().update(rotated); });
  const Session back = *find_session(store, "a1");
  CHECK(back.last_used_at == kT0 + 500);
  CHECK(back.expires_at == kT0 + 600);
  CHECK(back.created_at == kT0);

  // Every live session of ada but a2; bob's stays.
  CHECK(store.write([&](Transaction& tx) {
    return tx.sessions().revoke_all(ada.id, kT0 + 700, "a2");
  }) == 2);
  CHECK(find_session(store, "a1")->revoked_at == kT0 + 700);
  CHECK_FALSE(find_session(store, "a2")->revoked_at.has_value());
  CHECK(find_session(store, "a3")->revoked_at == kT0 + 700);
  CHECK_FALSE(find_session(store, "b1")->revoked_at.has_value());
  // Revoked ones are not revoked again.
  CHECK(store.write([&](Transaction& tx) { return tx.sessions().revoke_all(ada.id, kT0 + 800); }) ==
        1);
  CHECK(find_session(store, "a1")->revoked_at == kT0 + 700);

  // a1 expired at kT0 + 600; a2, a3 were revoked at 800 and 700.
  CHECK(store.write([&](Transaction& tx) { return tx.sessions().delete_ended(kT0 + 750); }) ==
        2);
  CHECK_FALSE(find_session(store, "a1"));
  CHECK(find_session(store, "a2"));
  CHECK_FALSE(find_session(store, "a3"));
  CHECK(find_session(store, "b1"));
}

TEST_CASE_TEMPLATE("store sessions: refresh tokens by hash", B, TASKCORE_STORE_BACKENDS) {
  B backend;
  Store& store = *backend.store;
  const User ada = add_user(store, "ada");
  store.write([&](Transaction& tx) {
    tx.sessions().insert(make_session("s1", ada.id));
    tx.sessions().insert_refresh_token({"hash-1", "s1", kT0, std::nullopt});
  });
  const auto find = [&](const char* hash) {
    return store.read([&](Transaction& tx) { return tx.sessions().find_refresh_token(hash); });
  };
  REQUIRE(find("hash-1"));
  CHECK(find("hash-1")->session_id == "s1");
  CHECK(find("hash-1")->issued_at == kT0);
  CHECK_FALSE(find("hash-1")->used_at);
  CHECK_FALSE(find("hash-2"));
  store.write([](Transaction& tx) { tx.sessions().mark_refresh_token_used("hash-1", kT0 + 5); });
  CHECK(find("hash-1")->used_at == kT0 + 5);
  // Used once: a second mark keeps the first time.
  store.write([](Transaction& tx) { tx.sessions().mark_refresh_token_used("hash-1", kT0 + 9); });
  CHECK(find("hash-1")->used_at == kT0 + 5);
  // Tokens go with their session.
  store.write([](Transaction& tx) {
    Session s = *tx.sessions().find("s1");
    s.revoked_at = kT0;
    tx.sessions().update(s);
    tx.sessions().delete_ended(kT0 + 1);
  });
  CHECK_FALSE(find("hash-1"));
}

TEST_CASE_TEMPLATE("store reset tokens: single use, voided, deleted when ended", B,
                   TASKCORE_STORE_BACKENDS) {
  B backend;
  Store& store = *backend.store;
  const User ada = add_user(store, "ada");
  store.write([&](Transaction& tx) {
    tx.reset_tokens().insert({"r1", ada.id, kT0, kT0 + 1000, std::nullopt});
    tx.reset_tokens().insert({"r2", ada.id, kT0, kT0 + 5000, std::nullopt});
  });
  const auto find = [&](const char* hash) {
    return store.read([&](Transaction& tx) { return tx.reset_tokens().find(hash); });
  };
  REQUIRE(find("r1"));
  CHECK(find("r1")->user_id == ada.id);
  CHECK(find("r1")->expires_at == kT0 + 1000);
  store.write([](Transaction& tx) { tx.reset_tokens().mark_used("r1", kT0 + 10); });
  CHECK(find("r1")->used_at == kT0 + 10);
  CHECK(store.write([&](Transaction& tx) { return tx.reset_tokens().void_all(ada.id, kT0 + 20); }) ==
        1);
  CHECK(find("r2")->used_at == kT0 + 20);
  CHECK(store.write([](Transaction& tx) { return tx.reset_tokens().delete_ended(kT0 + 15); }) == 1);
  CHECK_FALSE(find("r1"));
  CHECK(find("r2"));
}

TEST_CASE_TEMPLATE("store settings: the first value stays", B, TASKCORE_STORE_BACKENDS) {
  B backend;
  Store& store = *backend.store;
  CHECK(setting_or_insert(store, "jwt_secret", "first") == "first");
  CHECK(setting_or_insert(store, "jwt_secret", "second") == "first");
  CHECK(setting_or_insert(store, "other", "x") == "x");
  CHECK(store.read([](Transaction& tx) { return tx.settings().get("missing"); }) ==
        std::nullopt);
  CHECK(store.write([](Transaction& tx) {
    return tx.settings().insert_if_absent("jwt_secret", "third");
  }) == false);

  // Concurrent callers all get the one stored value.
  std::vector<std::string> got(8);
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&, i] {
      got[i] = setting_or_insert(store, "race", "value-" + std::to_string(i));
    });
  for (auto& t : threads) t.join();
  for (const auto& value : got) CHECK(value == got.front());
  CHECK(setting_or_insert(store, "race", "late") == got.front());
}

TEST_CASE_TEMPLATE("store health: a working store is healthy", B,
                   TASKCORE_STORE_BACKENDS) {
  B backend;
  CHECK_NOTHROW(backend.store->check_health());
}
