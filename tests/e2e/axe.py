"""axe-core in Chromium, for the accessibility test.

axe-core is a test-only npm package pinned in tests/e2e/package.json (package-lock.json), installed
into tests/e2e/node_modules (git-ignored) with ``npm ci`` the first time it is needed. The pages
keep their Content-Security-Policy: the script is served from the site's own origin through
``page.route`` and added as ``<script src>``, which ``script-src 'self'`` allows.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).parent
AXE_JS = HERE / "node_modules" / "axe-core" / "axe.min.js"
AXE_URL_PATH = "/static/__test-only__/axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice", "experimental"]
# The impacts the suite refuses; "minor" findings are reported but not failed.
REFUSED = ("critical", "serious", "moderate")


def axe_source() -> Path:
    """The axe-core script, installed from the lock file on first use."""
    if not AXE_JS.exists():
        npm = shutil.which("npm")
        if npm is None:
            if os.environ.get("CI"):
                raise FileNotFoundError("npm is missing in CI (.ci/run installs it)")
            pytest.skip("npm is not installed")
        subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--prefix", str(HERE)], check=True, timeout=300)
    return AXE_JS


def serve_axe(context, origin: str) -> None:
    """Answer ``origin + AXE_URL_PATH`` in ``context`` with the axe-core script."""
    body = axe_source().read_bytes()
    context.route(origin + AXE_URL_PATH, lambda route: route.fulfill(
        status=200, body=body, headers={"Content-Type": "text/javascript; charset=utf-8"}))


def run_axe(page, origin: str) -> list[dict]:
    """axe's violations on the page as shown now: [{"id", "impact", "help", "targets"}]."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(url=origin + AXE_URL_PATH)
    result = page.evaluate(
        """async (tags) => {
          const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
          return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            targets: v.nodes.map(n => n.target.join(' ')).slice(0, 5), count: v.nodes.length}));
        }""",
        TAGS,
    )
    return result
