#include "middleware/request_id.h"

#include <httplib.h>

#include <random>

namespace taskcore::server {

bool is_well_formed_request_id(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (const char c : id) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string generate_request_id() {
  thread_local std::mt19937_64 generator{[] {
    std::random_device device;
    std::seed_seq seed{device(), device(), device(), device()};
    return std::mt19937_64(seed);
  }()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(32, '0');
  for (int word = 0; word < 2; ++word) {
    std::uint64_t bits = generator();
    for (int i = 0; i < 16; ++i, bits >>= 4) id[word * 16 + i] = kHex[bits & 0xF];
  }
  return id;
}

void ensure_request_id(const httplib::Request& req, httplib::Response& res) {
  if (res.has_header(kRequestIdHeader)) return;
  // Only a single incoming header counts; two of them is not well formed.
  if (req.get_header_value_count(kRequestIdHeader) == 1) {
    const std::string incoming = req.get_header_value(kRequestIdHeader);
    if (is_well_formed_request_id(incoming)) {
      res.set_header(kRequestIdHeader, incoming);
      return;
    }
  }
  res.set_header(kRequestIdHeader, generate_request_id());
}

std::string response_request_id(const httplib::Response& res) {
  return res.get_header_value(kRequestIdHeader);
}

}  // namespace taskcore::server
