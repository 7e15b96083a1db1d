// Users and authentication.

#include <pybind11/stl.h>

#include "bindings.h"
#include "from_python.h"
#include "to_python.h"

namespace taskcore::python {

void bind_users(CoreClass& core) {
  core.def("register_user",
           [](CoreHandle& self, std::string username, std::string email, std::string password) {
             auto input = new_user_from(username, email, password, "member");
             auto c = self.core();
             return to_python(without_gil([&] { return c->users().register_user(input); }));
           })
      .def("create_user",
           [](CoreHandle& self, std::string username, std::string email, std::string password,
              std::string role) {
             auto input = new_user_from(username, email, password, role);
             auto c = self.core();
             return to_python(without_gil([&] { return c->users().create_user(input); }));
           })
      .def("ensure_admin",
           [](CoreHandle& self, std::string username, std::string email, std::string password) {
             auto input = new_user_from(username, email, password, "admin");
             auto c = self.core();
             return without_gil([&] { return c->users().ensure_admin(input); });
           })
      .def("list_users",
           [](CoreHandle& self, py::handle actor, py::handle params) {
             const Principal principal = principal_from(actor);
             const UserListQuery query = parse_user_list_query(query_params_from(params));
             auto c = self.core();
             return page_to_python(without_gil(
                 [&] { return c->users().list(principal, query.filter, query.page); }));
           })
      .def("get_user",
           [](CoreHandle& self, py::handle actor, std::int64_t id) {
             const Principal principal = principal_from(actor);
             auto c = self.core();
             return to_python(without_gil([&] { return c->users().get(principal, id); }));
           })
      .def("me",
           [](CoreHandle& self, py::handle actor) {
             const Principal principal = principal_from(actor);
             auto c = self.core();
             return to_python(without_gil([&] { return c->users().me(principal); }));
           })
      .def("update_user",
           [](CoreHandle& self, py::handle actor, std::int64_t id, py::dict fields) {
             const Principal principal = principal_from(actor);
             const UserUpdateInput input = user_update_from(fields);
             auto c = self.core();
             return to_python(
                 without_gil([&] { return c->users().update(principal, id, input); }));
           })
      .def("toggle_active",
           [](CoreHandle& self, py::handle actor, std::int64_t id) {
             const Principal principal = principal_from(actor);
             auto c = self.core();
             return to_python(
                 without_gil([&] { return c->users().toggle_active(principal, id); }));
           })
      .def("login",
           [](CoreHandle& self, std::string username, std::string password) {
             auto c = self.core();
             const LoginResult result =
                 without_gil([&] { return c->auth().login(username, password); });
             py::dict out = to_python(result.tokens);
             out["user"] = to_python(result.user);
             return out;
           })
      .def("refresh",
           [](CoreHandle& self, std::string refresh_token) {
             auto c = self.core();
             return to_python(without_gil([&] { return c->auth().refresh(refresh_token); }));
           })
      .def("logout",
           [](CoreHandle& self, py::handle actor, std::string refresh_token) {
             const Principal principal = principal_from(actor);
             auto c = self.core();
             without_gil([&] { c->auth().logout(principal, refresh_token); });
           })
      .def("change_password",
           [](CoreHandle& self, py::handle actor, std::string old_password,
              std::string new_password) {
             const Principal principal = principal_from(actor);
             auto c = self.core();
             without_gil(
                 [&] { c->auth().change_password(principal, old_password, new_password); });
           })
      .def("reset_password",
           [](CoreHandle& self, py::handle actor, std::int64_t user_id) {
             const Principal principal = principal_from(actor);
             auto c = self.core();
             const ResetTicket ticket =
                 without_gil([&] { return c->auth().reset_password(principal, user_id); });
             py::dict out;
             out["token"] = ticket.token;
             out["expires_at"] = timestamp_to_python(ticket.expires_at);
             return out;
           })
      .def("confirm_reset",
           [](CoreHandle& self, std::string token, std::string new_password) {
             auto c = self.core();
             without_gil([&] { c->auth().confirm_reset(token, new_password); });
           })
      .def("authenticate", [](CoreHandle& self, std::string access_token) {
        auto c = self.core();
        const AuthenticatedUser who =
            without_gil([&] { return c->auth().authenticate(access_token); });
        py::dict out = to_python(who.principal);
        out["user"] = to_python(who.user);
        return out;
      });
}

}  // namespace taskcore::python
