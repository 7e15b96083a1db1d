// Blog media and posts, and the audit log.

#include <span>

#include <pybind11/stl.h>

#include "bindings.h"
#include "from_python.h"
#include "to_python.h"

namespace taskcore::python {
namespace {

struct OpenedMedia {
  MediaContent content;
  std::string bytes;
};

OpenedMedia read_media(Core& core, const std::string& stored_name) {
  OpenedMedia out{core.media().open(stored_name), {}};
  MediaReader& reader = *out.content.reader;
  out.bytes.resize(static_cast<std::size_t>(reader.size()));
  std::size_t done = 0;
  while (done < out.bytes.size()) {
    auto* begin = reinterpret_cast<std::byte*>(out.bytes.data()) + done;
    const std::size_t got = reader.read_at(static_cast<std::int64_t>(done),
                                           std::span(begin, out.bytes.size() - done));
    if (got == 0) break;  // the object shrank: return what is there
    done += got;
  }
  out.bytes.resize(done);
  return out;
}

void bind_media(CoreClass& core) {
  core.def("upload_media",
           [](CoreHandle& self, py::handle actor, py::handle files) {
             const Principal principal = principal_from(actor);
             const std::vector<UploadedFile> uploads = uploads_from(files);
             auto c = self.core();
             return list_to_python(
                 without_gil([&] { return c->media().upload(principal, uploads); }));
           })
      .def("get_media",
           [](CoreHandle& self, py::handle actor, std::int64_t id) {
             const Principal principal = principal_from(actor);
             auto c = self.core();
             const MediaDetail detail = without_gil([&] { return c->media().get(principal, id); });
             py::dict out = to_python(detail.file);
             out["referenced_by"] = py::cast(detail.referenced_by);
             return out;
           })
      .def("list_media",
           [](CoreHandle& self, py::handle actor, py::handle params) {
             const Principal principal = principal_from(actor);
             const MediaListQuery query = parse_media_list_query(query_params_from(params));
             auto c = self.core();
             return page_to_python(without_gil(
                 [&] { return c->media().list(principal, query.filter, query.page); }));
           })
      .def("delete_media",
           [](CoreHandle& self, py::handle actor, std::int64_t id) {
             const Principal principal = principal_from(actor);
             auto c = self.core();
             without_gil([&] { c->media().remove(principal, id); });
           })
      .def("read_media", [](CoreHandle& self, std::string stored_name) {
        auto c = self.core();
        const OpenedMedia opened = without_gil([&] { return read_media(*c, stored_name); });
        py::dict out;
        out["content"] = py::bytes(opened.bytes);
        out["mime_type"] = std::string(media_mime_type(opened.content.type));
        out["is_thumbnail"] = opened.content.is_thumbnail;
        out["etag"] = opened.content.etag;
        return out;
      });
}

void bind_posts(CoreClass& core) {
  core.def("list_posts",
           [](CoreHandle& self, py::handle reader, py::handle params) {
             const auto principal = optional_principal_from(reader);
             const PostListQuery query = parse_post_list_query(query_params_from(params));
             auto c = self.core();
             return page_to_python(without_gil(
                 [&] { return c->posts().list(principal, query.filter, query.page); }));
           })
      .def("get_post",
           [](CoreHandle& self, py::handle reader, std::int64_t id) {
             const auto principal = optional_principal_from(reader);
             auto c = self.core();
             return to_python(without_gil([&] { return c->posts().get(principal, id); }));
           })
      .def("create_post",
           [](CoreHandle& self, py::handle actor, py::dict fields) {
             const Principal principal = principal_from(actor);
             const PostInput input = post_input_from(fields);
             auto c = self.core();
             return to_python(without_gil([&] { return c->posts().create(principal, input); }));
           })
      .def("update_post",
           [](CoreHandle& self, py::handle actor, std::int64_t id, py::dict fields,
              bool partial) {
             const Principal principal = principal_from(actor);
             const PostInput input = post_input_from(fields);
             const WriteMode mode = partial ? WriteMode::kPartial : WriteMode::kReplace;
             auto c = self.core();
             return to_python(
                 without_gil([&] { return c->posts().update(principal, id, input, mode); }));
           })
      .def("delete_post", [](CoreHandle& self, py::handle actor, std::int64_t id) {
        const Principal principal = principal_from(actor);
        auto c = self.core();
        without_gil([&] { c->posts().remove(principal, id); });
      });
}

}  // namespace

void bind_content(CoreClass& core) {
  bind_media(core);
  bind_posts(core);
  core.def("list_audit", [](CoreHandle& self, py::handle actor, py::handle params) {
    const Principal principal = principal_from(actor);
    const AuditListQuery query = parse_audit_list_query(query_params_from(params));
    auto c = self.core();
    return page_to_python(
        without_gil([&] { return c->audit().list(principal, query.filter, query.page); }));
  });
}

}  // namespace taskcore::python
