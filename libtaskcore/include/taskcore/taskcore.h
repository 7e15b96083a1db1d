#pragma once

// The facade of libtaskcore: open a Core from Options, then use its services.
//
//   taskcore::Options options;
//   options.store = taskcore::open_sqlite_store({.path = "app.db"});
//   taskcore::Core core(std::move(options));
//   auto admin = core.users().create_user({"ada", "ada@example.com",
//                                          "correct horse", Role::kAdmin});

#include <memory>

#include "taskcore/audit.h"
#include "taskcore/auth_service.h"
#include "taskcore/clock.h"
#include "taskcore/error.h"
#include "taskcore/event_bus.h"
#include "taskcore/export.h"
#include "taskcore/password_hasher.h"
#include "taskcore/random.h"
#include "taskcore/store.h"
#include "taskcore/task_service.h"
#include "taskcore/user_service.h"

namespace taskcore {

struct Options {
  // Required: where data lives (open_sqlite_store, or your own Store).
  std::shared_ptr<Store> store;
  // Default: SystemClock.
  std::shared_ptr<const Clock> clock;
  // Default: SecureRandom (libsodium).
  std::shared_ptr<RandomSource> random;
  // Default: InProcessEventBus.
  std::shared_ptr<EventBus> events;
  // Default: none (audit entries are not kept).
  std::shared_ptr<AuditSink> audit;
  // Default: argon2id at PasswordCost{} (19 MiB, 2 passes).
  PasswordCost password_cost;
  AuthOptions auth;
};

// Owns the services; shares the injected dependencies with them. Thread safe
// to use from many threads once constructed.
class TASKCORE_EXPORT Core {
 public:
  // Throws Error(kInternalError) when options.store is missing.
  explicit Core(Options options);
  ~Core();
  Core(const Core&) = delete;
  Core& operator=(const Core&) = delete;

  TaskService& tasks() { return *tasks_; }
  UserService& users() { return *users_; }
  AuthService& auth() { return *auth_; }
  EventBus& events() { return *options_.events; }
  Store& store() { return *options_.store; }
  const Clock& clock() const { return *options_.clock; }

 private:
  Options options_;
  std::unique_ptr<TaskService> tasks_;
  std::unique_ptr<UserService> users_;
  std::unique_ptr<AuthService> auth_;
};

}  // namespace taskcore
