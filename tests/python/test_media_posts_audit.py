"""Blog media, posts and the audit log."""

from __future__ import annotations

import datetime
import io
from pathlib import Path
from typing import Any, List

import pytest

import taskcore
from conftest import PngFactory, Team

UTC = datetime.timezone.utc

def png_signature(data: bytes) -> bool:
    return data.startswith(b"\x89PNG\r\n\x1a\n")


# ---------------------------------------------------------------- media

def test_upload_from_a_path(db: taskcore.Database, team: Team, tmp_path: Path,
                            png: PngFactory) -> None:
    data = png(64, 48)
    path = tmp_path / "picture.png"
    path.write_bytes(data)
    before = datetime.datetime.now(UTC) - datetime.timedelta(seconds=5)
    media = db.media.upload(team.manager, path)
    assert isinstance(media, taskcore.MediaFile)
    assert media.original_filename == "picture.png"
    assert media.file_type == "png"
    assert media.file_size == len(data)
    assert (media.width, media.height) == (64, 48)
    assert media.uploaded_by == team.manager.id
    assert media.filename.endswith(".png") and media.filename != "picture.png"
    assert media.thumbnail_filename is not None
    assert media.thumbnail_filename != media.filename
    assert media.upload_date.utcoffset() == datetime.timedelta(0)
    assert media.upload_date >= before
    # str paths work too, and the file is left in place
    again = db.media.upload(team.manager, str(path))
    assert again.original_filename == "picture.png" and again.id != media.id
    assert path.read_bytes() == data


def test_upload_from_bytes(db: taskcore.Database, team: Team, png: PngFactory) -> None:
    media = db.media.upload(team.manager, png(10, 20), filename="tall.png")
    assert (media.original_filename, media.width, media.height) == ("tall.png", 10, 20)
    unnamed = db.media.upload(team.manager, png(3, 3))
    assert unnamed.original_filename == "upload"


def test_upload_from_file_objects(db: taskcore.Database, team: Team, tmp_path: Path,
                                  png: PngFactory) -> None:
    from_buffer = db.media.upload(team.manager, io.BytesIO(png(30, 31)), filename="buf.png")
    assert (from_buffer.original_filename, from_buffer.width, from_buffer.height) == (
        "buf.png", 30, 31)
    path = tmp_path / "opened.png"
    path.write_bytes(png(12, 8))
    with path.open("rb") as handle:
        from_file = db.media.upload(team.manager, handle)
    assert (from_file.original_filename, from_file.width, from_file.height) == (
        "opened.png", 12, 8)


def test_upload_a_document(db: taskcore.Database, team: Team, pdf: bytes) -> None:
    media = db.media.upload(team.manager, pdf, filename="doc.pdf")
    assert media.file_type == "pdf"
    assert media.file_size == len(pdf)
    assert media.thumbnail_filename is None
    assert (media.width, media.height) == (None, None)


def test_type_comes_from_the_bytes(db: taskcore.Database, team: Team, pdf: bytes) -> None:
    media = db.media.upload(team.manager, pdf, filename="looks-like.png")
    assert media.file_type == "pdf"


@pytest.mark.parametrize("data, message", [
    (b"hello, world", "Allowed files are JPEG, PNG, GIF, WebP, PDF, DOC and DOCX."),
    (b"\x89PNG\r\n\x1a\nbroken", "The image could not be decoded."),
])
def test_unsupported_bytes(db: taskcore.Database, team: Team, data: bytes,
                           message: str) -> None:
    with pytest.raises(taskcore.UnsupportedMediaType) as info:
        db.media.upload(team.manager, data, filename="x.png")
    assert info.value.code == "unsupported_media_type"
    assert info.value.message == message
    assert db.media.list(team.admin).count == 0


def test_upload_many(db: taskcore.Database, team: Team, png: PngFactory, pdf: bytes) -> None:
    files = db.media.upload_many(team.manager, [(png(5, 6), "a.png"), (pdf, "b.pdf"),
                                                io.BytesIO(png(7, 8))])
    assert [(f.original_filename, f.file_type, f.width) for f in files] == [
        ("a.png", "png", 5), ("b.pdf", "pdf", None), ("upload", "png", 7)]
    assert db.media.list(team.admin).count == 3


