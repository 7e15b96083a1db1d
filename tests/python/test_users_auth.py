"""Users (registration, admin management) and authentication."""

from __future__ import annotations

import datetime
from typing import Callable, List

import pytest

import taskcore
from conftest import PASSWORD, Team

UTC = datetime.timezone.utc


def test_create_returns_a_user(db: taskcore.Database) -> None:
    before = datetime.datetime.now(UTC) - datetime.timedelta(seconds=5)
    user = db.users.create("alice", "alice@example.com", PASSWORD, role="manager")
    assert isinstance(user, taskcore.User)
    assert user.id >= 1
    assert (user.username, user.email, user.role, user.is_active) == (
        "alice", "alice@example.com", "manager", True)
    assert user.last_login is None
    assert user.date_joined.tzinfo is not None
    assert user.date_joined.utcoffset() == datetime.timedelta(0)
    assert before <= user.date_joined <= datetime.datetime.now(UTC) + datetime.timedelta(seconds=5)
    assert user.actor() == taskcore.Actor(user.id, "manager")
    assert user.actor().session_id == ""


@pytest.mark.parametrize("role", ["admin", "manager", "member", "viewer"])
def test_every_role(db: taskcore.Database, role: str) -> None:
    user = db.users.create("user_" + role, role + "@example.com", PASSWORD, role=role)
    assert user.role == role
    assert db.users.me(user).role == role


def test_default_role_is_member(db: taskcore.Database) -> None:
    assert db.users.create("alice", "alice@example.com", PASSWORD).role == "member"


def test_bad_role_is_a_validation_error(db: taskcore.Database) -> None:
    with pytest.raises(taskcore.ValidationError) as info:
        db.users.create("alice", "alice@example.com", PASSWORD, role="overlord")
    assert info.value.field_errors == {"role": ['"overlord" is not a valid choice.']}


def test_register_makes_a_member(db: taskcore.Database) -> None:
    user = db.users.register("newbie", "newbie@example.com", PASSWORD)
    assert user.role == "member"
    assert user.is_active is True
    assert db.auth.login("newbie", PASSWORD).user.id == user.id


def test_register_validates_every_field(db: taskcore.Database) -> None:
    with pytest.raises(taskcore.ValidationError) as info:
        db.users.register("x", "not-an-email", "short")
    errors = info.value.field_errors
    assert set(errors) == {"username", "email", "password"}
    assert errors["email"] == ["Enter a valid email address."]
    assert any("at least 8 characters" in m for m in errors["password"])


def test_duplicate_username_conflicts(db: taskcore.Database) -> None:
    db.users.create("alice", "alice@example.com", PASSWORD)
    creators: List[Callable[[], object]] = [
        lambda: db.users.create("alice", "other@example.com", PASSWORD),
        lambda: db.users.register("alice", "other@example.com", PASSWORD)]
    for create in creators:
        with pytest.raises(taskcore.Conflict) as info:
            create()
        assert info.value.code == "conflict"
        assert info.value.field_errors == {
            "username": ["A user with that username already exists."]}


def test_ensure_admin(db: taskcore.Database) -> None:
    assert db.users.ensure_admin("root", "root@example.com", PASSWORD) is True
    assert db.users.ensure_admin("root", "root@example.com", PASSWORD) is False
    login = db.auth.login("root", PASSWORD)
    assert login.user.role == "admin"
    assert db.users.list(login).count == 1


def test_list_users_filters(db: taskcore.Database, team: Team) -> None:
    admin = team.admin
    page = db.users.list(admin)
    assert page.count == 5
    assert {u.username for u in page} == {"admin", "manager", "member", "member2", "viewer"}

    by_roles = db.users.list(admin, role=["member", "viewer"])
    assert {u.username for u in by_roles} == {"member", "member2", "viewer"}
    assert {u.username for u in db.users.list(admin, role="manager")} == {"manager"}

    db.users.update(admin, team.member2.id, is_active=False)
    assert {u.username for u in db.users.list(admin, is_active=False)} == {"member2"}
    assert db.users.list(admin, is_active=True).count == 4

    assert {u.username for u in db.users.list(admin, search="member")} == {"member", "member2"}

    today = datetime.datetime.now(UTC).date()
    assert db.users.list(admin, joined_after=today).count == 5
    assert db.users.list(admin, joined_before=today).count == 5
    assert db.users.list(admin, joined_after=today + datetime.timedelta(days=1)).count == 0
    assert db.users.list(admin, joined_before=today - datetime.timedelta(days=1)).count == 0
    assert db.users.list(admin, joined_after=today.isoformat(), role="viewer").count == 1


