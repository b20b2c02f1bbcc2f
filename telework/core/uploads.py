"""How much of an uploaded file the server keeps: every file is counted as it arrives, and past
``MAX_UPLOAD_FILE_BYTES`` the rest of it is read from the connection and dropped.

A 600 MB attachment once grew a worker by 600 MB: Django streams a file above ``FILE_UPLOAD_MAX_MEMORY_SIZE`` to a
temporary file, but the view then read it whole to check it. With this handler first in ``FILE_UPLOAD_HANDLERS``
no file larger than the limit is kept in memory or on disk: it arrives as an ``OversizedUpload`` that carries its
name and the bytes counted (``size``) and no content, so the form or service refuses it by its size, before
anything is read, with the usual message ("… is 600 MB; attachments may be at most 10 MB").
"""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler

MAX_UPLOAD_FILE_BYTES = 20 * 1024 * 1024
"""The largest file any form accepts (a staff workbook, ``organization.importing``); attachments take 10 MB."""


class OversizedUpload(UploadedFile):  # type: ignore[type-arg]
    """A file that passed ``MAX_UPLOAD_FILE_BYTES`` on the way in: its name and size, no content."""

    is_oversized = True

    def __init__(self, *, name: str, size: int, content_type: str | None, charset: str | None) -> None:
        super().__init__(file=io.BytesIO(b""), name=name, content_type=content_type, size=size, charset=charset)


class SizeLimitUploadHandler(FileUploadHandler):
    """First of the upload handlers: passes each chunk on to the next handler (memory, then a temporary file) until
    the file passes the limit, then swallows the rest and completes the file as an ``OversizedUpload``."""

    limit = MAX_UPLOAD_FILE_BYTES

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        return raw_data if self.received <= self.limit else None

    def file_complete(self, file_size: int) -> UploadedFile[bytes] | None:
        if self.received <= self.limit:
            return None
        return OversizedUpload(name=self.file_name or "file", size=self.received, content_type=self.content_type, charset=self.charset)
