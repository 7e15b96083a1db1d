#include "transport/worker_pool.h"

#include <iostream>

namespace taskcore::server::transport {
namespace {

std::size_t sanitizer_stack(std::size_t bytes) {
#if defined(__SANITIZE_ADDRESS__)
  // AddressSanitizer's redzones make every frame several times larger.
  return bytes * 4;
#else
  return bytes;
#endif
}

}  // namespace

WorkerPool::WorkerPool(Options options) : options_(options) {
  pthread_attr_init(&attributes_);
  pthread_attr_setstacksize(&attributes_, sanitizer_stack(options_.stack_bytes));
  std::lock_guard lock(mutex_);
  for (std::size_t i = 0; i < options_.min_threads; ++i) spawn_locked();
}

WorkerPool::~WorkerPool() {
  shutdown();
  pthread_attr_destroy(&attributes_);
}

void* WorkerPool::thread_main(void* pool) {
  static_cast<WorkerPool*>(pool)->run();
  return nullptr;
}

void WorkerPool::spawn_locked() {
  pthread_t thread;
  if (pthread_create(&thread, &attributes_, &WorkerPool::thread_main, this) != 0) {
    // Out of threads or memory: the task waits for a running worker.
    if (threads_ == 0) std::cerr << "taskcore-server: cannot start a worker thread\n";
    return;
  }
  pthread_setname_np(thread, "taskcore-worker");
  ++threads_;
  if (threads_ > peak_) peak_ = threads_;
}

void WorkerPool::join_finished(std::vector<pthread_t> finished) {
  for (const pthread_t thread : finished) pthread_join(thread, nullptr);
}

void WorkerPool::submit(std::function<void()> task) {
  std::vector<pthread_t> finished;
  {
    std::unique_lock lock(mutex_);
    if (stopping_) {
      lock.unlock();
      task();
      return;
    }
    queue_.push_back(std::move(task));
    // Every queued task is someone's: a waiting worker, or a new one.
    if (waiting_ >= queue_.size()) {
      work_.notify_one();
    } else if (threads_ < options_.max_threads) {
      spawn_locked();
    }
    finished.swap(finished_);
  }
  join_finished(std::move(finished));
}

void WorkerPool::run() {
  std::unique_lock lock(mutex_);
  while (true) {
    if (!queue_.empty()) {
      std::function<void()> task = std::move(queue_.front());
      queue_.pop_front();
      lock.unlock();
      task();
      task = nullptr;  // destroy captures outside the lock
      lock.lock();
      continue;
    }
    if (stopping_) break;
    ++waiting_;
    const bool woken = work_.wait_for(lock, options_.idle_exit, [&] {
      return !queue_.empty() || stopping_;
    });
    --waiting_;
    if (!woken && threads_ > options_.min_threads) break;
  }
  --threads_;
  finished_.push_back(pthread_self());
  exited_.notify_all();
}

void WorkerPool::shutdown() {
  std::vector<pthread_t> finished;
  {
    std::unique_lock lock(mutex_);
    stopping_ = true;
    work_.notify_all();
    exited_.wait(lock, [&] { return threads_ == 0; });
    finished.swap(finished_);
  }
  join_finished(std::move(finished));
  // Only when no worker could ever be started.
  std::deque<std::function<void()>> left;
  {
    std::lock_guard lock(mutex_);
    left.swap(queue_);
  }
  for (auto& task : left) task();
}

WorkerPool::Stats WorkerPool::stats() const {
  std::lock_guard lock(mutex_);
  return Stats{threads_, peak_, queue_.size()};
}

}  // namespace taskcore::server::transport
