"""Uploads have limits checked before anything is read: at most 5 files at once, each at most 10 MB by the size
counted as it arrived; past 20 MB the rest of a file is dropped on the way in (``telework.core.uploads``)."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.test import Client

from telework.accounts.models import ApiToken
from telework.assignments import services, uploads
from telework.assignments.models import Attachment
from telework.assignments.tests.helpers import PDF, assign
from telework.core.exceptions import ValidationFailed
from telework.core.uploads import MAX_UPLOAD_FILE_BYTES, OversizedUpload, SizeLimitUploadHandler

BASE = "/api/work"
MB = 1024 * 1024


class UnreadableUpload(UploadedFile):
    """An upload that fails the test if anything reads its content."""

    def __init__(self, name: str, size: int) -> None:
        super().__init__(file=io.BytesIO(b""), name=name, content_type="application/pdf", size=size)

    def read(self, *args: object) -> bytes:
        raise AssertionError("the file was read")


def test_an_attachment_over_the_limit_is_refused_by_its_size_before_it_is_read():
    with pytest.raises(ValidationFailed) as refused:
        services.uploads_read([UnreadableUpload("ban-scan.pdf", 600 * MB)])
    assert (refused.value.rule, refused.value.params) == ("attachment", {"file": "ban-scan.pdf", "size_mb": 600.0, "max_mb": 10})
    assert str(refused.value.message) == "Tệp “ban-scan.pdf” có dung lượng 600.0 MB; tệp đính kèm tối đa 10 MB."


def test_more_than_five_files_are_refused_before_any_is_read():
    with pytest.raises(ValidationFailed) as refused:
        services.uploads_read([UnreadableUpload(f"tep-{number}.pdf", 100) for number in range(6)])
    assert (refused.value.rule, refused.value.params) == ("attachment", {"files": 6, "max_files": 5})


def test_the_upload_handler_drops_the_rest_of_a_file_past_the_limit():
    handler = SizeLimitUploadHandler()
    handler.new_file("files", "lon.pdf", "application/pdf", None)
    chunk = b"x" * (64 * 1024)
    passed = [handler.receive_data_chunk(chunk, start) for start in range(0, MAX_UPLOAD_FILE_BYTES + 4 * len(chunk), len(chunk))]
    kept = sum(len(piece) for piece in passed if piece is not None)
    upload = handler.file_complete(len(passed) * len(chunk))
    assert kept == MAX_UPLOAD_FILE_BYTES
    assert isinstance(upload, OversizedUpload)
    assert (upload.name, upload.size, upload.read()) == ("lon.pdf", len(passed) * len(chunk), b"")


def test_the_upload_handler_leaves_a_file_within_the_limit_to_the_next_handlers():
    handler = SizeLimitUploadHandler()
    handler.new_file("files", "nho.pdf", "application/pdf", None)
    assert handler.receive_data_chunk(PDF, 0) == PDF
    assert handler.file_complete(len(PDF)) is None


@pytest.mark.django_db
def test_a_file_larger_than_any_form_takes_is_refused_through_the_api_and_nothing_is_stored(city):
    item = assign(city)
    _token, key = ApiToken.issue(user=city.staff[0].user, name="điện thoại")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    huge = SimpleUploadedFile("ho-so.pdf", PDF + b"x" * (MAX_UPLOAD_FILE_BYTES + MB))
    response = client.post(f"{BASE}/items/{item.pk}/attachments", {"files": [huge]})
    body = response.json()
    assert (response.status_code, body["rule"], body["params"]["max_mb"]) == (422, "attachment", 10)
    assert not Attachment.objects.exists()


@pytest.mark.django_db
def test_six_files_in_one_api_request_are_refused_and_nothing_is_stored(city):
    item = assign(city)
    _token, key = ApiToken.issue(user=city.staff[0].user, name="điện thoại")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    files = [SimpleUploadedFile(f"tep-{number}.pdf", PDF) for number in range(6)]
    response = client.post(f"{BASE}/items/{item.pk}/attachments", {"files": files})
    assert (response.status_code, response.json()["rule"], response.json()["params"]) == (
        422,
        "attachment",
        {"files": 6, "max_files": uploads.MAX_FILES_PER_UPLOAD},
    )
    assert not Attachment.objects.exists()
