"""Numbers and lists in words, as in print: shared by the templates' filters and the generated synthesis."""

from __future__ import annotations

from collections.abc import Iterable

_NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


_TEENS = (
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
)


_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")


def number_words(value: int, start: bool = False) -> str:
    """Numbers below ten as words, as in print ('nine'), larger ones as digits; at the start of a sentence,
    every number below a hundred in words and capitalised ('Sixteen')."""
    if not start:
        return _NUMBER_WORDS[value] if 0 <= value < len(_NUMBER_WORDS) else str(value)
    if 0 <= value < 10:
        text = _NUMBER_WORDS[value]
    elif 10 <= value < 20:
        text = _TEENS[value - 10]
    elif 20 <= value < 100:
        text = _TENS[value // 10] + (f"-{_NUMBER_WORDS[value % 10]}" if value % 10 else "")
    else:
        text = str(value)
    return upper_first(text)


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def and_list(items: Iterable[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def of_cases(count: int, total: int) -> str:
    """'four of the 16', 'both', 'all 40', 'the one', 'none of the four' (as the templates' `of_cases`)."""
    if total == 0:
        return "none"
    if count == total:
        return "the one" if total == 1 else "both" if total == 2 else f"all {number_words(total)}"
    if count == 0:
        return f"none of the {number_words(total)}"
    return f"{number_words(count)} of the {number_words(total)}"
