"""Normalisation and format detection (pure, no database)."""

import pytest

from articles.importer import MAX_BYTES, ParseError, decode_source


def test_bom_crlf_nul_and_nfc_are_normalised():
    raw = "\ufeffImport AI 1: Cafe\u0301\r\nline two\r\n".encode("utf-8").replace(b"two", b"t\x00wo")
    decoded = decode_source(raw)
    assert decoded.text == "Import AI 1: Caf\u00e9\nline two\n"
    assert decoded.encoding == "utf-8" and decoded.notes == ()


def test_windows_copy_normalises_to_the_same_text():
    unix = "Import AI 7: Title\nSubtitle’s here\n".encode()
    windows = b"\xef\xbb\xbf" + unix.replace(b"\n", b"\r\n")
    assert decode_source(unix).text == decode_source(windows).text


def test_cp1252_is_decoded_and_reported():
    decoded = decode_source("Import AI 3: caf\u00e9 \u2019quoted\u2019\n".encode("cp1252"))
    assert decoded.text == "Import AI 3: caf\u00e9 \u2019quoted\u2019\n"
    assert decoded.encoding == "cp1252"
    assert decoded.notes == ("not valid UTF-8; decoded as cp1252",)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "file is empty"),
        (b"  \n\r\n ", "file is empty"),
        (b"\x00\x00", "file is empty"),
        (bytes(range(256)) * 40, "binary"),
        (b"x" * (MAX_BYTES + 1), "the limit is 5,242,880 bytes"),
    ],
)
def test_bad_bytes_are_refused_with_a_reason(raw, message):
    with pytest.raises(ParseError, match=message):
        decode_source(raw)
