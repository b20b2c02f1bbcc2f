"""The chosen-dates field is a row of native date pickers: its hint says one date per box, never a typed list that
an ``<input type="date">`` cannot hold."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse


@pytest.mark.django_db
def test_the_date_list_hint_asks_for_one_date_per_date_box(city):
    client = Client()
    client.force_login(city.staff[0].user)
    content = client.get(reverse("registrations:new")).content.decode()

    start = content.index("data-date-list>")
    widget = content[start : content.index("data-add-date", start)]
    hint = re.search(r'data-add-date>.*?</button>\s*<div class="form-text">(.*?)</div>', content, re.DOTALL)
    assert hint is not None
    assert hint.group(1) == "Chọn một ngày trong mỗi ô; bấm “Thêm ngày” để có thêm ô."
    assert re.findall(r'<input type="(\w+)"', widget) == ["date"]