def test_list_users_bad_filters(db: taskcore.Database, team: Team) -> None:
    with pytest.raises(taskcore.ValidationError) as info:
        db.users.list(team.admin, role="overlord")
    assert list(info.value.field_errors) == ["role"]
    with pytest.raises(taskcore.ValidationError) as info:
        db.users.list(team.admin, joined_after="yesterday")
    assert list(info.value.field_errors) == ["registration_date_start"]
    with pytest.raises(TypeError):
        db.users.list(team.admin, colour="red")


def test_list_users_pagination(db: taskcore.Database, team: Team) -> None:
    first = db.users.list(team.admin, page=1, page_size=2)
    assert (first.count, first.page, first.page_size, first.has_next, first.has_previous) == (
        5, 1, 2, True, False)
    assert len(first) == 2
    last = db.users.list(team.admin, page=3, page_size=2)
    assert (last.has_next, last.has_previous, len(last.results)) == (False, True, 1)
    seen = [u.id for n in (1, 2, 3) for u in db.users.list(team.admin, page=n, page_size=2)]
    assert sorted(seen) == sorted({team.admin.id, team.manager.id, team.member.id,
                                   team.member2.id, team.viewer.id})
    with pytest.raises(taskcore.NotFound):
        db.users.list(team.admin, page=4, page_size=2)
    everyone = list(db.users.iter_all(team.admin, role=["member", "viewer"]))
    assert {u.username for u in everyone} == {"member", "member2", "viewer"}


def test_get_and_me(db: taskcore.Database, team: Team) -> None:
    assert db.users.get(team.admin, team.member.id) == team.member
    assert db.users.me(team.member) == team.member
    login = db.auth.login("viewer", PASSWORD)
    me = db.users.me(login)
    assert me.id == team.viewer.id
    assert me.last_login is not None
    with pytest.raises(taskcore.NotFound):
        db.users.get(team.admin, 99999)


def test_update_user(db: taskcore.Database, team: Team) -> None:
    updated = db.users.update(team.admin, team.member.id, email="new@example.com",
                              role="manager", is_active=False)
    assert (updated.email, updated.role, updated.is_active) == ("new@example.com", "manager",
                                                                False)
    assert db.users.get(team.admin, team.member.id) == updated
    # absent arguments stay unchanged
    again = db.users.update(team.admin, team.member.id, is_active=True)
    assert (again.email, again.role, again.is_active) == ("new@example.com", "manager", True)


def test_update_user_wrong_types(db: taskcore.Database, team: Team) -> None:
    with pytest.raises(taskcore.ValidationError) as info:
        db.users.update(team.admin, team.member.id, email=3, role=None,  # type: ignore[arg-type]
                        is_active="yes")  # type: ignore[arg-type]
    assert info.value.field_errors == {"email": ["Not a valid string."],
                                       "role": ["Not a valid string."],
                                       "is_active": ["Must be a valid boolean."]}
    with pytest.raises(taskcore.ValidationError) as info:
        db.users.update(team.admin, team.member.id, role="overlord")
    assert list(info.value.field_errors) == ["role"]


def test_demoting_the_last_admin_conflicts(db: taskcore.Database, team: Team) -> None:
    with pytest.raises(taskcore.Conflict):
        db.users.update(team.admin, team.admin.id, role="member")
    with pytest.raises(taskcore.Conflict):
        db.users.update(team.admin, team.admin.id, is_active=False)
    assert db.users.get(team.admin, team.admin.id).role == "admin"
    # with a second admin, demotion is allowed
    db.users.update(team.admin, team.manager.id, role="admin")
    assert db.users.update(team.admin, team.admin.id, role="member").role == "member"


def test_toggle_active(db: taskcore.Database, team: Team) -> None:
    off = db.users.toggle_active(team.admin, team.member.id)
    assert off.is_active is False
    with pytest.raises(taskcore.AuthenticationFailed):
        db.auth.login("member", PASSWORD)
    on = db.users.toggle_active(team.admin, team.member.id)
    assert on.is_active is True
    assert db.auth.login("member", PASSWORD).user.id == team.member.id


