"""The pure parts of the app import with Django blocked: the importer, the feature algorithms
(anchoring, claims, connections), the kinds, the sanitizer and the export formatters.

A package's ``__init__`` imports nothing impure; its Django-using parts live in named submodules
(``services.py``, ``selectors.py``) that callers import explicitly — so importing the package
must not import them either.
"""

import pkgutil
import subprocess
import sys
from pathlib import Path

import articles.importer as importer

ROOT = Path(__file__).resolve().parents[1]

PURE = [
    "articles.kinds",
    "articles.sanitize",
    "articles.anchoring",
    "articles.anchoring.algorithm",
    "articles.claims",
    "articles.claims.finder",
    "articles.connect",
    "articles.connect.similarity",
    "articles.connect.xrefs",
    "articles.export",
    "articles.export.csv_export",
    "articles.export.jsonld",
    "articles.export.markdown",
    "articles.export.types",
    "articles.search.query",
]


def _importer_modules() -> list[str]:
    names = sorted(m.name for m in pkgutil.iter_modules(importer.__path__, "articles.importer."))
    assert "articles.importer.extract" in names and "articles.importer.generic" in names
    return ["articles.importer", *names]


def _import_with_django_blocked(names: list[str]) -> subprocess.CompletedProcess:
    code = (
        "import importlib, sys\n"
        "sys.modules['django'] = None  # any import of django (or django.*) now raises ImportError\n"
        f"for name in {names!r}: importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('articles.'))\n"
        "print('\\n'.join(loaded))\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
    )


def test_pure_modules_import_with_django_blocked():
    result = _import_with_django_blocked([*_importer_modules(), *PURE])
    assert result.returncode == 0, result.stderr
    loaded = set(result.stdout.split())
    assert set(PURE) <= loaded


def test_feature_packages_do_not_import_their_django_parts():
    result = _import_with_django_blocked(["articles.anchoring", "articles.claims", "articles.connect", "articles.backup"])
    assert result.returncode == 0, result.stderr
    loaded = set(result.stdout.split())
    impure = {m for m in loaded if m.rsplit(".", 1)[-1] in {"services", "selectors", "archive_export", "archive_import"}}
    assert impure == set()


def test_django_is_really_blocked_in_the_subprocess():
    result = _import_with_django_blocked(["articles.connect.services"])
    assert result.returncode != 0
    assert "django" in result.stderr
