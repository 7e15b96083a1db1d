#pragma once

// Core values as the plain dicts the Python layer turns into its dataclasses:
// field names as the HTTP contract spells them, dates as datetime.date,
// timestamps as aware UTC datetime.datetime, enums by their contract names.

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>  // in every unit: pybind11 requires one view of the STL casters

#include "taskcore/taskcore.h"

namespace taskcore::python {

namespace py = pybind11;

// Loads Python's datetime C API; once, at module import.
void init_datetime();

py::object to_python(Date date);
py::object timestamp_to_python(Timestamp ts);

py::dict to_python(const Task& task);
py::dict to_python(const User& user);
py::dict to_python(const MediaFile& file);
py::dict to_python(const Post& post);
py::dict to_python(const AuditEntry& entry);
py::dict to_python(const SystemSample& sample);
// A measurement as Python has it: int for byte counts, float otherwise.
py::object stats_measurement(StatsField field, const std::optional<double>& value);
py::dict to_python(const BulkResult& result);
py::dict to_python(const TokenPair& tokens);
py::dict to_python(const RealtimeEvent& event);
py::dict to_python(const RealtimeBatch& batch);
py::dict to_python(const Principal& principal);

template <class T>
py::dict page_to_python(const Page<T>& page) {
  py::list results;
  for (const T& item : page.items) results.append(to_python(item));
  py::dict out;
  out["count"] = page.count;
  out["page"] = page.request.page;
  out["page_size"] = page.request.page_size;
  out["has_next"] = page.has_next();
  out["has_previous"] = page.has_previous();
  out["results"] = std::move(results);
  return out;
}

template <class T>
py::list list_to_python(const std::vector<T>& items) {
  py::list out;
  for (const T& item : items) out.append(to_python(item));
  return out;
}

}  // namespace taskcore::python
