"""The coded reviews as a REFI-QDA project (.qdpx), so an analyst can verify them in QualCoder, NVivo, MAXQDA
or ATLAS.ti.

A .qdpx file is a zip of `project.qde` (XML in the REFI-QDA Project schema) and `sources/`, here one plain-text
file per review: its pages one after another, each under a `[page N]` line. The codebook's themes are parent
codes with their codes as children, and a group "Case features" holds one code per feature; every piece of
evidence that counts becomes a coded text selection (character offsets into the source), and the case features
become case variables. The same coded file gives the same bytes.
"""

from __future__ import annotations

import io
import logging
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape as _escape
from xml.sax.saxutils import quoteattr as _quoteattr

from briefgen import __version__
from briefgen.errors import StageInputInvalid
from briefgen.files import write_output
from briefgen.ingest.limits import DEFAULT_LIMITS, Limits
from briefgen.models import CaseFeatures, CodedCase, CodedResult, DocumentText, Evidence, ScreeningResult
from briefgen.runner.corpus import document_texts
from briefgen.text import xml_safe

log = logging.getLogger(__name__)

_NAMESPACE = uuid.UUID("3d2b8f0e-5a7c-4e21-9b0a-7c1e2f4a6d58")
_COLOURS = ["#1f5f8b", "#c0392b", "#8e44ad", "#27ae60", "#d68910", "#2c3e50", "#16a085", "#7f8c8d"]
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # a fixed time: the same project gives the same bytes
_TYPES = {bool: "Boolean", int: "Integer"}


@dataclass(frozen=True)
class ExportSummary:
    sources: int
    selections: int
    unplaced: int  # evidence whose place in the review was not found: not exported


def _guid(*parts: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, "/".join(parts))).upper()


def _text(value: str) -> str:
    return _escape(xml_safe(value))


def _attr(value: str) -> str:
    return _quoteattr(xml_safe(value))


def source_text(document: DocumentText) -> tuple[str, dict[int, int]]:
    """The review as one plain text, and where each page's text starts in it."""
    parts, starts, at = [], {}, 0
    unit = "paragraph" if document.page_unit == "paragraph" else "page"
    for page in document.pages:
        heading = f"[{unit} {page.number}]\n"
        starts[page.number] = at + len(heading)
        chunk = heading + page.text + "\n\n"
        parts.append(chunk)
        at += len(chunk)
    return "".join(parts), starts


def export_project(
    coded: CodedResult, coded_path: Path, out: Path, *, cache_dir: Path, limits: Limits = DEFAULT_LIMITS
) -> ExportSummary:
    """Write the REFI-QDA project of the coded reviews to `out`."""
    from briefgen.files import check_outputs

    check_outputs([out], {"coded file": coded_path})
    corpus = _corpus_of(coded, coded_path)
    texts = document_texts(
        [(corpus / case.source, case.sha256) for case in coded.cases], cache_dir=cache_dir, limits=limits
    )
    data, summary = project_bytes(coded, dict(zip((c.source for c in coded.cases), texts, strict=True)))
    write_output(out, data)
    return summary


def _corpus_of(coded: CodedResult, coded_path: Path) -> Path:
    """The corpus folder, found through the screening file the coded file names."""
    screening_path = coded_path.parent / coded.screening.path
    try:
        screening = ScreeningResult.model_validate_json(screening_path.read_bytes())
    except (OSError, ValueError):
        raise StageInputInvalid(
            f"cannot read the screening file it was coded from ({screening_path}), which names the corpus; "
            "run `briefgen code` again",
            path=coded_path,
        ) from None
    return screening_path.parent / screening.corpus


def project_bytes(coded: CodedResult, texts: dict[str, DocumentText | str]) -> tuple[bytes, ExportSummary]:
    """The .qdpx file: project.qde and one source text per review that could be read."""
    codes, feature_codes, lines = _codebook(coded)
    variables = {name: _guid("variable", name) for name in CaseFeatures.model_fields}
    lines.append("  <Variables>")
    for name in CaseFeatures.model_fields:
        kind = _variable_type(coded, name)
        lines.append(
            f"    <Variable guid={_attr(variables[name])} name={_attr(name)} typeOfVariable={_attr(kind)}/>"
        )
    lines.append("  </Variables>")
    files: dict[str, str] = {}
    sources: list[str] = []
    selections = unplaced = 0
    cases_xml: list[str] = []
    for case in coded.cases:
        text = texts.get(case.source)
        source_guid = _guid("source", case.sha256)
        cases_xml += _case(case, variables, source_guid if isinstance(text, DocumentText) else None, coded)
        if not isinstance(text, DocumentText):
            log.warning("%s: not exported as a source: %s", case.source, text or "no text")
            continue
        plain, starts = source_text(text)
        files[f"sources/{source_guid}.txt"] = plain
        sources.append(
            f"    <TextSource guid={_attr(source_guid)} name={_attr(case.pseudonym or case.title)} "
            f"plainTextPath={_attr(f'internal://{source_guid}.txt')}>"
        )
        sources.append(
            f"      <Description>{_text(f'{case.title} ({case.source}, sha256 {case.sha256})')}</Description>"
        )
        for key, evidence, code_guid in _evidence(case, codes, feature_codes):
            for index, item in enumerate(evidence):
                if item.start is None or item.end is None or item.page not in starts:
                    unplaced += 1
                    continue
                start, end = starts[item.page] + item.start, starts[item.page] + item.end
                guid = _guid("selection", case.sha256, key, str(index))
                sources += [
                    f"      <PlainTextSelection guid={_attr(guid)} name={_attr(item.quote[:80])} "
                    f'startPosition="{start}" endPosition="{end}">',
                    f"        <Description>{_text(f'{key}, p. {item.page}: {item.quote}')}</Description>",
                    f"        <Coding guid={_attr(_guid('coding', guid))}><CodeRef targetGUID={_attr(code_guid)}/></Coding>",
                    "      </PlainTextSelection>",
                ]
                selections += 1
        sources.append("    </TextSource>")
    if cases_xml:
        lines += ["  <Cases>", *cases_xml, "  </Cases>"]
    if sources:
        lines += ["  <Sources>", *sources, "  </Sources>"]
    lines += ["</Project>", ""]
    files["project.qde"] = "\n".join(lines)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in ["project.qde", *sorted(n for n in files if n != "project.qde")]:
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name].encode("utf-8"))
    return buffer.getvalue(), ExportSummary(len(files) - 1, selections, unplaced)


