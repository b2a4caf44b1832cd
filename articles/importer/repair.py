"""Repair mojibake in imported newsletter text (pure Python, no Django).

:func:`repair_mojibake` runs three steps, in this order:

1. **ftfy** (``fix_text``) repairs *intact* mojibake such as ``donâ€™t`` → ``don’t``. Its
   non-encoding cosmetics (uncurling quotes, fullwidth/ligature folding, HTML unescaping) are
   switched off so that clean text is never altered.

2. **The lost-byte rule.** Some files were mis-decoded as cp1252/latin-1 *and then lost the
   continuation bytes*: every ``’ “ ” — –`` (UTF-8 ``E2 80 xx``) survives only as ``â`` (the
   latin-1 reading of ``E2``). Each such ``â`` is replaced by reading its neighbours
   (W = letter or digit):

   ========================================  ============  ==========================
   context                                   becomes       example
   ========================================  ============  ==========================
   letter ``â`` s/t/d/m/ll/re/ve, word end   ’ apostrophe  ``havenât`` → ``haven’t``
   digit ``â`` digit                         – en dash     ``2010â2020`` → ``2010–2020``
   W ``â`` W otherwise                       — em dash     ``inferenceâthe``
   start/space/opening bracket ``â`` W       “ opening     ``âHuman`` → ``“Human``
   W or punctuation ``â`` space/punct/end    ” closing     ``AIâ.``, ``Secondâ)``
   anything else (``â`` between spaces)      — em dash     ``sight â but``
   ========================================  ============  ==========================

   *Protecting legitimate â* (pâté, château, âge, Romanian cât…): the rule only runs when the
   text carries the lost-byte signature, namely (a) it contains none of ``‘ ’ “ ” – — … •``
   (a file that went through this damage lost *all* of them), (b) it contains no Vietnamese
   letters (U+1E00–U+1EFF, which no single-byte mis-decoding produces), and (c) at least one
   ``â`` touches a non-letter (quotes sit at word edges, while French, Portuguese and Romanian
   only use ``â`` inside words; an English contraction such as ``donât`` also counts). Even
   then, words whose letters (ignoring ``â`` at their edges) start with a stem in
   :data:`LEGIT_STEMS` keep the ``â`` inside that stem. Once the gate is open, an ``â`` at
   a word edge is always read as punctuation (so French "âge" there would become "“ge").

3. **Emoji remnants.** A 4-byte emoji (``F0 9F xx xx``) mis-decoded as cp1250/latin-2 or
   cp1252/latin-1 starts with ``đ`` or ``ð``, followed by what is left of its continuation
   bytes (here ``đž``). A whole token made of ``đ``/``ð`` plus 1–3 letters or symbols that those
   code pages produce for bytes 0x80–0xBF is dropped, with the space after it (or before it at
   the end of a line). A lone ``đ`` (the Vietnamese đồng sign) and ``đ`` inside words (Croatian
   ``međa``) are never touched.

The function is idempotent: repaired text has typographic punctuation, which closes the gate.
"""

from __future__ import annotations

import re
import unicodedata

import ftfy

# Typographic characters that all start with the byte E2; their presence means no E2 was lost.
_E2_PUNCTUATION = "‘’“”–—…•"
_VIETNAMESE = re.compile("[\u1e00-\u1eff]")
_LOST = "â"

#: Word stems (lowercase) whose ``â`` is real, kept even in damaged text. Tiny on purpose.
LEGIT_STEMS = (
    "pâté", "pâte", "pâtiss", "châtea", "gâtea", "théâtr", "bâti", "dégât", "appât", "mâch",
    "tâch", "fâch", "hâte", "câmara", "român", "mâine", "câine", "pâine", "cât",
)

_CONTRACTION = re.compile(r"(?:s|t|d|m|ll|re|ve)(?![^\W\d_])", re.IGNORECASE)
_OPENERS = "([{<«"


def _continuation_chars() -> str:
    """Letters and symbols that code pages show for UTF-8 continuation bytes 0x80–0xBF."""
    chars = set()
    for codec in ("cp1250", "cp1252", "latin-1", "iso8859-2"):
        chars |= set(bytes(range(0x80, 0xC0)).decode(codec, errors="ignore"))
    return "".join(sorted(c for c in chars if unicodedata.category(c)[0] in "LS"))


_REMNANT = "[đð][" + re.escape(_continuation_chars()) + "]{1,3}"
_REMNANT_AT_LINE_END = re.compile(r"(?m)(?:^|[ \t]+)" + _REMNANT + r"[ \t]*$")
_REMNANT_BEFORE_TEXT = re.compile(r"(?<!\S)" + _REMNANT + r"[ \t]+")
# An â at a word edge, or inside an English contraction (n't, 's, 'll, 're, 've).
_SIGNATURE = re.compile(r"(?<!\w)â|â(?!\w)|(?<=n)â(?=t\b)|(?<=[^\W\d_])â(?=(?:s|ll|re|ve)\b)")


