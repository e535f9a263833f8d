"""Numbers as reviews write them, in digits or in words ('22', 'nine', 'twenty-two', 'eightieth'): the patterns
that find them and the values they stand for."""

from __future__ import annotations

_UNITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_TEENS = ("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen")
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_WORDS: dict[str, int] = {word: value for value, word in enumerate(_UNITS)}
_WORDS |= {word: value + 10 for value, word in enumerate(_TEENS)} | {"nineteen": 19}
_WORDS |= {word: 20 + 10 * value for value, word in enumerate(_TENS)}
_TENS_PATTERN = "|".join(_TENS)
_UNITS_PATTERN = "|".join(_UNITS[1:])
# Longest alternatives first, and a ten never without its unit, so that 'twenty-two' is not read as 'twenty'.
NUMBER_WORDS = (
    rf"(?:{_TENS_PATTERN})[- ](?:{_UNITS_PATTERN})\b|(?:{_TENS_PATTERN})\b(?![- ](?:{_UNITS_PATTERN})\b)|"
    + "|".join(rf"{word}\b" for word in sorted(set(_WORDS) - set(_TENS), key=len, reverse=True))
)
NUMBER = rf"\d{{1,4}}|{NUMBER_WORDS}"
# A person's age in years: two digits at most, or words ('19', 'nineteen', 'forty-four'), in any case.
YEARS = rf"\d{{1,2}}\b|(?i:{NUMBER_WORDS})"


def number_value(text: str) -> int | None:
    """'22', 'nine' or 'twenty-two' as a number; None for anything else."""
    text = text.strip().lower()
    if text.isdigit():
        return int(text)
    if text in _WORDS:
        return _WORDS[text]
    tens, _, unit = text.replace(" ", "-").partition("-")
    if tens in _TENS and unit in _UNITS[1:]:
        return _WORDS[tens] + _WORDS[unit]
    return None


_ORDINAL_IRREGULAR = {"first": 1, "second": 2, "third": 3, "fifth": 5, "eighth": 8, "ninth": 9, "twelfth": 12}


def ordinal_value(text: str) -> int | None:
    """'80th', 'eightieth' or 'eighty-first' as a number; None for anything else."""
    text = text.strip().lower().replace(" ", "-")
    if text[:-2].isdigit() and text[-2:] in ("st", "nd", "rd", "th"):
        return int(text[:-2])
    tens, _, unit = text.rpartition("-")
    if tens and tens not in _TENS:
        return None
    if unit in _ORDINAL_IRREGULAR:
        last: int | None = _ORDINAL_IRREGULAR[unit]
    elif unit.endswith("ieth"):
        last = number_value(unit[:-4] + "y")
    elif unit.endswith("th"):
        last = number_value(unit[:-2])
    else:
        last = None
    if last is None or (tens and not 1 <= last <= 9):
        return None
    return (_WORDS[tens] if tens else 0) + last
