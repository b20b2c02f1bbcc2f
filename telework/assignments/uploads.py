"""Which files may be attached to a work item: PDF, Word (.docx), Excel (.xlsx), PNG and JPEG, at most 10 MB.

The type is recognised from the content (the first bytes, and for .docx/.xlsx the parts inside the ZIP container),
and must agree with the file name's extension: an executable or a script renamed "report.pdf" is refused, and so is
a photo named ".pdf". Pure Python over bytes.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Literal

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
"""Attachments are documents and scans of one piece of work, not archives: 10 MB each."""

MAX_FILES_PER_UPLOAD = 5
"""Files attached in one go (one form, one API request)."""

EXTENSIONS: dict[str, str] = {".pdf": "pdf", ".docx": "docx", ".xlsx": "xlsx", ".png": "png", ".jpg": "jpg", ".jpeg": "jpg"}
ALLOWED_EXTENSIONS = tuple(EXTENSIONS)

# What a browser is told each kind is when the file is downloaded.
CONTENT_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "png": "image/png",
    "jpg": "image/jpeg",
}


@dataclass(frozen=True)
class UploadProblem:
    code: Literal["empty", "too_large", "extension", "content", "mismatch"]
    params: dict[str, object] = field(default_factory=dict)


def sniff(content: bytes) -> str | None:
    """The kind the bytes really are ("pdf", "docx", "xlsx", "png", "jpg"), or None for anything else."""
    if content.startswith(b"%PDF-"):
        return "pdf"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if content.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if content.startswith(b"PK\x03\x04"):
        return _office_kind(content)
    return None


def _office_kind(content: bytes) -> str | None:
    """.docx and .xlsx are ZIP containers (Office Open XML): the parts inside say which one, and a plain ZIP is
    neither."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return None


def too_large(size: int, max_bytes: int = MAX_ATTACHMENT_BYTES) -> UploadProblem | None:
    """The problem of a file of ``size`` bytes over ``max_bytes``; None when it fits. Asked of an upload's size
    before its content is read."""
    if size <= max_bytes:
        return None
    return UploadProblem("too_large", {"size_mb": round(size / 1024 / 1024, 1), "max_mb": max_bytes // (1024 * 1024)})


def check_upload(filename: str, content: bytes, *, max_bytes: int = MAX_ATTACHMENT_BYTES) -> tuple[str | None, UploadProblem | None]:
    """The file's kind if it may be attached, else the problem: empty, over ``max_bytes``, an extension not allowed,
    content of no allowed type, or content of another type than its name says."""
    if not content:
        return None, UploadProblem("empty")
    if len(content) > max_bytes:
        return None, too_large(len(content), max_bytes)
    extension = PurePath(filename).suffix.lower()
    expected = EXTENSIONS.get(extension)
    if expected is None:
        return None, UploadProblem("extension", {"extension": extension or "—", "allowed": ", ".join(ALLOWED_EXTENSIONS)})
    actual = sniff(content)
    if actual is None:
        return None, UploadProblem("content", {"extension": extension})
    if actual != expected:
        return None, UploadProblem("mismatch", {"extension": extension, "actual": actual})
    return actual, None