@pytest.mark.parametrize("who", ["manager", "member", "viewer"])
def test_user_admin_is_for_admins_only(db: taskcore.Database, team: Team, who: str) -> None:
    caller: taskcore.User = getattr(team, who)
    calls: List[Callable[[], object]] = [
        lambda: db.users.list(caller),
        lambda: db.users.update(caller, team.member2.id, role="admin"),
        lambda: db.users.toggle_active(caller, team.member2.id),
        lambda: db.auth.reset_password(caller, team.member2.id),
    ]
    for call in calls:
        with pytest.raises(taskcore.PermissionDenied) as info:
            call()
        assert isinstance(info.value, PermissionError)
        assert info.value.code == "permission_denied"
    assert db.users.get(team.admin, team.member2.id).role == "member"


def test_login(db: taskcore.Database, team: Team) -> None:
    login = db.auth.login("member", PASSWORD)
    assert isinstance(login, taskcore.Login)
    assert login.user.id == team.member.id
    assert login.user.last_login is not None
    assert login.tokens.access and login.tokens.refresh
    assert login.tokens.access != login.tokens.refresh
    assert login.tokens.expires_in > 0
    assert login.actor.user_id == team.member.id
    assert login.actor.role == "member"
    assert login.actor.session_id != ""
    assert db.auth.authenticate(login.tokens.access) == login.actor
    # a Login stands for its actor in every call
    task = db.tasks.create(login, "by login")
    assert task.created_by == team.member.id


def test_each_login_is_its_own_session(db: taskcore.Database, team: Team) -> None:
    a = db.auth.login("member", PASSWORD)
    b = db.auth.login("member", PASSWORD)
    assert a.actor.session_id != b.actor.session_id
    assert a.tokens.refresh != b.tokens.refresh


@pytest.mark.parametrize("username, password", [
    ("member", "wrong password"), ("nobody", PASSWORD), ("member", PASSWORD.upper())])
def test_login_failures(db: taskcore.Database, team: Team, username: str,
                        password: str) -> None:
    with pytest.raises(taskcore.AuthenticationFailed) as info:
        db.auth.login(username, password)
    assert info.value.code == "authentication_failed"
    assert info.value.message == "No active account found with the given credentials."


def test_login_of_inactive_user_fails_alike(db: taskcore.Database, team: Team) -> None:
    db.users.update(team.admin, team.member.id, is_active=False)
    with pytest.raises(taskcore.AuthenticationFailed) as info:
        db.auth.login("member", PASSWORD)
    assert info.value.message == "No active account found with the given credentials."


def test_login_with_blank_password_is_invalid(db: taskcore.Database, team: Team) -> None:
    with pytest.raises(taskcore.ValidationError) as info:
        db.auth.login("member", "")
    assert info.value.field_errors == {"password": ["This field may not be blank."]}


def test_authenticate_rejects_garbage(db: taskcore.Database, team: Team) -> None:
    login = db.auth.login("member", PASSWORD)
    for token in ("", "garbage", login.tokens.refresh, login.tokens.access[:-3] + "xyz"):
        with pytest.raises(taskcore.AuthenticationFailed):
            db.auth.authenticate(token)


def test_refresh_rotates_and_detects_reuse(db: taskcore.Database, team: Team) -> None:
    login = db.auth.login("member", PASSWORD)
    rotated = db.auth.refresh(login.tokens.refresh)
    assert isinstance(rotated, taskcore.Tokens)
    assert rotated.refresh != login.tokens.refresh
    assert rotated.access != login.tokens.access
    actor = db.auth.authenticate(rotated.access)
    assert actor.session_id == login.actor.session_id
    # rotating again with the new token works
    rotated2 = db.auth.refresh(rotated.refresh)
    assert db.auth.authenticate(rotated2.access).user_id == team.member.id
    # reusing a spent token fails and revokes the whole session
    with pytest.raises(taskcore.AuthenticationFailed):
        db.auth.refresh(login.tokens.refresh)
    with pytest.raises(taskcore.AuthenticationFailed):
        db.auth.authenticate(rotated2.access)
    with pytest.raises(taskcore.AuthenticationFailed):
        db.auth.refresh(rotated2.refresh)
    # other sessions live on
    other = db.auth.login("member", PASSWORD)
    assert db.auth.authenticate(other.tokens.access).user_id == team.member.id


