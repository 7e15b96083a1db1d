#pragma once

#include <string>

#include "taskcore/error.h"
#include "taskcore/user.h"

namespace taskcore {

// Each returns the normalized value, or records why it is invalid.
std::string checked_username(const std::string& raw, FieldErrorCollector& errors);
std::string checked_email(const std::string& raw, FieldErrorCollector& errors);
void check_password(const std::string& password, FieldErrorCollector& errors);

}  // namespace taskcore
