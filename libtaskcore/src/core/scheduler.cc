#include "taskcore/scheduler.h"

#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <thread>

namespace taskcore {

using SteadyClock = std::chrono::steady_clock;

struct ThreadScheduler::State {
  struct Job {
    std::function<void()> fn;
    SteadyClock::duration interval;
    SteadyClock::time_point next_due;
    bool soon = false;
    bool running = false;
  };

  std::mutex mutex;
  std::condition_variable wake;       // the scheduler thread
  std::condition_variable run_ended;  // cancellers waiting for a run
  std::map<std::uint64_t, Job> jobs;
  std::uint64_t next_id = 1;
  bool stopping = false;
  std::thread::id thread_id;

  void loop();
  // The job to run now, or jobs.end(); `wait_until` gets the next due time.
  std::map<std::uint64_t, Job>::iterator due(SteadyClock::time_point now,
                                             SteadyClock::time_point& wait_until);
};

std::map<std::uint64_t, ThreadScheduler::State::Job>::iterator
ThreadScheduler::State::due(SteadyClock::time_point now,
                            SteadyClock::time_point& wait_until) {
  wait_until = SteadyClock::time_point::max();
  for (auto it = jobs.begin(); it != jobs.end(); ++it) {
    Job& job = it->second;
    if (job.running) continue;
    if (job.soon || job.next_due <= now) return it;
    wait_until = std::min(wait_until, job.next_due);
  }
  return jobs.end();
}

void ThreadScheduler::State::loop() {
  std::unique_lock lock(mutex);
  while (!stopping) {
    SteadyClock::time_point wait_until;
    auto it = due(SteadyClock::now(), wait_until);
    if (it == jobs.end()) {
      if (wait_until == SteadyClock::time_point::max())
        wake.wait(lock);
      else
        wake.wait_until(lock, wait_until);
      continue;
    }
    const std::uint64_t id = it->first;
    Job& job = it->second;
    job.running = true;
    job.soon = false;  // a request made during the run asks for another
    std::function<void()> fn = job.fn;
    lock.unlock();
    try {
      fn();
    } catch (...) {
      // Documented: a job that throws runs again at its next time.
    }
    lock.lock();
    if (auto found = jobs.find(id); found != jobs.end()) {
      found->second.running = false;
      const auto interval = found->second.interval;
      found->second.next_due = interval.count() > 0 ? SteadyClock::now() + interval
                                                    : SteadyClock::time_point::max();
    }
    run_ended.notify_all();
  }
}

ThreadScheduler::ThreadScheduler() : state_(std::make_shared<State>()) {
  thread_ = std::thread([state = state_] { state->loop(); });
  std::lock_guard lock(state_->mutex);
  state_->thread_id = thread_.get_id();
}

ThreadScheduler::~ThreadScheduler() {
  {
    std::lock_guard lock(state_->mutex);
    state_->stopping = true;
  }
  state_->wake.notify_all();
  // A job that drops the last reference to its scheduler cannot join its
  // own thread: the loop then ends by itself, holding the state.
  if (thread_.get_id() == std::this_thread::get_id()) {
    thread_.detach();
  } else {
    thread_.join();
  }
}

ScheduledJob ThreadScheduler::schedule(std::chrono::milliseconds interval,
                                       std::function<void()> job) {
  std::uint64_t id;
  {
    std::lock_guard lock(state_->mutex);
    id = state_->next_id++;
    State::Job entry;
    entry.fn = std::move(job);
    entry.interval = interval;
    entry.next_due = interval.count() > 0 ? SteadyClock::now() + interval
                                          : SteadyClock::time_point::max();
    state_->jobs.emplace(id, std::move(entry));
  }
  state_->wake.notify_all();
  std::weak_ptr<State> weak = state_;
  auto run_soon = [weak, id] {
    if (auto state = weak.lock()) {
      {
        std::lock_guard lock(state->mutex);
        auto it = state->jobs.find(id);
        if (it == state->jobs.end() || it->second.soon) return;
        it->second.soon = true;
      }
      state->wake.notify_all();
    }
  };
  auto cancel = [weak, id] {
    auto state = weak.lock();
    if (!state) return;
    std::unique_lock lock(state->mutex);
    if (std::this_thread::get_id() != state->thread_id) {
      state->run_ended.wait(lock, [&] {
        auto it = state->jobs.find(id);
        return it == state->jobs.end() || !it->second.running;
      });
    }
    state->jobs.erase(id);
  };
  return ScheduledJob(std::move(run_soon), Subscription(std::move(cancel)));
}

}  // namespace taskcore
