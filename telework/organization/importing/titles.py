"""What a "Chức vụ" says about a person: a leader, a deputy, or neither; and whether the title heads the agency.

Pure Python. The words are those of the titles in Vietnamese state agencies (Decree 62/2020/NĐ-CP on job
positions, Appendix: leadership and management positions): "Trưởng phòng", "Chánh Văn phòng", "Chánh Thanh tra",
"Trưởng ban", "Giám đốc", "Chủ tịch", "Chi cục trưởng" head a unit or the agency; the same title after "Phó"
is their deputy ("Phó Trưởng phòng", "Phó Chủ tịch"), a leader too; "Quyền" (acting) heads as the title does.
"Chuyên viên", "Cán sự", "Nhân viên" and any other title are not leaders.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# A title starting with one of these (after "Phó" and "Quyền") leads a unit.
LEADER_TITLES = (
    "truong phong",
    "truong ban",
    "truong khoa",
    "truong tram",
    "truong bo phan",
    "truong doan",
    "chanh van phong",
    "chanh thanh tra",
    "giam doc",
    "chu tich",
    "chi cuc truong",
    "cuc truong",
    "vien truong",
    "hieu truong",
    "thu truong",
)
# The titles that head the agency itself (the head of a ward's People's Committee, of a department, of a branch):
# the title alone, or followed by the agency's name ("Chủ tịch UBND phường", "Giám đốc Sở Nội vụ").
AGENCY_HEAD_TITLES = ("chu tich", "giam doc", "chi cuc truong", "cuc truong")
AGENCY_HEAD_QUALIFIERS = ("ubnd", "uy ban", "so ", "chi cuc", "cuc")
DEPUTY_PREFIX = "pho "
ACTING_PREFIX = "quyen "


@dataclass(frozen=True)
class TitleRank:
    """``is_leader``: the title leads (a deputy leads too); ``is_deputy``: second to the head;
    ``heads_agency``: the title is the agency's head's (or a deputy of the agency's head)."""

    is_leader: bool
    is_deputy: bool
    heads_agency: bool


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text).replace("đ", "d").replace("Đ", "D")
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return re.sub(r"[^0-9a-z]+", " ", plain.lower()).strip()


def rank_of_title(title: str | None) -> TitleRank | None:
    """The rank a "Chức vụ" states, or None for a blank title (the file says nothing: the record's flags stay)."""
    text = _plain(title or "")
    if not text:
        return None
    is_deputy = text.startswith(DEPUTY_PREFIX)
    if is_deputy:
        text = text[len(DEPUTY_PREFIX) :]
    if text.startswith(ACTING_PREFIX):
        text = text[len(ACTING_PREFIX) :]
    leads = text.startswith(LEADER_TITLES)
    heads_agency = False
    for head in AGENCY_HEAD_TITLES:
        if text == head or (text.startswith(head + " ") and text[len(head) + 1 :].startswith(AGENCY_HEAD_QUALIFIERS)):
            heads_agency = True
    return TitleRank(is_leader=leads, is_deputy=is_deputy and leads, heads_agency=heads_agency and leads)