def test_upload_many_is_all_or_nothing(db: taskcore.Database, team: Team,
                                       png: PngFactory) -> None:
    with pytest.raises(taskcore.UnsupportedMediaType):
        db.media.upload_many(team.manager, [png(5, 5), (b"junk junk", "j.txt")])
    assert db.media.list(team.admin).count == 0


def test_upload_many_limits(db: taskcore.Database, team: Team, pdf: bytes) -> None:
    with pytest.raises(taskcore.ValidationError) as info:
        db.media.upload_many(team.manager, [pdf] * 11)
    assert info.value.field_errors == {"file": ["Ensure at most 10 files are uploaded."]}
    with pytest.raises(taskcore.ValidationError) as info:
        db.media.upload_many(team.manager, [])
    assert info.value.field_errors == {"file": ["No file was submitted."]}
    assert len(db.media.upload_many(team.manager, [pdf] * 10)) == 10


def test_upload_bytes_like_objects(db: taskcore.Database, team: Team, pdf: bytes) -> None:
    for source in (bytearray(pdf), memoryview(pdf)):
        media = db.media.upload(team.manager, source, filename="b.pdf")
        assert (media.file_type, media.file_size) == ("pdf", len(pdf))
        assert db.media.read(media.filename).content == pdf


def test_upload_of_a_missing_path(db: taskcore.Database, team: Team, tmp_path: Path) -> None:
    # The caller's own path, so Python's own error (as open() raises it).
    missing = tmp_path / "not-there.pdf"
    with pytest.raises(FileNotFoundError) as info:
        db.media.upload(team.manager, missing)
    assert info.value.filename == str(missing)
    assert db.media.list(team.admin).count == 0


def test_viewer_cannot_upload(db: taskcore.Database, team: Team, png: PngFactory) -> None:
    with pytest.raises(taskcore.PermissionDenied):
        db.media.upload(team.viewer, png(2, 2))


def test_list_media(db: taskcore.Database, team: Team, png: PngFactory, pdf: bytes) -> None:
    small = db.media.upload(team.manager, png(4, 4), filename="small.png")
    big = db.media.upload(team.manager, png(64, 64), filename="big.png")
    doc = db.media.upload(team.admin, pdf, filename="report.pdf")
    admin = team.admin

    def ids(**filters: Any) -> List[int]:
        return [f.id for f in db.media.list(admin, **filters)]

    assert sorted(ids()) == sorted([small.id, big.id, doc.id])
    assert sorted(ids(file_type="image")) == sorted([small.id, big.id])
    assert ids(file_type="document") == [doc.id]
    assert sorted(ids(file_type=["png", "pdf"])) == sorted([small.id, big.id, doc.id])
    assert ids(ordering="upload_date") == [small.id, big.id, doc.id]
    assert ids(ordering="-upload_date") == [doc.id, big.id, small.id]
    sizes = [f.file_size for f in db.media.list(admin, ordering="-file_size")]
    assert sizes == sorted(sizes, reverse=True)
    assert sorted(ids(uploaded_by=team.manager)) == sorted([small.id, big.id])
    assert ids(uploaded_by=admin.id) == [doc.id]
    assert ids(search="report") == [doc.id]
    today = datetime.datetime.now(UTC).date()
    assert len(ids(uploaded_after=today, uploaded_before=today)) == 3
    assert ids(uploaded_after=today + datetime.timedelta(days=1)) == []
    assert [f.id for f in db.media.iter_all(admin, file_type="image")] == [big.id, small.id]
    with pytest.raises(taskcore.ValidationError) as info:
        db.media.list(admin, file_type="bogus")
    assert list(info.value.field_errors) == ["file_type"]
    with pytest.raises(TypeError):
        db.media.list(admin, colour="red")


def test_get_media(db: taskcore.Database, team: Team, png: PngFactory) -> None:
    media = db.media.upload(team.manager, png(9, 9), filename="g.png")
    detail = db.media.get(team.member, media.id)
    assert isinstance(detail, taskcore.MediaDetail)
    assert detail.file == media
    assert detail.referenced_by == []
    with pytest.raises(taskcore.NotFound):
        db.media.get(team.member, 99999)


