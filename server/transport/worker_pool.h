#pragma once

// An elastic pool of worker threads: threads start on demand up to a cap,
// with small stacks, and those idle for a while exit. httplib 0.11.4's
// ThreadPool has a fixed size, so a few long-polls or slow clients could
// hold every thread while other requests wait behind them.

#include <pthread.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <vector>

namespace taskcore::server::transport {

class WorkerPool {
 public:
  struct Options {
    std::size_t min_threads = 8;
    std::size_t max_threads = 2048;
    std::size_t stack_bytes = 1024 * 1024;
    // A thread above min_threads with no work for this long exits.
    std::chrono::milliseconds idle_exit{10000};
  };

  struct Stats {
    std::size_t threads = 0;
    std::size_t peak_threads = 0;
    std::size_t queued = 0;
  };

  explicit WorkerPool(Options options);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Runs `task` on an idle worker, or on a new one while fewer than
  // max_threads exist; otherwise it waits for the next free worker. Never
  // blocks. After shutdown() the task runs on the caller.
  void submit(std::function<void()> task);

  // Runs every task already submitted, then joins every worker.
  void shutdown();

  Stats stats() const;

 private:
  static void* thread_main(void* pool);
  void run();
  void spawn_locked();
  void join_finished(std::vector<pthread_t> finished);

  const Options options_;
  pthread_attr_t attributes_;
  mutable std::mutex mutex_;
  std::condition_variable work_;
  std::condition_variable exited_;
  std::deque<std::function<void()>> queue_;
  std::size_t threads_ = 0;
  std::size_t waiting_ = 0;
  std::size_t peak_ = 0;
  bool stopping_ = false;
  // Threads that have exited but are not joined yet.
  std::vector<pthread_t> finished_;
};

}  // namespace taskcore::server::transport