def _codebook(coded: CodedResult) -> tuple[dict[str, str], dict[str, str], list[str]]:
    """The codes (id -> guid), the feature codes (name -> guid) and the XML so far."""
    name = coded.codebook.ref.title
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<Project xmlns="urn:QDA-XML:project:1.0" name={_attr(f"briefgen: {name}")} '
        f"origin={_attr(f'briefgen {__version__}')}>",
        "  <CodeBook>",
        "    <Codes>",
    ]
    codes: dict[str, str] = {}
    for index, theme in enumerate(coded.codebook.themes):
        colour = _COLOURS[index % len(_COLOURS)]
        title = f"{theme.nvap_action} {theme.title}" if theme.nvap_action else theme.title
        lines.append(
            f'      <Code guid={_attr(_guid("theme", theme.id))} name={_attr(title)} isCodable="false" color="{colour}">'
        )
        lines.append(f"        <Description>{_text(theme.description.strip())}</Description>")
        for code in (c for c in coded.codebook.codes if c.theme == theme.id):
            codes[code.id] = _guid("code", code.id)
            lines += [
                f'        <Code guid={_attr(codes[code.id])} name={_attr(code.label)} isCodable="true" color="{colour}">',
                f"          <Description>{_text(f'[{code.id}] {code.definition.strip()}')}</Description>",
                "        </Code>",
            ]
        lines.append("      </Code>")
    features = {name: _guid("feature", name) for name in CaseFeatures.model_fields}
    lines.append(
        f'      <Code guid={_attr(_guid("features"))} name="Case features" isCodable="false" color="#555555">'
    )
    for name, guid in features.items():
        lines.append(
            f'        <Code guid={_attr(guid)} name={_attr(name)} isCodable="true" color="#555555"/>'
        )
    lines += ["      </Code>", "    </Codes>", "  </CodeBook>"]
    return codes, features, lines


def _evidence(
    case: CodedCase, codes: dict[str, str], features: dict[str, str]
) -> list[tuple[str, list[Evidence], str]]:
    """(what, evidence, code guid) for every present code and every feature with evidence."""
    found = [(cid, r.evidence, codes[cid]) for cid, r in case.codes.items() if r.present and cid in codes]
    for name in CaseFeatures.model_fields:
        feature = getattr(case.features, name)
        if feature.evidence:
            found.append((name, feature.evidence, features[name]))
    return found


def _variable_type(coded: CodedResult, name: str) -> str:
    kinds = {type(getattr(c.features, name).value) for c in coded.cases} - {type(None)}
    if len(kinds) == 1:
        return _TYPES.get(kinds.pop(), "Text")
    return "Text"


def _case(case: CodedCase, variables: dict[str, str], source: str | None, coded: CodedResult) -> list[str]:
    lines = [
        f"    <Case guid={_attr(_guid('case', case.sha256))} name={_attr(case.pseudonym or case.source)}>"
    ]
    lines.append(f"      <Description>{_text(f'{case.title} ({case.source})')}</Description>")
    for name in CaseFeatures.model_fields:
        value = getattr(case.features, name).value
        lines.append("      <VariableValue>")
        lines.append(f"        <VariableRef targetGUID={_attr(variables[name])}/>")
        kind = _variable_type(coded, name)
        if value is not None:
            if kind == "Boolean":
                lines.append(f"        <BooleanValue>{'true' if value else 'false'}</BooleanValue>")
            elif kind == "Integer":
                lines.append(
                    f"        <IntegerValue>{int(value) if not isinstance(value, list) else 0}</IntegerValue>"
                )
            else:
                shown = "; ".join(value) if isinstance(value, list) else str(value)
                lines.append(f"        <TextValue>{_text(shown)}</TextValue>")
        lines.append("      </VariableValue>")
    if source is not None:
        lines.append(f"      <SourceRef targetGUID={_attr(source)}/>")
    lines.append("    </Case>")
    return lines
