#include "taskcore/logger.h"

#include <cstdio>

namespace taskcore {

std::string_view log_level_name(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug: return "debug";
    case LogLevel::kInfo: return "info";
    case LogLevel::kWarning: return "warning";
    case LogLevel::kError: return "error";
  }
  return "error";
}

void StderrLogger::log(LogLevel level, std::string_view message) noexcept {
  if (level < min_level_) return;
  const std::string_view name = log_level_name(level);
  // One fprintf per line: stdio locks the stream, so lines never interleave.
  std::fprintf(stderr, "taskcore: %.*s: %.*s\n", static_cast<int>(name.size()),
               name.data(), static_cast<int>(message.size()), message.data());
}

}  // namespace taskcore
