"""`briefgen search`: FTS5 queries over every page of the repository, ranked, each hit cited to its page.

The query is SQLite's FTS5 syntax: words, "a phrase", AND / OR / NOT, NEAR(a b, 5), prefix*. Filters narrow the
documents by date of death, police force, screening decision and present code.
"""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from briefgen.errors import InputFileError, UsageError

# Marks around each matched term in a snippet: characters review text does not hold (it is read as UTF-8 text,
# and these are private-use code points), so splitting on them never cuts the review's own words.
OPEN, CLOSE = "\ue000", "\ue001"
ELLIPSIS = "…"
_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


@dataclass(frozen=True)
class Filters:
    died_from: str | None = None  # YYYY-MM-DD or YYYY-MM, inclusive
    died_to: str | None = None
    force: str | None = None  # part of a force's name, any case
    decision: str | None = None
    code: str | None = None


@dataclass(frozen=True)
class Hit:
    source: str
    title: str
    page: int
    page_unit: str
    snippet: str  # with OPEN/CLOSE around each matched term
    score: float  # bm25 relevance: higher is better
    date_of_death: str | None
    decision: str
    ocr: bool

    def plain(self) -> str:
        return self.snippet.replace(OPEN, "").replace(CLOSE, "")

    def highlights(self) -> list[tuple[int, int]]:
        """Where the matched terms are in `plain()`: (start, end) character offsets."""
        spans, position, start = [], 0, 0
        for char in self.snippet:
            if char == OPEN:
                start = position
            elif char == CLOSE:
                spans.append((start, position))
            else:
                position += 1
        return spans

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["snippet"] = self.plain()
        data["highlights"] = [list(span) for span in self.highlights()]
        return data


def search(db: Path, query: str, *, filters: Filters = Filters(), limit: int = 20) -> list[Hit]:
    """The pages that match `query`, best first. A query FTS5 cannot read is a `UsageError` in one line."""
    if not query.strip():
        raise UsageError("the search query is empty")
    if not db.is_file():
        raise InputFileError("repository not found; `briefgen index CORPUS_DIR --db ...` makes it", path=db)
    where, args = ["pages_fts match :query"], {"query": query, "limit": limit}
    for name, value in (("--from", filters.died_from), ("--to", filters.died_to)):
        if value is not None and not _DATE.fullmatch(value):
            raise UsageError(f"{name} {value!r} is not a date: give YYYY-MM-DD, YYYY-MM or YYYY")
    if filters.died_from:
        where.append("d.date_of_death >= :died_from")
        args["died_from"] = filters.died_from
    if filters.died_to:
        where.append("d.date_of_death <= :died_to || '-99'")  # a month, or a day of it, up to the last day
        args["died_to"] = filters.died_to
    if filters.force:
        where.append(
            "exists (select 1 from case_forces f where f.source = d.source and f.force like :force escape '\\')"
        )
        args["force"] = (
            "%" + filters.force.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        )
    if filters.decision:
        where.append("d.decision = :decision")
        args["decision"] = filters.decision
    if filters.code:
        where.append("exists (select 1 from case_codes c where c.source = d.source and c.code = :code)")
        args["code"] = filters.code
    sql = f"""
        select p.source, d.title, p.page, d.page_unit,
               snippet(pages_fts, 0, '{OPEN}', '{CLOSE}', '{ELLIPSIS}', 16) as snippet,
               bm25(pages_fts) as rank, d.date_of_death, d.decision, p.ocr
        from pages_fts
        join pages p on p.rowid = pages_fts.rowid
        join documents d on d.source = p.source
        where {" and ".join(where)}
        order by rank, p.source, p.page
        limit :limit
    """
    try:
        with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
            rows = conn.execute(sql, args).fetchall()
    except sqlite3.OperationalError as exc:
        message = str(exc)
        if "no such table" not in message:  # anything else is the query's fault
            raise UsageError(
                f"cannot read the search query {query!r} ({message}); put a phrase in double quotes",
            ) from None
        raise InputFileError(f"is not a briefgen repository ({message})", path=db) from None
    except sqlite3.DatabaseError as exc:
        raise InputFileError(f"is not a briefgen repository ({exc})", path=db) from None
    return [
        Hit(
            source=row[0],
            title=row[1],
            page=row[2],
            page_unit=row[3],
            snippet=" ".join(row[4].split()),
            score=round(-row[5], 3),
            date_of_death=row[6],
            decision=row[7],
            ocr=bool(row[8]),
        )
        for row in rows
    ]
