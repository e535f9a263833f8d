"""The review's recommendations addressed to, or about, the police."""

from __future__ import annotations

from briefgen.lexicon import CompiledLexicon
from briefgen.models import Recommendation
from briefgen.text import Sentence, clip


def police_recommendations(sentences: list[Sentence], lexicon: CompiledLexicon) -> list[Recommendation]:
    """Recommendations in the recommendations section that are addressed to, or about, the police."""
    found: list[Recommendation] = []
    seen: set[str] = set()
    for sentence in sentences:
        if sentence.kind not in lexicon.roles.recommendations:
            continue
        text = sentence.whole
        heading_police = lexicon.mentions_police(sentence.section)
        if not (heading_police or lexicon.mentions_police(text)):
            continue
        if len(text) < 40 or text in seen:
            continue
        seen.add(text)
        match = lexicon.cues.recommendation_start.match(text)
        number = match.group("n") if match else None
        forces = lexicon.forces.find(text) or lexicon.forces.find(sentence.section)
        addressee = (
            forces[0] if forces else ("Police" if heading_police or lexicon.police.test(text) else None)
        )
        found.append(
            Recommendation(number=number, text=clip(text, 600), addressee=addressee, page=sentence.page)
        )
    return found
