#pragma once

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "taskcore/export.h"

namespace taskcore {

// Stable error codes. Their names (error_code_name) are part of the HTTP
// contract and of the Python bindings; never renumber or rename.
enum class ErrorCode {
  kParseError,
  kValidationError,
  kNotAuthenticated,
  kAuthenticationFailed,
  kPermissionDenied,
  kNotFound,
  kMethodNotAllowed,
  kConflict,
  kPayloadTooLarge,
  kUnsupportedMediaType,
  kThrottled,
  kInternalError,
  kServiceUnavailable,
};

TASKCORE_EXPORT std::string_view error_code_name(ErrorCode code);

// Field name -> messages, ordered by field name so output is deterministic.
using FieldErrors = std::map<std::string, std::vector<std::string>>;
using DetailValue = std::variant<std::int64_t, std::string>;
using ErrorDetails = std::map<std::string, DetailValue>;

// The one exception type of libtaskcore. Every failure a caller can act on is
// an Error with a stable code; messages are safe to show to end users (they
// never hold SQL, file paths or stack traces).
class TASKCORE_EXPORT Error : public std::runtime_error {
 public:
  Error(ErrorCode code, std::string message, FieldErrors field_errors = {},
        ErrorDetails details = {});

  ErrorCode code() const noexcept { return code_; }
  const FieldErrors& field_errors() const noexcept { return field_errors_; }
  const ErrorDetails& details() const noexcept { return details_; }

  static Error validation(FieldErrors field_errors,
                          std::string message = "Invalid input.");
  static Error not_found(std::string message = "Not found.");
  static Error permission_denied(
      std::string message =
          "You do not have permission to perform this action.");
  static Error conflict(std::string message, FieldErrors field_errors = {});
  static Error authentication_failed(std::string message);
  static Error internal(std::string message = "Internal server error.");

 private:
  ErrorCode code_;
  FieldErrors field_errors_;
  ErrorDetails details_;
};

// Collects field errors while validating, then throws them all at once.
class TASKCORE_EXPORT FieldErrorCollector {
 public:
  void add(const std::string& field, std::string message);
  void merge(const FieldErrors& other);
  bool empty() const noexcept { return errors_.empty(); }
  const FieldErrors& errors() const noexcept { return errors_; }
  // Throws Error(kValidationError) when any error was added.
  void throw_if_any(std::string message = "Invalid input.") const;

 private:
  FieldErrors errors_;
};

}  // namespace taskcore
