#include "taskcore/taskcore.h"

namespace taskcore {

Core::Core(Options options) : options_(std::move(options)) {
  if (!options_.store) throw Error::internal("Options.store is required.");
  if (!options_.clock) options_.clock = std::make_shared<SystemClock>();
  if (!options_.random) options_.random = std::make_shared<SecureRandom>();
  if (!options_.events) options_.events = std::make_shared<InProcessEventBus>();
  auto hasher = std::make_shared<const PasswordHasher>(options_.password_cost);

  tasks_ = std::make_unique<TaskService>(options_.store, options_.clock,
                                         options_.events, options_.audit);
  users_ = std::make_unique<UserService>(options_.store, options_.clock, hasher,
                                         options_.auth.registration_enabled);
  auth_ = std::make_unique<AuthService>(options_.store, options_.clock,
                                        options_.random, hasher, options_.auth);
}

Core::~Core() = default;

}  // namespace taskcore
