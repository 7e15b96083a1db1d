#include "taskcore/error.h"

#include <utility>

namespace taskcore {

std::string_view error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::kParseError: return "parse_error";
    case ErrorCode::kValidationError: return "validation_error";
    case ErrorCode::kNotAuthenticated: return "not_authenticated";
    case ErrorCode::kAuthenticationFailed: return "authentication_failed";
    case ErrorCode::kPermissionDenied: return "permission_denied";
    case ErrorCode::kNotFound: return "not_found";
    case ErrorCode::kMethodNotAllowed: return "method_not_allowed";
    case ErrorCode::kConflict: return "conflict";
    case ErrorCode::kPayloadTooLarge: return "payload_too_large";
    case ErrorCode::kUnsupportedMediaType: return "unsupported_media_type";
    case ErrorCode::kThrottled: return "throttled";
    case ErrorCode::kInternalError: return "internal_error";
    case ErrorCode::kServiceUnavailable: return "service_unavailable";
  }
  return "internal_error";
}

Error::Error(ErrorCode code, std::string message, FieldErrors field_errors,
             ErrorDetails details)
    : std::runtime_error(std::move(message)),
      code_(code),
      field_errors_(std::move(field_errors)),
      details_(std::move(details)) {}

Error Error::validation(FieldErrors field_errors, std::string message) {
  return Error(ErrorCode::kValidationError, std::move(message),
               std::move(field_errors));
}
Error Error::not_found(std::string message) {
  return Error(ErrorCode::kNotFound, std::move(message));
}
Error Error::permission_denied(std::string message) {
  return Error(ErrorCode::kPermissionDenied, std::move(message));
}
Error Error::conflict(std::string message, FieldErrors field_errors) {
  return Error(ErrorCode::kConflict, std::move(message),
               std::move(field_errors));
}
Error Error::authentication_failed(std::string message) {
  return Error(ErrorCode::kAuthenticationFailed, std::move(message));
}
Error Error::internal(std::string message) {
  return Error(ErrorCode::kInternalError, std::move(message));
}

void FieldErrorCollector::add(const std::string& field, std::string message) {
  errors_[field].push_back(std::move(message));
}

void FieldErrorCollector::merge(const FieldErrors& other) {
  for (const auto& [field, messages] : other) {
    auto& target = errors_[field];
    target.insert(target.end(), messages.begin(), messages.end());
  }
}

void FieldErrorCollector::throw_if_any(std::string message) const {
  if (!errors_.empty()) throw Error::validation(errors_, std::move(message));
}

}  // namespace taskcore
