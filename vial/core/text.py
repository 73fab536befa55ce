"""Text as people type it, cleaned one way everywhere: web forms, the diary and the API.

Invisible characters are removed, not refused: they arrive by copy and paste from messaging apps
and word processors as often as from mischief. What is removed:

- bidirectional controls (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C), which can make
  a name display in a different order from how it is stored (and disguise it in the diary);
- zero-width characters (U+200B-U+200D, U+2060, U+FEFF), which make two equal-looking names differ;
- null bytes and every other control character (line breaks too, except in multi-line text).

Text is NFC-normalised, so 'é' typed as one character or as 'e' plus an accent is stored the same.
"""

import re
import unicodedata

#: Invisible characters that change how text displays or compares, mapped to nothing (for str.translate).
INVISIBLE = dict.fromkeys(
    [
        0x061C,  # Arabic letter mark
        0x200B,  # zero-width space
        0x200C,  # zero-width non-joiner
        0x200D,  # zero-width joiner
        0x200E,  # left-to-right mark
        0x200F,  # right-to-left mark
        *range(0x202A, 0x202F),  # embeddings and overrides, and the pop
        0x2060,  # word joiner
        *range(0x2066, 0x206A),  # isolates, and the pop
        0xFEFF,  # zero-width no-break space (byte order mark)
    ]
)
#: Unicode categories never kept: controls (null bytes included), lone surrogates, private use.
DROPPED_CATEGORIES = frozenset({"Cc", "Cs", "Co"})


def clean_text(value: str, *, multiline: bool = False) -> str:
    """Normalise to NFC, drop control and invisible characters, keep line breaks where allowed.

    One line: runs of whitespace become one space. Several lines: trailing spaces go and at most one
    blank line is kept between paragraphs. Either way the ends are stripped.
    """
    value = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))
    value = value.translate(INVISIBLE)
    keep = {"\n", "\t"} if multiline else set()
    value = "".join(ch for ch in value if ch in keep or unicodedata.category(ch) not in DROPPED_CATEGORIES)
    if multiline:
        value = re.sub(r"\n{3,}", "\n\n", "\n".join(line.rstrip() for line in value.split("\n")))
    else:
        value = " ".join(value.split())
    return value.strip()


def clean_name(value: str) -> str:
    """A person's name as stored: one line, cleaned as `clean_text` does. May be '' (callers refuse it)."""
    return clean_text(value)


def has_letters(value: str, minimum: int = 1) -> bool:
    """True when the text has at least `minimum` letters (in any script)."""
    return sum(ch.isalpha() for ch in value) >= minimum
