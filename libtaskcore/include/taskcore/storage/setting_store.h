#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "taskcore/export.h"

namespace taskcore {

// Small named values shared by every server on one database (the token
// signing key), inside one transaction (see Transaction).
class TASKCORE_EXPORT SettingStore {
 public:
  virtual ~SettingStore() = default;

  virtual std::optional<std::string> get(std::string_view key) = 0;
  // Stores `value` unless `key` has one; returns whether it stored it.
  virtual bool insert_if_absent(std::string_view key, std::string_view value) = 0;
};

}  // namespace taskcore
