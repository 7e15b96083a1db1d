#include <cstdio>
#include <filesystem>

#include "taskcore/sqlite_store.h"
#include "taskcore/taskcore.h"

int main(int argc, char** argv) {
  const std::string path = argc > 1 ? argv[1] : "consumer.db";
  std::filesystem::remove(path);
  taskcore::Options options;
  options.store = taskcore::open_sqlite_store({.path = path});
  taskcore::Core core(std::move(options));
  auto user = core.users().create_user(
      {"consumer", "consumer@example.com", "long enough", taskcore::Role::kMember});
  taskcore::TaskInput input;
  input.title = std::optional<std::string>("from an installed libtaskcore");
  auto task = core.tasks().create({user.id, user.role, ""}, input);
  std::printf("consumer ok: task %lld\n", static_cast<long long>(task.id));
  return task.title == "from an installed libtaskcore" ? 0 : 1;
}
