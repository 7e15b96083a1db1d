#pragma once

#include <string>
#include <string_view>

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace taskcore::server {

inline constexpr const char* kRequestIdHeader = "X-Request-ID";

// 1-128 characters of [A-Za-z0-9._-] (CONTRACT §1).
bool is_well_formed_request_id(std::string_view id);

// 32 lowercase hex characters from a per-thread generator: ids need to be
// unique, not secret, and a CSPRNG call per request would be wasted work.
std::string generate_request_id();

// Sets X-Request-ID on `res` once: the client's id when well formed, else a
// fresh one. Safe to call repeatedly (httplib's set_header would add a
// second header line).
void ensure_request_id(const httplib::Request& req, httplib::Response& res);

// The id `res` carries (empty when none was set yet).
std::string response_request_id(const httplib::Response& res);

}  // namespace taskcore::server
