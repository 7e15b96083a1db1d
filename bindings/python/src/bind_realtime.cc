// Realtime: subscribers with rooms, polls and replay by cursor.

#include <chrono>
#include <algorithm>
#include <cmath>

#include <pybind11/stl.h>

#include "bindings.h"
#include "to_python.h"

namespace taskcore::python {
namespace {

std::chrono::milliseconds milliseconds_from(double seconds) {
  if (!(seconds >= 0)) return std::chrono::milliseconds(0);  // also NaN
  constexpr double kMaxSeconds = 86400.0 * 365;
  return std::chrono::milliseconds(
      static_cast<std::int64_t>(std::ceil(std::min(seconds, kMaxSeconds) * 1000)));
}

// Long waits run in slices, so that between two of them a signal handler
// (Ctrl-C's KeyboardInterrupt) can run in the main thread: Python only runs
// handlers when the thread holding the GIL asks.
constexpr std::chrono::milliseconds kWaitSlice{200};

// Calls `wait_slice(slice)` without the GIL until it returns a result that
// `done` accepts or `timeout_seconds` have passed, checking for signals
// between slices; returns the last result.
template <class WaitSlice, class Done>
auto wait_in_slices(double timeout_seconds, WaitSlice wait_slice, Done done) {
  const auto deadline = std::chrono::steady_clock::now() + milliseconds_from(timeout_seconds);
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    const auto slice = std::clamp(left, std::chrono::milliseconds(0), kWaitSlice);
    auto result = without_gil([&] { return wait_slice(slice); });
    if (done(result) || left <= kWaitSlice) return result;
    if (PyErr_CheckSignals() != 0) throw py::error_already_set();
  }
}

// A connected subscriber. It keeps the Core alive until it is closed, so a
// subscription can never reach a destroyed hub.
class SubscriberHandle {
 public:
  SubscriberHandle(std::shared_ptr<Core> core, std::shared_ptr<RealtimeSubscriber> subscriber)
      : core_(std::move(core)), subscriber_(std::move(subscriber)) {}
  ~SubscriberHandle() { close(); }

  void join(const std::string& room) {
    auto [core, subscriber] = open();
    without_gil([&] { core->realtime().join(*subscriber, room); });
  }
  void leave(const std::string& room) {
    auto [core, subscriber] = open();
    without_gil([&] { core->realtime().leave(*subscriber, room); });
  }
  std::vector<std::string> rooms() const {
    auto [core, subscriber] = open();
    return subscriber->rooms();
  }
  py::list take(std::size_t max_events) {
    auto [core, subscriber] = open();
    return list_to_python(without_gil([&] { return subscriber->take(max_events); }));
  }
  py::list wait(double timeout_seconds, std::size_t max_events) {
    auto [core, subscriber] = open();
    return list_to_python(wait_in_slices(
        timeout_seconds,
        [&](std::chrono::milliseconds slice) { return subscriber->wait(slice, max_events); },
        [&](const std::vector<RealtimeEvent>& events) {
          return !events.empty() || subscriber->closed();
        }));
  }
  std::int64_t cursor() const { return open().second->cursor(); }
  bool overflowed() const { return open().second->overflowed(); }
  bool closed() const {
    std::lock_guard lock(mutex_);
    return !subscriber_ || subscriber_->closed();
  }

  // Leaves every room; a wait() under way in another thread returns.
  void close() {
    std::shared_ptr<Core> core;
    std::shared_ptr<RealtimeSubscriber> subscriber;
    {
      std::lock_guard lock(mutex_);
      core = std::move(core_);
      subscriber = std::move(subscriber_);
    }
    if (!subscriber) return;
    auto finish = [&] {
      core->realtime().disconnect(*subscriber);
      subscriber.reset();
      core.reset();
    };
    if (PyGILState_Check()) {
      py::gil_scoped_release release;
      finish();
    } else {
      finish();
    }
  }

 private:
  std::pair<std::shared_ptr<Core>, std::shared_ptr<RealtimeSubscriber>> open() const {
    std::lock_guard lock(mutex_);
    if (!subscriber_)
      throw Error(ErrorCode::kServiceUnavailable, "The subscription is closed.");
    return {core_, subscriber_};
  }

  mutable std::mutex mutex_;
  std::shared_ptr<Core> core_;
  std::shared_ptr<RealtimeSubscriber> subscriber_;
};

}  // namespace

void bind_realtime(py::module_& module, CoreClass& core) {
  py::class_<SubscriberHandle, std::shared_ptr<SubscriberHandle>>(module, "Subscriber")
      .def("join", &SubscriberHandle::join)
      .def("leave", &SubscriberHandle::leave)
      .def_property_readonly("rooms", &SubscriberHandle::rooms)
      .def("take", &SubscriberHandle::take, py::arg("max_events") = 1000)
      .def("wait", &SubscriberHandle::wait, py::arg("timeout"), py::arg("max_events") = 1000)
      .def_property_readonly("cursor", &SubscriberHandle::cursor)
      .def_property_readonly("overflowed", &SubscriberHandle::overflowed)
      .def_property_readonly("closed", &SubscriberHandle::closed)
      .def("close", &SubscriberHandle::close);

  core.def("connect",
           [](CoreHandle& self, py::handle actor) {
             const Principal principal = principal_from(actor);
             auto c = self.core();
             auto subscriber = without_gil([&] { return c->realtime().connect(principal); });
             return std::make_shared<SubscriberHandle>(std::move(c), std::move(subscriber));
           })
      .def("current_cursor",
           [](CoreHandle& self) {
             auto c = self.core();
             return without_gil([&] { return c->realtime().current_cursor(); });
           })
      .def("read_events",
           [](CoreHandle& self, py::handle actor, std::vector<std::string> rooms,
              std::int64_t cursor, std::size_t max_events) {
             const Principal principal = principal_from(actor);
             auto c = self.core();
             return to_python(without_gil(
                 [&] { return c->realtime().read(principal, rooms, cursor, max_events); }));
           })
      .def("wait_events",
           [](CoreHandle& self, py::handle actor, std::vector<std::string> rooms,
              std::int64_t cursor, double timeout_seconds, std::size_t max_events) {
             const Principal principal = principal_from(actor);
             auto c = self.core();
             return to_python(wait_in_slices(
                 timeout_seconds,
                 [&](std::chrono::milliseconds slice) {
                   RealtimeBatch batch =
                       c->realtime().wait(principal, rooms, cursor, slice, max_events);
                   cursor = batch.cursor;  // what was scanned need not be again
                   return batch;
                 },
                 [](const RealtimeBatch& batch) { return !batch.events.empty(); }));
           })
      .def("presence",
           [](CoreHandle& self, py::handle actor, std::string room) {
             const Principal principal = principal_from(actor);
             auto c = self.core();
             return without_gil([&] { return c->realtime().presence(principal, room); });
           })
      .def("realtime_stats", [](CoreHandle& self) {
        auto c = self.core();
        const RealtimeStats stats = c->realtime().stats();
        py::dict out;
        out["subscribers"] = stats.subscribers;
        out["rooms"] = stats.rooms;
        out["events_delivered"] = stats.events_delivered;
        out["subscribers_dropped"] = stats.subscribers_dropped;
        return out;
      });
}

}  // namespace taskcore::python
