#pragma once

// Helpers of the realtime suites: a Core with chosen realtime options, a
// scheduler the test runs by hand, an in-memory PresenceStore standing in
// for PostgreSQL's heartbeat table, and task inputs.

#include <algorithm>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "support/fixtures.h"
#include "taskcore/store_wrapper.h"
#include "taskcore/taskcore.h"

namespace taskcore::testing {

// Keeps every job; run_all() runs them now, on the calling thread.
class ManualScheduler final : public Scheduler {
 public:
  ScheduledJob schedule(std::chrono::milliseconds, std::function<void()> job) override {
    std::lock_guard lock(mutex_);
    const int id = next_id_++;
    jobs_[id] = std::move(job);
    return ScheduledJob([] {}, Subscription([this, id] {
                          std::lock_guard lock(mutex_);
                          jobs_.erase(id);
                        }));
  }
  void run_all() {
    std::vector<std::function<void()>> jobs;
    {
      std::lock_guard lock(mutex_);
      for (auto& [id, job] : jobs_) jobs.push_back(job);
    }
    for (auto& job : jobs) job();
  }
  std::size_t size() {
    std::lock_guard lock(mutex_);
    return jobs_.size();
  }

 private:
  std::mutex mutex_;
  std::map<int, std::function<void()>> jobs_;
  int next_id_ = 1;
};

// PostgreSQL's presence table in memory: entries and heartbeats by server.
class FakePresenceStore final : public PresenceStore {
 public:
  void publish(const std::string& server_id, const std::vector<PresenceEntry>& entries,
               Timestamp now) override {
    std::lock_guard lock(mutex_);
    if (failing) throw Error::internal("presence store down");
    entries_[server_id] = entries;
    heartbeats_[server_id] = now;
  }
  std::vector<PresenceEntry> live(Timestamp since) override {
    std::lock_guard lock(mutex_);
    if (failing) throw Error::internal("presence store down");
    std::vector<PresenceEntry> out;
    for (const auto& [server, entries] : entries_)
      if (heartbeats_[server] > since) out.insert(out.end(), entries.begin(), entries.end());
    std::sort(out.begin(), out.end(), [](const PresenceEntry& a, const PresenceEntry& b) {
      return std::tie(a.room, a.user_id, a.server_id) < std::tie(b.room, b.user_id, b.server_id);
    });
    return out;
  }
  void withdraw(const std::string& server_id) override {
    std::lock_guard lock(mutex_);
    if (failing) throw Error::internal("presence store down");
    entries_.erase(server_id);
    heartbeats_.erase(server_id);
  }
  std::size_t entries_of(const std::string& server_id) {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(server_id);
    return it == entries_.end() ? 0 : it->second.size();
  }

  std::atomic<bool> failing{false};

 private:
  std::mutex mutex_;
  std::map<std::string, std::vector<PresenceEntry>> entries_;
  std::map<std::string, Timestamp> heartbeats_;
};

// A store that offers `presence` as its shared presence.
class PresenceSharingStore final : public StoreWrapper {
 public:
  PresenceSharingStore(std::shared_ptr<Store> target, std::shared_ptr<PresenceStore> presence)
      : StoreWrapper(std::move(target)), presence_(std::move(presence)) {}
  std::shared_ptr<PresenceStore> shared_presence() override { return presence_; }

 private:
  std::shared_ptr<PresenceStore> presence_;
};

struct RecordingLogger final : Logger {
  void log(LogLevel level, std::string_view message) noexcept override {
    std::lock_guard lock(mutex);
    if (level >= LogLevel::kWarning) warnings.emplace_back(message);
  }
  std::vector<std::string> snapshot() {
    std::lock_guard lock(mutex);
    return warnings;
  }
  std::mutex mutex;
  std::vector<std::string> warnings;
};

// A Core like CoreFixture's, with the given realtime options (and optional
// scheduler and logger), over `store`.
inline std::unique_ptr<Core> make_core(std::shared_ptr<Store> store,
                                       std::shared_ptr<ManualClock> clock,
                                       RealtimeOptions realtime,
                                       std::shared_ptr<Scheduler> scheduler = nullptr,
                                       std::shared_ptr<Logger> logger = nullptr,
                                       EventRetention retention = {}) {
  Options options;
  options.store = std::move(store);
  options.clock = std::move(clock);
  options.random = std::make_shared<CountingRandom>();
  options.password_cost = PasswordCost::fast();
  options.scheduler = std::move(scheduler);
  options.logger = std::move(logger);
  options.realtime = std::move(realtime);
  options.event_retention = retention;
  options.media.sweep_interval_ms = 0;
  return std::make_unique<Core>(std::move(options));
}

inline TaskInput task_input(const std::string& title,
                            std::optional<std::string> project = std::nullopt,
                            std::optional<std::int64_t> assigned_to = std::nullopt) {
  TaskInput input;
  input.title = std::optional<std::string>(title);
  if (project) input.project = std::optional<std::string>(*project);
  if (assigned_to) input.assigned_to = std::optional<std::int64_t>(*assigned_to);
  return input;
}

// A synthetic committed change, for tests that publish on the bus directly.
inline TaskEvent change(std::int64_t sequence, std::optional<std::string> project = std::nullopt) {
  TaskEvent event;
  event.sequence = sequence;
  event.type = TaskEventType::kCreated;
  event.task_id = sequence;
  Task task;
  task.id = sequence;
  task.title = "t" + std::to_string(sequence);
  task.project = std::move(project);
  event.after = task;
  return event;
}

inline void publish(EventBus& bus, const TaskEvent& event) {
  bus.publish(std::span(&event, 1));
}

inline std::vector<std::string> rooms_of(const std::vector<RealtimeEvent>& events) {
  std::vector<std::string> out;
  for (const RealtimeEvent& e : events) out.push_back(e.room);
  return out;
}

}  // namespace taskcore::testing