def _has_lost_byte_signature(text: str) -> bool:
    if _LOST not in text or _VIETNAMESE.search(text):
        return False
    if any(c in text for c in _E2_PUNCTUATION):
        return False
    return any(not _is_protected(text, m.start()) for m in _SIGNATURE.finditer(text))


def _is_protected(text: str, i: int) -> bool:
    """True when the ``â`` at ``i`` lies within a legitimate stem that starts its word.

    ``â`` at the edges of the word is ignored when matching (it is read as a lost quote), so
    ``âchâteauâ`` keeps its inner â and gets its quotes back, and ``châteauâs`` becomes
    ``château’s`` (the second â is past the stem).
    """
    start, end = i, i + 1
    while start > 0 and text[start - 1].isalpha():
        start -= 1
    while end < len(text) and text[end].isalpha():
        end += 1
    start += text[start] == _LOST
    end -= text[end - 1] == _LOST
    word = text[start:end].lower()
    return any(start <= i < start + len(stem) and word.startswith(stem) for stem in LEGIT_STEMS)


def _replacement(text: str, i: int) -> str:
    prev = text[i - 1] if i > 0 else ""
    nxt = text[i + 1] if i + 1 < len(text) else ""
    if prev.isalnum() and nxt.isalnum():
        if prev.isalpha() and _CONTRACTION.match(text, i + 1):
            return "’"
        return "–" if prev.isdigit() and nxt.isdigit() else "—"
    if nxt.isalnum() and (not prev or prev.isspace() or prev in _OPENERS):
        return "“"
    if prev and not prev.isspace() and (not nxt or nxt.isspace() or not nxt.isalnum()):
        return "”"
    return "—"


def _fix_lost_bytes(text: str) -> str:
    if not _has_lost_byte_signature(text):
        return text
    out = []
    for i, char in enumerate(text):
        if char == _LOST and not _is_protected(text, i):
            out.append(_replacement(text, i))
        else:
            out.append(char)
    return "".join(out)


def repair_mojibake(text: str) -> str:
    """Return ``text`` with intact mojibake, lost-byte ``â`` and emoji remnants repaired.

    Clean text (including real words such as "pâté" or "château") comes back unchanged, and
    ``repair_mojibake(repair_mojibake(x)) == repair_mojibake(x)``.
    """
    text = ftfy.fix_text(
        text,
        uncurl_quotes=False,
        fix_character_width=False,
        fix_latin_ligatures=False,
        unescape_html=False,
    )
    text = _fix_lost_bytes(text)
    text = _REMNANT_AT_LINE_END.sub("", text)
    return _REMNANT_BEFORE_TEXT.sub("", text)


# A UTF-8 multi-byte character written as quoted-printable: =C3=A9, =E2=80=99, =F0=9F=98=80.
_QP_UTF8 = re.compile(
    r"=(?:[CD][0-9A-F]=[89AB][0-9A-F]|E[0-9A-F](?:=[89AB][0-9A-F]){2}|F[0-4](?:=[89AB][0-9A-F]){3})"
)
_QP_RUN = re.compile(r"(?:=[0-9A-F]{2})+")
_QP_SOFT_BREAK = re.compile(r"=[ \t]*\n")


def _run_text(run: str) -> str | None:
    """The text of a run of ``=XX`` bytes when it is valid UTF-8, else ``None``."""
    try:
        return bytes.fromhex(run.replace("=", "")).decode("utf-8")
    except UnicodeDecodeError:
        return None


def _is_multibyte_run(run: str) -> bool:
    """A whole run of ``=XX`` bytes that is valid UTF-8 made only of multi-byte characters."""
    decoded = _run_text(run)
    return decoded is not None and bool(decoded) and not any(ord(c) < 0x80 for c in decoded)


def repair_quoted_printable(text: str) -> str:
    """Decode quoted-printable that was left in ``text`` (``don=E2=80=99t`` → ``don’t``).

    Evidence: at least one run of ``=XX`` bytes that is valid UTF-8 and holds only multi-byte
    characters (``=E2=80=99``, ``=C3=A9``); without it the text is returned as it is, so ordinary
    text (``a=b``, ``x=20``, ``x=3D``, URLs with ``?id=AB``) is never touched. With evidence, soft
    line breaks (``=`` at a line end) are joined and every such multi-byte run is decoded. Runs
    that hold ASCII escapes (``=3D``, ``=20``) are decoded too only on strong evidence — two or
    more multi-byte characters, or one plus a soft line break — since one stray sequence says little
    about the ``=`` signs around it. A run that is not valid UTF-8 is left as it was. Idempotent.
    """
    evidence = sum(
        len(_QP_UTF8.findall(m.group())) for m in _QP_RUN.finditer(text) if _is_multibyte_run(m.group())
    )
    if not evidence:
        return text
    strong = evidence >= 2 or _QP_SOFT_BREAK.search(text) is not None
    text = _QP_SOFT_BREAK.sub("", text)

    def decode(match: re.Match[str]) -> str:
        run = match.group()
        decoded = _run_text(run)
        if decoded is None or not (strong or _is_multibyte_run(run)):
            return run
        return decoded

    text = _QP_RUN.sub(decode, text)
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n"))
