#pragma once

#include <cstdio>
#include <string_view>

#include "taskcore/export.h"

namespace taskcore {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };

TASKCORE_EXPORT std::string_view log_level_name(LogLevel level);

// Where libtaskcore reports what its caller cannot see in a return value: a
// storage failure's own message (which may hold SQL or paths, never shown to
// clients), a failed background checkpoint. The library writes nowhere else;
// by default (Options, SqliteOptions) it discards. Implementations must be
// thread safe and must not throw.
class TASKCORE_EXPORT Logger {
 public:
  virtual ~Logger() = default;
  virtual void log(LogLevel level, std::string_view message) noexcept = 0;
};

// Discards everything.
class TASKCORE_EXPORT NullLogger final : public Logger {
 public:
  void log(LogLevel, std::string_view) noexcept override {}
};

// One line per message on stderr ("taskcore: warning: ..."), from `min_level`
// up. For programs that want the library's messages on their terminal; the
// library never installs it by itself.
class TASKCORE_EXPORT StderrLogger final : public Logger {
 public:
  explicit StderrLogger(LogLevel min_level = LogLevel::kInfo)
      : min_level_(min_level) {}
  void log(LogLevel level, std::string_view message) noexcept override;

 private:
  LogLevel min_level_;
};

// Each message as one line of its own on `out` (stdout by default), with
// no prefix, from `min_level` up: for messages that are already structured
// (JSON lines of an access log). One write and a flush per line, so lines
// of concurrent callers never interleave and none waits in a buffer when
// the process dies. `out` must outlive the logger.
class TASKCORE_EXPORT LineLogger final : public Logger {
 public:
  explicit LineLogger(std::FILE* out = stdout, LogLevel min_level = LogLevel::kDebug)
      : out_(out), min_level_(min_level) {}
  void log(LogLevel level, std::string_view message) noexcept override;

 private:
  std::FILE* out_;
  LogLevel min_level_;
};

}  // namespace taskcore
