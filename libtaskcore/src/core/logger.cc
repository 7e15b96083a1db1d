#include "taskcore/logger.h"

#include <cstdio>
#include <string>

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


void LineLogger::log(LogLevel level, std::string_view message) noexcept {
  if (level < min_level_) return;
  try {
    std::string line;
    line.reserve(message.size() + 1);
    line.append(message).push_back('\n');
    // fwrite locks the stream for the whole call: one call, one line.
    std::fwrite(line.data(), 1, line.size(), out_);
    std::fflush(out_);
  } catch (...) {
    // Out of memory for one line: the line is lost, the caller is not.
  }
}

}  // namespace taskcore
