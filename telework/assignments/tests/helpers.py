"""Builders for the assignments tests: work items in the test city, and sample files of each type."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

from django.utils import timezone

from telework.assignments import services

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 60  # a Windows program
SCRIPT = b"#!/bin/sh\nrm -rf /\n"


def office_file(kind: str) -> bytes:
    """A minimal .docx ("word") or .xlsx ("xl") container, as Office writes them."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        if kind == "docx":
            archive.writestr("word/document.xml", "<document/>")
        else:
            archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    return buffer.getvalue()


def assign(city: Any, *, staff: Any = None, today: dt.date | None = None, **terms: Any) -> Any:
    """Work assigned by the head to ``staff`` (default the first officer): 16 hours from ``today`` to a week later."""
    today = today or timezone.localdate()
    values: dict[str, Any] = {
        "title": "Tổng hợp báo cáo quý",
        "description": "Số liệu các phòng",
        "estimated_hours": 16,
        "starts_on": today,
        "due_on": today + dt.timedelta(days=7),
    }
    values.update(terms)
    return services.work_item_assign(actor=city.head_user, staff=staff or city.staff[0], today=today, **values)
