#include "middleware/error_body.h"

#include <httplib.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "json/body.h"
#include "middleware/request_id.h"
#include "taskcore/clock.h"
#include "taskcore/time.h"

namespace taskcore::server {

int http_status_for(ErrorCode code) {
  switch (code) {
    case ErrorCode::kParseError: return 400;
    case ErrorCode::kValidationError: return 400;
    case ErrorCode::kNotAuthenticated: return 401;
    case ErrorCode::kAuthenticationFailed: return 401;
    case ErrorCode::kPermissionDenied: return 403;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kMethodNotAllowed: return 405;
    case ErrorCode::kConflict: return 409;
    case ErrorCode::kPayloadTooLarge: return 413;
    case ErrorCode::kUnsupportedMediaType: return 415;
    case ErrorCode::kThrottled: return 429;
    case ErrorCode::kInternalError: return 500;
    case ErrorCode::kServiceUnavailable: return 503;
  }
  return 500;
}

ErrorCode error_code_for_status(int status) {
  switch (status) {
    case 400: return ErrorCode::kParseError;
    case 401: return ErrorCode::kNotAuthenticated;
    case 403: return ErrorCode::kPermissionDenied;
    case 404: return ErrorCode::kNotFound;
    case 405: return ErrorCode::kMethodNotAllowed;
    case 409: return ErrorCode::kConflict;
    case 413: return ErrorCode::kPayloadTooLarge;
    case 415: return ErrorCode::kUnsupportedMediaType;
    case 429: return ErrorCode::kThrottled;
    case 503: return ErrorCode::kServiceUnavailable;
    default: break;
  }
  // Other 4xx (414 URI too long, 416, 431 ...) are requests we cannot use.
  return status < 500 ? ErrorCode::kValidationError : ErrorCode::kInternalError;
}

namespace {

nlohmann::json error_body(const Clock& clock, const Error& error, std::string_view request_id) {
  nlohmann::json body_error = {{"code", std::string(error_code_name(error.code()))},
                               {"message", error.what()}};
  if (!error.details().empty()) {
    nlohmann::json details = nlohmann::json::object();
    for (const auto& [key, value] : error.details())
      std::visit([&](const auto& v) { details[key] = v; }, value);
    body_error["details"] = std::move(details);
  }
  if (!error.field_errors().empty())
    body_error["field_errors"] = error.field_errors();
  return {{"error", std::move(body_error)},
          {"timestamp", format_timestamp(clock.now())},
          {"request_id", request_id}};
}

}  // namespace

std::string error_body_json(const Clock& clock, const Error& error,
                            std::string_view request_id) {
  return dump_json(error_body(clock, error, request_id));
}

void write_error(const Clock& clock, const Error& error,
                 httplib::Response& res) {
  const int status = http_status_for(error.code());
  res.status = status;
  res.headers.erase("Content-Encoding");
  if (status == 401 && !res.has_header("WWW-Authenticate"))
    res.set_header("WWW-Authenticate", "Bearer realm=\"api\"");
  if (status == 429 && !res.has_header("Retry-After")) {
    const auto it = error.details().find("retry_after");
    if (it != error.details().end()) {
      std::visit(
          [&](const auto& v) {
            if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::string>)
              res.set_header("Retry-After", v);
            else
              res.set_header("Retry-After", std::to_string(v));
          },
          it->second);
    }
  }
  res.set_content(dump_json(error_body(clock, error, response_request_id(res))),
                  "application/json");
}

void write_internal_error(const Clock& clock, std::string_view cause,
                          httplib::Response& res) {
  std::cerr << "taskcore-server: internal error (request "
            << response_request_id(res) << "): " << cause << std::endl;
  // Whatever the failed handler left behind (headers, partial body) goes.
  res.headers.erase("Content-Type");
  res.headers.erase("Allow");
  write_error(clock, Error::internal(), res);
}

}  // namespace taskcore::server