def test_logout(db: taskcore.Database, team: Team) -> None:
    login = db.auth.login("member", PASSWORD)
    keep = db.auth.login("member", PASSWORD)
    db.auth.logout(login)
    with pytest.raises(taskcore.AuthenticationFailed):
        db.auth.authenticate(login.tokens.access)
    with pytest.raises(taskcore.AuthenticationFailed):
        db.auth.refresh(login.tokens.refresh)
    assert db.auth.authenticate(keep.tokens.access) == keep.actor


def test_logout_by_refresh_token(db: taskcore.Database, team: Team) -> None:
    login = db.auth.login("member", PASSWORD)
    db.auth.logout(team.member, login.tokens.refresh)
    with pytest.raises(taskcore.AuthenticationFailed):
        db.auth.refresh(login.tokens.refresh)


def test_change_password(db: taskcore.Database, team: Team) -> None:
    login = db.auth.login("member", PASSWORD)
    with pytest.raises(taskcore.ValidationError) as info:
        db.auth.change_password(login, "wrong old", "brand new password 1")
    assert list(info.value.field_errors) == ["old_password"]
    assert info.value.field_errors["old_password"] == ["Your old password was entered incorrectly."]
    db.auth.change_password(login, PASSWORD, "brand new password 1")
    with pytest.raises(taskcore.AuthenticationFailed):
        db.auth.login("member", PASSWORD)
    assert db.auth.login("member", "brand new password 1").user.id == team.member.id


def test_change_password_validates_the_new_one(db: taskcore.Database, team: Team) -> None:
    with pytest.raises(taskcore.ValidationError) as info:
        db.auth.change_password(team.member, PASSWORD, "short")
    assert "new_password" in info.value.field_errors


def test_reset_password(db: taskcore.Database, team: Team) -> None:
    ticket = db.auth.reset_password(team.admin, team.member.id)
    assert isinstance(ticket, taskcore.ResetTicket)
    assert len(ticket.token) >= 32
    assert ticket.expires_at.tzinfo is not None
    assert ticket.expires_at > datetime.datetime.now(UTC)
    db.auth.confirm_reset(ticket.token, "reset password 123")
    assert db.auth.login("member", "reset password 123").user.id == team.member.id
    with pytest.raises(taskcore.AuthenticationFailed):
        db.auth.login("member", PASSWORD)
    # single use
    with pytest.raises(taskcore.ValidationError) as info:
        db.auth.confirm_reset(ticket.token, "another password 456")
    assert list(info.value.field_errors) == ["token"]
    assert db.auth.login("member", "reset password 123").user.id == team.member.id


def test_confirm_reset_with_unknown_token(db: taskcore.Database, team: Team) -> None:
    with pytest.raises(taskcore.ValidationError) as info:
        db.auth.confirm_reset("0" * 64, "whatever password 1")
    assert "token" in info.value.field_errors


def test_reset_of_missing_user(db: taskcore.Database, team: Team) -> None:
    with pytest.raises(taskcore.NotFound):
        db.auth.reset_password(team.admin, 99999)


def test_login_throttles_after_repeated_failures(db: taskcore.Database, team: Team) -> None:
    last: taskcore.Error | None = None
    for _ in range(30):
        try:
            db.auth.login("member", "wrong password")
        except taskcore.Throttled as error:
            last = error
            break
        except taskcore.AuthenticationFailed:
            pass
    assert isinstance(last, taskcore.Throttled)
    assert last.code == "throttled"
    assert isinstance(last.retry_after, int) and last.retry_after > 0
    assert last.details["retry_after"] == last.retry_after


def test_actor_argument_types(db: taskcore.Database, team: Team) -> None:
    login = db.auth.login("admin", PASSWORD)
    actors: List[taskcore.ActorLike] = [team.admin, team.admin.actor(), login, login.actor]
    for who in actors:
        assert db.users.me(who).id == team.admin.id
    with pytest.raises(TypeError):
        db.users.me("admin")  # type: ignore[arg-type]


def test_actor_with_a_bad_role(db: taskcore.Database, team: Team) -> None:
    with pytest.raises(taskcore.ValidationError) as info:
        db.users.me(taskcore.Actor(team.admin.id, "overlord"))
    assert list(info.value.field_errors) == ["role"]
