#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "taskcore/export.h"

namespace taskcore {

// Decoded query parameters in arrival order; a name may repeat.
// This is how filters and pagination arrive from any front end (HTTP query
// strings, Python keyword arguments, C++ callers).
class TASKCORE_EXPORT QueryParams {
 public:
  QueryParams() = default;
  QueryParams(std::initializer_list<std::pair<std::string, std::string>> items)
      : items_(items) {}

  void add(std::string name, std::string value);
  bool has(std::string_view name) const;
  // The last value given for `name`, or nullptr.
  const std::string* last(std::string_view name) const;
  // Every value of a multi filter: repeated names and comma lists are
  // flattened, surrounding blanks trimmed, empty items dropped.
  std::vector<std::string> multi(std::string_view name) const;
  const std::vector<std::pair<std::string, std::string>>& items() const {
    return items_;
  }

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

}  // namespace taskcore