def test_get_media_lists_referencing_posts(db: taskcore.Database, team: Team,
                                           png: PngFactory) -> None:
    media = db.media.upload(team.manager, png(9, 9))
    cover = db.media.upload(team.manager, png(9, 9))
    post = db.posts.create(team.manager, "Uses media", media_ids=[media.id],
                           cover_media=cover.id)
    assert db.media.get(team.manager, media.id).referenced_by == [post.id]
    assert db.media.get(team.manager, cover.id).referenced_by == [post.id]


def test_read_returns_exact_bytes(db: taskcore.Database, team: Team, png: PngFactory,
                                  pdf: bytes) -> None:
    data = png(64, 48)
    image = db.media.upload(team.manager, data)
    content = db.media.read(image.filename)
    assert isinstance(content, taskcore.MediaContent)
    assert content.content == data
    assert content.mime_type == "image/png"
    assert content.is_thumbnail is False
    assert content.etag
    doc = db.media.upload(team.manager, pdf, filename="d.pdf")
    doc_content = db.media.read(doc.filename)
    assert (doc_content.content, doc_content.mime_type) == (pdf, "application/pdf")
    assert doc_content.etag != content.etag


def test_read_thumbnail(db: taskcore.Database, team: Team, png: PngFactory) -> None:
    image = db.media.upload(team.manager, png(64, 48))
    assert image.thumbnail_filename is not None
    thumb = db.media.read(image.thumbnail_filename)
    assert thumb.is_thumbnail is True
    assert thumb.mime_type.startswith("image/")
    assert png_signature(thumb.content) or thumb.content[:3] == b"\xff\xd8\xff"
    assert thumb.content != db.media.read(image.filename).content


def test_read_unknown_name(db: taskcore.Database, team: Team) -> None:
    for name in ("nope.png", "../t.db", ""):
        with pytest.raises(taskcore.Error) as info:
            db.media.read(name)
        assert isinstance(info.value, (taskcore.NotFound, taskcore.ValidationError))


def test_delete_media(db: taskcore.Database, team: Team, png: PngFactory) -> None:
    image = db.media.upload(team.manager, png(8, 8))
    assert image.thumbnail_filename is not None
    db.media.delete(team.manager, image.id)
    with pytest.raises(taskcore.NotFound):
        db.media.get(team.manager, image.id)
    with pytest.raises(taskcore.NotFound):
        db.media.read(image.filename)
    with pytest.raises(taskcore.NotFound):
        db.media.read(image.thumbnail_filename)
    with pytest.raises(taskcore.NotFound):
        db.media.delete(team.manager, image.id)
    assert db.media.list(team.admin).count == 0


def test_viewer_cannot_delete_media(db: taskcore.Database, team: Team,
                                    png: PngFactory) -> None:
    image = db.media.upload(team.manager, png(8, 8))
    with pytest.raises(taskcore.PermissionDenied):
        db.media.delete(team.viewer, image.id)
    assert db.media.get(team.admin, image.id).file == image


# ---------------------------------------------------------------- posts

def test_post_permissions_and_input_errors(db: taskcore.Database, team: Team) -> None:
    with pytest.raises(taskcore.PermissionDenied):
        db.posts.create(team.viewer, "Not allowed")
    with pytest.raises(taskcore.ValidationError) as info:
        db.posts.create(team.manager, "", status="bogus")
    assert set(info.value.field_errors) == {"title", "status"}
    with pytest.raises(taskcore.ValidationError) as info:
        db.posts.create(team.manager, "x", media_ids="1")
    assert info.value.field_errors == {"media_ids": ["Expected a list of items."]}
    with pytest.raises(taskcore.ValidationError) as info:
        db.posts.create(team.manager, "x", media_ids=["a"])
    assert info.value.field_errors == {"media_ids": ["A valid integer is required."]}
    with pytest.raises(taskcore.ValidationError) as info:
        db.posts.create(team.manager, "x", cover_media="a")
    assert info.value.field_errors == {"cover_media": ["A valid integer is required."]}
    with pytest.raises(TypeError, match="colour"):
        db.posts.create(team.manager, "x", colour="red")
    with pytest.raises(taskcore.NotFound):
        db.posts.get(None, 99999)
    with pytest.raises(taskcore.NotFound):
        db.posts.delete(team.manager, 99999)


