"""Reading an agency's staff list (.xlsx or .csv, the layout its HR office sends) and planning the import.

Pure Python over plain data: no ORM, no request. ``read_table`` turns the file into rows keyed by column,
``parse_rows`` checks each row on its own, ``plan_import`` checks the rows against each other and against what
the agency already holds (an ``AgencySnapshot`` the service reads in a few queries) and says, row by row, what
would be created, updated or left unchanged, and why a row is refused. ``telework.organization.services``
applies the plan in one transaction.

Headers are Vietnamese and matched without regard to case, diacritics or spacing ("Mã cán bộ", "MÃ CÁN BỘ",
"ma can bo"). A column absent from the file leaves the matching field untouched; a column present makes the
file the truth for it, blank cells included. Messages are English message ids rendered in the active language.

Modules: ``layout`` (columns, accepted words, problems, labels), ``reading`` (file and rows: the title block,
two-row headers, merged cells, formulas and the signature footer), ``planning`` (the rows together and against
the agency: units and positions by name, structure changes), ``titles`` ("Chức vụ" → leader, deputy),
``superiors`` (the direct superior proposed from rank and unit), ``template`` (the .xlsx handed out),
``export`` (the staff list in the same layout, for export → edit → re-import).
"""

from telework.organization.importing.export import staff_list_workbook
from telework.organization.importing.layout import (
    ACTION_LABELS,
    COLUMNS,
    COLUMNS_BY_KEY,
    CREATE,
    ERROR,
    FLAG_KEYS,
    MAX_IMPORT_FILE_BYTES,
    MAX_IMPORT_ROWS,
    MAX_WORKBOOK_UNCOMPRESSED_BYTES,
    REFUSED,
    UNCHANGED,
    UPDATE,
    WARNING,
    Column,
    FoundColumn,
    Problem,
    Table,
    display_value,
    field_label,
    normalize,
    recognise_header,
)
from telework.organization.importing.planning import (
    AgencySnapshot,
    EntityPlan,
    ExistingPosition,
    ExistingStaff,
    ExistingUnit,
    ImportReport,
    RowReport,
    plan_import,
    structure_change_text,
)
from telework.organization.importing.reading import StaffRow, parse_rows, read_table
from telework.organization.importing.superiors import Person, propose_superiors
from telework.organization.importing.template import template_workbook, workbook_bytes
from telework.organization.importing.titles import TitleRank, rank_of_title

__all__ = [
    "ACTION_LABELS",
    "COLUMNS",
    "COLUMNS_BY_KEY",
    "CREATE",
    "ERROR",
    "FLAG_KEYS",
    "MAX_IMPORT_FILE_BYTES",
    "MAX_IMPORT_ROWS",
    "MAX_WORKBOOK_UNCOMPRESSED_BYTES",
    "REFUSED",
    "UNCHANGED",
    "UPDATE",
    "WARNING",
    "AgencySnapshot",
    "Column",
    "FoundColumn",
    "Person",
    "TitleRank",
    "EntityPlan",
    "ExistingPosition",
    "ExistingStaff",
    "ExistingUnit",
    "ImportReport",
    "Problem",
    "RowReport",
    "StaffRow",
    "Table",
    "display_value",
    "field_label",
    "normalize",
    "parse_rows",
    "plan_import",
    "propose_superiors",
    "rank_of_title",
    "staff_list_workbook",
    "recognise_header",
    "read_table",
    "structure_change_text",
    "template_workbook",
    "workbook_bytes",
]
