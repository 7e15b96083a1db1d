#include <array>
#include <string_view>

#include "taskcore/task.h"
#include "taskcore/user.h"

namespace taskcore {
namespace {

constexpr std::array<std::string_view, 4> kRoleNames = {"viewer", "member",
                                                        "manager", "admin"};
constexpr std::array<std::string_view, 4> kStatusNames = {"todo", "in_progress",
                                                          "review", "done"};
constexpr std::array<std::string_view, 4> kPriorityNames = {"low", "medium",
                                                            "high", "urgent"};

template <class Enum>
std::optional<Enum> find_name(const std::array<std::string_view, 4>& names,
                              std::string_view name) {
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return static_cast<Enum>(i);
  return std::nullopt;
}

}  // namespace

std::string_view role_name(Role role) {
  return kRoleNames[static_cast<std::size_t>(role)];
}
std::optional<Role> parse_role(std::string_view name) {
  return find_name<Role>(kRoleNames, name);
}
std::string_view status_name(TaskStatus status) {
  return kStatusNames[static_cast<std::size_t>(status)];
}
std::optional<TaskStatus> parse_status(std::string_view name) {
  return find_name<TaskStatus>(kStatusNames, name);
}
std::string_view priority_name(TaskPriority priority) {
  return kPriorityNames[static_cast<std::size_t>(priority)];
}
std::optional<TaskPriority> parse_priority(std::string_view name) {
  return find_name<TaskPriority>(kPriorityNames, name);
}

}  // namespace taskcore
