#pragma once

// The one place where failures become the contract's error body (§1.1).

#include <string>
#include <string_view>

#include "taskcore/error.h"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace taskcore {
class Clock;
}

namespace taskcore::server {

// HTTP status of an error code (§1.1 table).
int http_status_for(ErrorCode code);

// The code used for an HTTP error status that did not come from a
// taskcore::Error (httplib's own 400 / 413 / 414 ...).
ErrorCode error_code_for_status(int status);

// The error body of `error` (§1.1) as JSON text, for answers that are not an
// HTTP response of their own (a Socket.IO acknowledgement).
std::string error_body_json(const Clock& clock, const Error& error,
                            std::string_view request_id);

// Replaces status and body of `res` with the error body of `error`, adding
// WWW-Authenticate on 401 and Retry-After on 429. `res` must already carry
// X-Request-ID (ensure_request_id) so body and header agree.
void write_error(const Clock& clock, const Error& error, httplib::Response& res);

// The generic 500 body; the cause is logged to stderr, never sent.
void write_internal_error(const Clock& clock, std::string_view cause,
                          httplib::Response& res);

}  // namespace taskcore::server
