#pragma once

// Response compression, as far as it is ours to decide: httplib compresses
// JSON whenever Accept-Encoding merely mentions gzip (even "gzip;q=0") and
// prefers brotli, while the contract promises gzip.

#include <string_view>

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace taskcore::server {

// Whether an Accept-Encoding value lets the response be gzip-compressed
// (RFC 9110 §12.5.3): gzip (or x-gzip, or "*" when gzip is not named) with
// a q-value above 0 and not below identity's.
bool accepts_gzip(std::string_view accept_encoding);

// Leaves httplib an Accept-Encoding of exactly "gzip", or none, so that its
// own compression does what the client asked for.
void negotiate_encoding(httplib::Request& req);

// Vary: Accept-Encoding on every response whose type httplib would
// compress, compressed this time or not, so caches keep both forms apart.
void add_vary_accept_encoding(httplib::Response& res);

}  // namespace taskcore::server
