"""What a corpus run remembers between runs: screening results by content hash, and file hashes by size and
modification time.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from briefgen.files import write_atomic
from briefgen.ingest.cache import EXTRACTOR_VERSION
from briefgen.ingest.limits import Limits
from briefgen.lexicon import Lexicon
from briefgen.models import ScreenedDocument
from briefgen.resources import code_fingerprint
from briefgen.screen.criteria import Criteria


class ScreenCache:
    """Screening results on disk, one per document content hash and screening setup (criteria, lexicon, limits,
    briefgen version): a rerun over an unchanged corpus reads one small file per document."""

    def __init__(self, root: Path, fingerprint: str) -> None:
        self.root = root / f"screen-v{EXTRACTOR_VERSION}" / fingerprint[:16]

    @staticmethod
    def fingerprint(criteria: Criteria, lexicon: Lexicon, limits: Limits) -> str:
        setup = "\n".join(
            (code_fingerprint(), criteria.model_dump_json(), lexicon.model_dump_json(), repr(limits))
        )
        return hashlib.sha256(setup.encode()).hexdigest()

    def _path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / f"{sha256}.json"

    def get(self, sha256: str, source: str) -> ScreenedDocument | None:
        try:
            cached = ScreenedDocument.model_validate_json(self._path(sha256).read_bytes())
        except (OSError, ValueError):
            return None
        return cached.model_copy(update={"source": source})  # the same content may sit under another name

    def put(self, document: ScreenedDocument) -> None:
        if document.sha256:
            write_atomic(self._path(document.sha256), document.model_dump_json().encode())


class StatIndex:
    """File size and modification time -> content hash, so an unchanged file is not hashed again."""

    def __init__(self, root: Path) -> None:
        self.path = root / "stat-index.json"
        try:
            self.entries: dict[str, list[Any]] = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.entries = {}
        self._unchanged: dict[Path, str] = {}  # files `sha256` found as recorded: path -> key
        self._changed = False

    def sha256(self, path: Path) -> str | None:
        key = str(path.resolve())
        entry = self.entries.get(key)
        if entry is None:
            return None
        stat = path.stat()
        if entry[:2] != [stat.st_size, stat.st_mtime_ns]:
            return None
        self._unchanged[path] = key
        return str(entry[2])

    def record(self, path: Path, sha256: str) -> None:
        key = self._unchanged.get(path)
        if key is not None and self.entries[key][2] == sha256:
            # Found unchanged by `sha256` in this run: its entry stands, with the size and time it was read at
            # (a file edited since then is hashed afresh next run).
            return
        stat = path.stat()
        entry = [stat.st_size, stat.st_mtime_ns, sha256]
        key = str(path.resolve())
        if self.entries.get(key) != entry:
            self.entries[key] = entry
            self._changed = True

    def save(self) -> None:
        """Write the index when this run changed it (a warm rerun writes nothing)."""
        if self._changed:
            write_atomic(self.path, json.dumps(self.entries, sort_keys=True).encode())
            self._changed = False
