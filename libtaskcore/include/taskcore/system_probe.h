#pragma once

// Where the stats sampler's readings come from. The default reads Linux's
// /proc and statvfs; tests and other platforms inject their own.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "taskcore/export.h"
#include "taskcore/system_stats.h"

namespace taskcore {

// One reading: the sample's measurements (id and timestamp are the
// sampler's) and, per probe that failed, a line saying which and why (no
// secrets; paths of /proc and the data directory only).
struct ProbeReading {
  SystemSample sample;
  std::vector<std::string> failures;
};

// Not required to be thread safe: the sampler calls it from one job at a
// time.
class TASKCORE_EXPORT SystemProbe {
 public:
  virtual ~SystemProbe() = default;
  virtual ProbeReading read() = 0;
};

struct ProcProbeOptions {
  // Root of the proc file system: stat, meminfo, loadavg and
  // sys/kernel/hostname are read below it (a directory of fake files in
  // tests).
  std::filesystem::path proc_root = "/proc";
  // The file system whose use is reported (statvfs); empty: no disk figures.
  std::filesystem::path data_dir;
};

// CPU % is the busy share of the jiffies between two readings, so the
// constructor takes a first reading of /proc/stat and each read() reports
// the time since the previous one (a failed first reading leaves the next
// cpu_percent null).
class TASKCORE_EXPORT ProcSystemProbe final : public SystemProbe {
 public:
  explicit ProcSystemProbe(ProcProbeOptions options);
  ProbeReading read() override;

 private:
  struct CpuTimes {
    std::uint64_t busy = 0;
    std::uint64_t total = 0;
  };
  std::optional<CpuTimes> read_cpu(std::vector<std::string>& failures) const;

  ProcProbeOptions options_;
  std::optional<CpuTimes> previous_cpu_;
};

}  // namespace taskcore
