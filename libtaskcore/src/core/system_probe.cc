#include "taskcore/system_probe.h"

#include <sys/statvfs.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace taskcore {
namespace {

std::optional<std::string> read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return text.str();
}

// "MemTotal:       16318480 kB" -> bytes.
std::optional<std::int64_t> meminfo_bytes(const std::string& text, std::string_view key) {
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.compare(0, key.size(), key) != 0 || line.size() <= key.size() ||
        line[key.size()] != ':')
      continue;
    std::istringstream fields(line.substr(key.size() + 1));
    long long kib = -1;
    std::string unit;
    if (!(fields >> kib) || kib < 0) return std::nullopt;
    fields >> unit;
    if (!unit.empty() && unit != "kB") return std::nullopt;
    return static_cast<std::int64_t>(kib) * 1024;
  }
  return std::nullopt;
}

}  // namespace

ProcSystemProbe::ProcSystemProbe(ProcProbeOptions options) : options_(std::move(options)) {
  std::vector<std::string> ignored;
  previous_cpu_ = read_cpu(ignored);
}

std::optional<ProcSystemProbe::CpuTimes> ProcSystemProbe::read_cpu(
    std::vector<std::string>& failures) const {
  const auto text = read_file(options_.proc_root / "stat");
  if (!text) {
    failures.push_back("cpu: cannot read " + (options_.proc_root / "stat").string());
    return std::nullopt;
  }
  std::istringstream in(*text);
  std::string label;
  // user nice system idle iowait irq softirq steal (guest time is already
  // inside user and nice).
  std::array<unsigned long long, 8> jiffies{};
  in >> label;
  std::size_t read = 0;
  while (read < jiffies.size() && in >> jiffies[read]) ++read;
  if (label != "cpu" || read < 4) {
    failures.push_back("cpu: unexpected format of " + (options_.proc_root / "stat").string());
    return std::nullopt;
  }
  CpuTimes times;
  for (std::size_t i = 0; i < read; ++i) times.total += jiffies[i];
  const std::uint64_t idle = jiffies[3] + (read > 4 ? jiffies[4] : 0);
  times.busy = times.total - idle;
  return times;
}

ProbeReading ProcSystemProbe::read() {
  ProbeReading reading;
  SystemSample& s = reading.sample;
  auto& failures = reading.failures;

  if (const auto cpu = read_cpu(failures)) {
    if (previous_cpu_ && cpu->total > previous_cpu_->total && cpu->busy >= previous_cpu_->busy) {
      const double busy = static_cast<double>(cpu->busy - previous_cpu_->busy);
      const double total = static_cast<double>(cpu->total - previous_cpu_->total);
      s.cpu_percent = 100.0 * busy / total;
    } else if (previous_cpu_) {
      failures.push_back("cpu: counters did not advance since the previous reading");
    }
    previous_cpu_ = cpu;
  }

  const std::filesystem::path meminfo_path = options_.proc_root / "meminfo";
  if (const auto meminfo = read_file(meminfo_path)) {
    const auto total = meminfo_bytes(*meminfo, "MemTotal");
    const auto available = meminfo_bytes(*meminfo, "MemAvailable");
    if (total && available) {
      s.memory_total_bytes = *total;
      s.memory_used_bytes = *total - *available;
      if (*total > 0)
        s.memory_percent = 100.0 * static_cast<double>(*total - *available) /
                           static_cast<double>(*total);
    } else {
      failures.push_back("memory: MemTotal or MemAvailable missing in " + meminfo_path.string());
    }
  } else {
    failures.push_back("memory: cannot read " + meminfo_path.string());
  }

  if (!options_.data_dir.empty()) {
    struct statvfs fs {};
    if (::statvfs(options_.data_dir.c_str(), &fs) == 0) {
      const auto block = static_cast<std::int64_t>(fs.f_frsize);
      const auto total = static_cast<std::int64_t>(fs.f_blocks) * block;
      const auto used = static_cast<std::int64_t>(fs.f_blocks - fs.f_bfree) * block;
      const auto available = static_cast<std::int64_t>(fs.f_bavail) * block;
      s.disk_total_bytes = total;
      s.disk_used_bytes = used;
      // As df does: the share of what non-root users can use.
      if (used + available > 0)
        s.disk_percent = 100.0 * static_cast<double>(used) / static_cast<double>(used + available);
    } else {
      failures.push_back("disk: statvfs of the data directory failed: " +
                         std::string(std::strerror(errno)));
    }
  }

  const std::filesystem::path loadavg_path = options_.proc_root / "loadavg";
  if (const auto loadavg = read_file(loadavg_path)) {
    std::istringstream in(*loadavg);
    double one = 0;
    if (in >> one) {
      s.load_avg_1 = one;
    } else {
      failures.push_back("load: unexpected format of " + loadavg_path.string());
    }
  } else {
    failures.push_back("load: cannot read " + loadavg_path.string());
  }

  if (const auto name = read_file(options_.proc_root / "sys/kernel/hostname")) {
    s.hostname = name->substr(0, name->find_first_of("\r\n"));
  }
  if (s.hostname.empty()) {
    std::array<char, 256> buffer{};
    if (::gethostname(buffer.data(), buffer.size() - 1) == 0) s.hostname = buffer.data();
  }
  if (s.hostname.empty()) {
    failures.push_back("hostname: unknown");
    s.hostname = "unknown";
  }
  return reading;
}

}  // namespace taskcore
