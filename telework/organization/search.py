"""Finding people by name as they are typed: "nguyen van an" finds "Nguyễn Văn An", "dao" finds "Đào".

Names are stored as written. A search folds both sides the same way: lower case, without Vietnamese diacritics
(``đ`` read as ``d``). The database folds the stored side with :class:`Folded`: PostgreSQL with ``translate`` over
the letters below, SQLite with the ``telework_fold`` function each new connection is given (``OrganizationConfig``)."""

from __future__ import annotations

import unicodedata
from functools import cache
from typing import Any

from django.db.models import CharField, Func


def fold(text: str) -> str:
    """Lower case without diacritics: "Nguyễn Thị ĐÀO" → "nguyen thi dao"."""
    decomposed = unicodedata.normalize("NFD", str(text).replace("đ", "d").replace("Đ", "D"))
    return "".join(char for char in decomposed if not unicodedata.combining(char)).lower()


@cache
def _letter_map() -> tuple[str, str]:
    """Every precomposed Latin letter with a diacritic (Latin-1, Extended-A, Extended Additional: all of
    Vietnamese) and the plain lower-case letter it folds to, plus the upper-case ASCII letters."""
    source, target = [], []
    for code_point in [*range(0x41, 0x5B), *range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        char = chr(code_point)
        folded = fold(char)
        if len(folded) == 1 and folded.isascii() and folded.isalpha() and folded != char:
            source.append(char)
            target.append(folded)
    return "".join(source), "".join(target)


class Folded(Func):
    """``fold(expression)`` computed by the database, for ``icontains``-style look-ups on folded text."""

    output_field = CharField()
    arity = 1

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return self.as_sql(compiler, connection, function="telework_fold", **extra_context)

    def as_postgresql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        sql, params = compiler.compile(self.source_expressions[0])
        source, target = _letter_map()
        # Names typed with combining marks (Unicode "tổ hợp") are composed first, so translate meets one letter each.
        return f"lower(translate(normalize({sql}, NFC), %s, %s))", (*params, source, target)

    def as_sql(self, compiler: Any, connection: Any, function: Any = None, template: Any = None, arg_joiner: Any = None, **extra_context: Any) -> Any:
        if function is None and connection.vendor not in ("sqlite", "postgresql"):
            function = "lower"  # other databases: case-insensitive only
        return super().as_sql(compiler, connection, function=function, template=template, arg_joiner=arg_joiner, **extra_context)


def install_sqlite_fold(sender: Any, connection: Any, **kwargs: Any) -> None:
    """Give a new SQLite connection the ``telework_fold`` function (``connection_created`` signal)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("telework_fold", 1, lambda value: fold(value) if value is not None else None, deterministic=True)