def test_post_list_when_empty(db: taskcore.Database, team: Team) -> None:
    empty = db.posts.list(None)
    assert (empty.count, empty.results, empty.has_next) == (0, [], False)
    assert list(db.posts.iter_all(team.manager)) == []


def test_create_draft_and_published(db: taskcore.Database, team: Team) -> None:
    draft = db.posts.create(team.manager, "Hello World", body="text")
    assert isinstance(draft, taskcore.Post)
    assert (draft.title, draft.slug, draft.body, draft.status) == (
        "Hello World", "hello-world", "text", "draft")
    assert draft.author == team.manager.id
    assert draft.published_at is None
    assert draft.media_ids == [] and draft.cover_media is None
    published = db.posts.create(team.manager, "Hello World", status="published")
    assert published.slug == "hello-world-2"
    assert published.published_at is not None
    assert published.published_at.utcoffset() == datetime.timedelta(0)
    third = db.posts.create(team.manager, "Hello World")
    assert third.slug == "hello-world-3"


def test_anonymous_readers_see_published_posts_only(db: taskcore.Database,
                                                    team: Team) -> None:
    draft = db.posts.create(team.manager, "Draft")
    live = db.posts.create(team.manager, "Live", status="published")
    assert [p.id for p in db.posts.list(None)] == [live.id]
    assert db.posts.get(None, live.id) == live
    with pytest.raises(taskcore.NotFound):
        db.posts.get(None, draft.id)
    assert {p.id for p in db.posts.list(team.manager)} == {draft.id, live.id}
    assert [p.id for p in db.posts.list(team.manager, status="draft")] == [draft.id]
    assert [p.id for p in db.posts.list(None, slug="live")] == [live.id]
    assert [p.id for p in db.posts.list(None, search="Liv")] == [live.id]


def test_update_and_replace_post(db: taskcore.Database, team: Team,
                                 png: PngFactory) -> None:
    image = db.media.upload(team.manager, png(4, 4))
    post = db.posts.create(team.manager, "Original", body="b1")
    updated = db.posts.update(team.manager, post.id, status="published", media_ids=[image.id],
                              cover_media=image)
    assert (updated.title, updated.body, updated.status) == ("Original", "b1", "published")
    assert updated.media_ids == [image.id] and updated.cover_media == image.id
    assert updated.published_at is not None
    replaced = db.posts.replace(team.manager, post.id, "Replaced", body="b2")
    assert (replaced.title, replaced.body) == ("Replaced", "b2")
    cleared = db.posts.update(team.manager, post.id, cover_media=None, media_ids=[])
    assert cleared.cover_media is None and cleared.media_ids == []
    with pytest.raises(taskcore.ValidationError) as info:
        db.posts.update(team.manager, post.id, media_ids=None)
    assert info.value.field_errors == {"media_ids": ["This field may not be null."]}


def test_post_media_references_must_exist(db: taskcore.Database, team: Team) -> None:
    post = db.posts.create(team.manager, "Refs")
    with pytest.raises(taskcore.ValidationError) as info:
        db.posts.update(team.manager, post.id, media_ids=[99999])
    assert list(info.value.field_errors) == ["media_ids"]
    with pytest.raises(taskcore.ValidationError) as info:
        db.posts.update(team.manager, post.id, cover_media=99999)
    assert list(info.value.field_errors) == ["cover_media"]


def test_delete_post(db: taskcore.Database, team: Team) -> None:
    post = db.posts.create(team.manager, "Doomed", status="published")
    db.posts.delete(team.manager, post.id)
    with pytest.raises(taskcore.NotFound):
        db.posts.get(team.manager, post.id)
    assert db.posts.list(None).count == 0


# ---------------------------------------------------------------- audit

