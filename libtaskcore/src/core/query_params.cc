#include "taskcore/query_params.h"

#include "util/text.h"

namespace taskcore {

void QueryParams::add(std::string name, std::string value) {
  items_.emplace_back(std::move(name), std::move(value));
}

bool QueryParams::has(std::string_view name) const {
  return last(name) != nullptr;
}

const std::string* QueryParams::last(std::string_view name) const {
  for (auto it = items_.rbegin(); it != items_.rend(); ++it)
    if (it->first == name) return &it->second;
  return nullptr;
}

std::vector<std::string> QueryParams::multi(std::string_view name) const {
  std::vector<std::string> values;
  for (const auto& [key, value] : items_) {
    if (key != name) continue;
    std::string_view rest = value;
    while (true) {
      const auto comma = rest.find(',');
      auto item = util::trim(rest.substr(0, comma));
      if (!item.empty()) values.emplace_back(item);
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  return values;
}

}  // namespace taskcore
