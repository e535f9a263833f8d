"""`briefgen browse`: the repository in Datasette, with titles, column labels, facets and canned queries.

Datasette is an optional extra (`pip install 'briefgen[browse]'`). It escapes every value it shows, so review
text stays inert text in its pages; the file is opened immutable (read only), and the server listens on
127.0.0.1 unless told otherwise.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

from briefgen.errors import InputFileError, UsageError
from briefgen.repository.index import SCHEMA_VERSION

LOCALHOST = "127.0.0.1"

_TABLES: dict[str, dict[str, Any]] = {
    "documents": {
        "title": "Reviews",
        "description": "Every document in the corpus: what its cover says, and the screening decision.",
        "label_column": "title",
        "facets": ["decision", "document_type", "partnership", "case_group", "ocr"],
        "sort_desc": "date_of_death",
        "columns": {
            "source": "The file, as a path inside the corpus folder",
            "title": "The first lines of the cover",
            "partnership": "The partnership that commissioned the review",
            "date_of_death": "Date of death (YYYY-MM-DD, or YYYY-MM when only the month is given)",
            "document_type": "Overview report, executive summary...",
            "case_group": "Case type from the codebook's rule (rapidly escalating or long-term abuse)",
            "decision": "include, exclude or review (the machine cannot tell, or the file cannot be read)",
            "exclusion_reason": "The first criterion not met",
            "problem": "Why the file could not be read",
            "overridden": "1 when an analyst's decision replaced the machine's",
            "ocr": "1 when the text was read from scanned images by OCR",
            "url": "Where the review was published, when known",
        },
    },
    "pages": {
        "title": "Pages",
        "description": "The text of every page (Word documents: every paragraph). Search it with FTS5 syntax: "
        '"a phrase", AND, OR, NOT, NEAR(a b, 5), prefix*.',
        "searchmode": "raw",
        "facets": ["source", "ocr"],
        "columns": {"text": "The page's text", "ocr": "1 when read from the page's image by OCR"},
    },
    "criteria": {
        "title": "Screening criteria",
        "description": "Each inclusion criterion for each document: met, not met or unknown, and why.",
        "facets": ["criterion", "result"],
    },
    "cases": {
        "title": "Coded cases",
        "description": "The features of each included review, as the coding stage found them.",
        "facets": [{"array": "police_forces"}, "case_type", "relationship", "death_type", "victim_gender"],
        "columns": {
            "police_forces": "Forces in contact before the death",
            "days_first_contact_to_death": "Days from the first police contact about abuse to the death",
            "case_json": "The whole coded case, as in coded.json",
        },
    },
    "case_forces": {
        "title": "Police forces by case",
        "description": "One row per case and force in contact before the death.",
        "facets": ["force"],
    },
    "case_codes": {
        "title": "Codes present by case",
        "description": "One row per case and code the review states as a fact of the case.",
        "facets": ["code", "theme"],
        "columns": {"evidence_count": "Sentences that give the code"},
    },
    "evidence": {
        "title": "Evidence",
        "description": "Every sentence a fact rests on: the page, section and sentence, and where it stands in "
        "the page's text (character offsets). Sentences set aside are kept with the reason.",
        "facets": ["kind", "about", "set_aside", "ocr"],
        "columns": {
            "kind": "What it is evidence of: date_of_death, criterion, feature, code, or set_aside",
            "about": "The criterion, feature or code",
            "sentence": "The sentence as it stands in the review",
            "start": "Where it starts in the page's text (characters)",
            "end": "Where it ends in the page's text (characters)",
            "ocr": "1 when the page was read by OCR: check the wording against the scan",
            "set_aside": "Why a matching sentence does not make the code present",
        },
    },
    "recommendations": {
        "title": "Recommendations to the police",
        "description": "Recommendations each review addresses to the police.",
        "facets": ["source", "addressee"],
    },
    "recommendation_themes": {
        "title": "Recommendations by theme",
        "description": "The themes a recommendation is about: those whose codes its wording matches.",
        "facets": ["theme"],
    },
    "themes": {"title": "Themes", "description": "The codebook's themes.", "label_column": "title"},
    "codes": {
        "title": "Codes",
        "description": "The codebook's codes.",
        "label_column": "label",
        "facets": ["theme"],
    },
    "meta": {"hidden": True},
}

_QUERIES: dict[str, dict[str, Any]] = {
    "reviews_citing_code": {
        "title": "Reviews citing a code",
        "description": "The cases where a code is present (its id, e.g. stalking), with their evidence count.",
        "sql": "select d.source, d.title, d.partnership, d.date_of_death, cc.evidence_count\n"
        "from case_codes cc join documents d on d.source = cc.source\n"
        "where cc.code = :code\norder by d.date_of_death, d.source",
    },
    "police_recommendations_by_theme": {
        "title": "Police recommendations by theme",
        "description": "Each recommendation to the police under the themes its wording matches; give a theme id, "
        "or leave it empty for all.",
        "sql": "select t.title as theme, r.source, r.page, r.number, r.text\n"
        "from recommendations r\n"
        "join recommendation_themes rt on rt.recommendation = r.id\n"
        "join themes t on t.id = rt.theme\n"
        "where :theme = '' or rt.theme = :theme\n"
        "order by t.title, r.source, r.page",
    },
    "evidence_for_code": {
        "title": "All evidence for a code",
        "description": "Every sentence that makes a code present, and those set aside, with page and section.",
        "sql": "select e.source, e.page, e.section, e.sentence, e.kind, e.set_aside, e.ocr\n"
        "from evidence e\nwhere e.about = :code and e.kind in ('code', 'set_aside')\n"
        "order by e.kind, e.source, e.page",
    },
}


def metadata(database: str) -> dict[str, Any]:
    """Datasette's metadata for a repository opened under the name `database` (its file name's stem)."""
    return {
        "title": "Domestic Homicide Reviews",
        "description": "Every review briefgen has read: its pages, screening decision, codes and evidence.",
        "databases": {
            database: {
                "title": "Domestic Homicide Reviews",
                "description": "Built by `briefgen index`. Each fact cites the page it rests on.",
                "tables": _TABLES,
                "queries": _QUERIES,
            }
        },
    }


SETTINGS = {"default_page_size": 50, "truncate_cells_html": 600, "facet_time_limit_ms": 400}


def check_repository(db: Path) -> None:
    """A clear error for a file that is not a repository, before a server starts on it."""
    if not db.is_file():
        raise InputFileError("repository not found; `briefgen index CORPUS_DIR --db ...` makes it", path=db)
    try:
        with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
            row = conn.execute("select value from meta where key = 'schema_version'").fetchone()
    except sqlite3.Error:
        row = None
    if row is None or row[0] != SCHEMA_VERSION:
        raise InputFileError("is not a briefgen repository; `briefgen index` writes one", path=db)


def datasette_for(db: Path) -> Any:
    """A Datasette instance serving the repository read-only with its metadata."""
    try:
        from datasette.app import Datasette
    except ImportError:
        raise UsageError("browsing needs Datasette: pip install 'briefgen[browse]'") from None
    check_repository(db)
    return Datasette(immutables=[str(db)], metadata=metadata(db.stem), settings=SETTINGS)


def serve(db: Path, *, host: str = LOCALHOST, port: int = 8001) -> None:
    """Serve the repository until interrupted."""
    import uvicorn

    datasette = datasette_for(db)
    uvicorn.run(datasette.app(), host=host, port=port, log_level="warning")