def test_audit_records_actions(db: taskcore.Database, team: Team, pdf: bytes) -> None:
    task = db.tasks.create(team.manager, "Audited")
    db.tasks.update(team.manager, task.id, status="done")
    db.tasks.delete(team.manager, task.id)
    media = db.media.upload(team.manager, pdf, filename="a.pdf")
    db.media.delete(team.manager, media.id)
    db.users.update(team.admin, team.member.id, email="changed@example.com")

    page = db.audit.list(team.admin, page_size=100)
    assert all(isinstance(e, taskcore.AuditEntry) for e in page)
    actions = [e.action for e in page]
    for action in ("task_create", "task_update", "task_delete", "media_upload",
                   "media_delete", "user_update", "user_create"):
        assert action in actions, action
    # newest first
    stamps = [e.timestamp for e in page]
    assert stamps == sorted(stamps, reverse=True)
    assert [e.id for e in page] == sorted((e.id for e in page), reverse=True)

    created = db.audit.list(team.admin, action=["task_create"]).results
    assert len(created) == 1
    entry = created[0]
    assert (entry.actor_id, entry.target_type, entry.target_id) == (
        team.manager.id, "task", task.id)
    assert isinstance(entry.details, dict)
    assert entry.timestamp.utcoffset() == datetime.timedelta(0)
    assert isinstance(entry.ip, str) and isinstance(entry.request_id, str)

    update = db.audit.list(team.admin, action="task_update").results[0]
    assert update.details == {"changes": ["status"]}
    upload = db.audit.list(team.admin, action="media_upload").results[0]
    assert upload.details == {"file_size": len(pdf), "file_type": "pdf",
                              "original_filename": "a.pdf"}
    user_update = db.audit.list(team.admin, action="user_update").results[0]
    assert user_update.details["changes"] == {
        "email": {"from": "member@example.com", "to": "changed@example.com"}}


def test_audit_filters(db: taskcore.Database, team: Team) -> None:
    db.tasks.create(team.manager, "by manager")
    db.tasks.create(team.member, "by member")
    admin = team.admin
    both = db.audit.list(admin, action=["task_create", "user_create"])
    assert both.count == 2 + 5
    assert {e.actor_id for e in db.audit.list(admin, actor_id=team.member.id)} == {
        team.member.id}
    assert db.audit.list(admin, actor_id=team.member.id).count == 1
    assert db.audit.list(admin, actor_id=[team.member.id, team.manager.id]).count == 2
    assert {e.target_type for e in db.audit.list(admin, target_type="task")} == {"task"}
    assert db.audit.list(admin, target_type="user").count == 5

    now = datetime.datetime.now(UTC)
    today = now.date()
    total = db.audit.list(admin).count
    assert db.audit.list(admin, start=today).count == total
    assert db.audit.list(admin, end=today).count == total
    assert db.audit.list(admin, start=today, end=today).count == total
    assert db.audit.list(admin, end=today - datetime.timedelta(days=1)).count == 0
    assert db.audit.list(admin, start=today + datetime.timedelta(days=1)).count == 0
    hour = datetime.timedelta(hours=1)
    assert db.audit.list(admin, start=now - hour).count == total
    assert db.audit.list(admin, start=now + hour).count == 0
    assert db.audit.list(admin, end=now - hour).count == 0
    assert db.audit.list(admin, start=now - hour, end=now + hour).count == total
    # a naive datetime is taken as UTC
    naive = now.replace(tzinfo=None)
    assert db.audit.list(admin, start=naive - hour, end=naive + hour).count == total
    everything = list(db.audit.iter_all(admin))
    assert len(everything) == total


def test_audit_bad_filter(db: taskcore.Database, team: Team) -> None:
    with pytest.raises(taskcore.ValidationError) as info:
        db.audit.list(team.admin, start="garbage")
    assert list(info.value.field_errors) == ["start"]
    with pytest.raises(TypeError):
        db.audit.list(team.admin, colour="red")


@pytest.mark.parametrize("who", ["manager", "member", "viewer"])
def test_audit_is_for_admins_only(db: taskcore.Database, team: Team, who: str) -> None:
    with pytest.raises(taskcore.PermissionDenied):
        db.audit.list(getattr(team, who))
    with pytest.raises(taskcore.NotAuthenticated):
        db.audit.list(None)  # type: ignore[arg-type]


def test_audit_records_post_actions(db: taskcore.Database, team: Team) -> None:
    post = db.posts.create(team.manager, "Audited post")
    db.posts.update(team.manager, post.id, status="published")
    entries = db.audit.list(team.admin, target_type="post").results
    assert [e.action for e in entries] == ["post_update", "post_create"]
    assert entries[1].details == {"slug": "audited-post", "status": "draft",
                                  "title": "Audited post"}
