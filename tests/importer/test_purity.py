"""articles.importer stays pure: importing all of it never imports Django."""

import pkgutil
import subprocess
import sys
from pathlib import Path

import articles.importer as importer

ROOT = Path(__file__).resolve().parents[2]


def test_importing_every_importer_module_leaves_django_out():
    names = sorted(m.name for m in pkgutil.iter_modules(importer.__path__, "articles.importer."))
    assert "articles.importer.extract" in names and "articles.importer.generic" in names
    code = (
        "import importlib, sys\n"
        f"for name in {names!r}: importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
