#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <thread>

#include "taskcore/export.h"
#include "taskcore/subscription.h"

namespace taskcore {

// A job registered with a Scheduler.
class TASKCORE_EXPORT ScheduledJob {
 public:
  ScheduledJob() = default;
  ScheduledJob(std::function<void()> run_soon, Subscription registration)
      : run_soon_(std::move(run_soon)), registration_(std::move(registration)) {}

  // Asks for a run as soon as possible (several requests before it starts
  // make one run). Thread safe; cheap enough for a hot path.
  void run_soon() const {
    if (run_soon_) run_soon_();
  }
  // Ends the job; waits for a run in progress unless called from that run.
  void reset() { registration_.reset(); }
  explicit operator bool() const { return static_cast<bool>(registration_); }

 private:
  std::function<void()> run_soon_;
  Subscription registration_;
};

// Runs periodic and on-demand background work of the library (database
// checkpoints, outbox pruning, later the presence reaper, the stats sampler
// and retention). Injected through Options so tests decide when work runs.
// Thread safe.
class TASKCORE_EXPORT Scheduler {
 public:
  virtual ~Scheduler() = default;
  // Runs `job` every `interval` (the first time one interval from now; a
  // zero interval: only when asked with run_soon), never two runs of one job
  // at once, until the returned handle is destroyed. A job that throws is
  // run again at its next time. The job must not block for long: jobs may
  // share a thread.
  [[nodiscard]] virtual ScheduledJob schedule(
      std::chrono::milliseconds interval, std::function<void()> job) = 0;
};

// Runs every job on one background thread of its own, started in the
// constructor and joined in the destructor (every handle should be gone by
// then; their jobs no longer run).
class TASKCORE_EXPORT ThreadScheduler final : public Scheduler {
 public:
  ThreadScheduler();
  ~ThreadScheduler() override;
  ThreadScheduler(const ThreadScheduler&) = delete;
  ThreadScheduler& operator=(const ThreadScheduler&) = delete;

  [[nodiscard]] ScheduledJob schedule(std::chrono::milliseconds interval,
                                      std::function<void()> job) override;

 private:
  struct State;
  std::shared_ptr<State> state_;
  std::thread thread_;
};

}  // namespace taskcore
