"""Selecting text in a paragraph through the Selection API alone (no mouse or key event), as a
touch long-press and its handles, or caret browsing, end up doing."""

from __future__ import annotations

SELECT_RANGE_JS = """([selector, phrase]) => {
  const container = document.querySelector(selector + ' .para-text');
  const full = container.textContent;
  const start = full.indexOf(phrase);
  if (start < 0) throw new Error('phrase not found: ' + phrase);
  const end = start + phrase.length;
  const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
  let seen = 0, node;
  const range = document.createRange();
  while ((node = walker.nextNode())) {
    const len = node.textContent.length;
    if (seen <= start && start < seen + len) range.setStart(node, start - seen);
    if (seen < end && end <= seen + len) { range.setEnd(node, end - seen); break; }
    seen += len;
  }
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  return selection.toString();
}"""


def select_programmatically(page, paragraph_selector: str, phrase: str) -> None:
    """Select ``phrase`` inside the paragraph with the Selection API (fires only selectionchange)."""
    page.locator(paragraph_selector).scroll_into_view_if_needed()
    assert page.evaluate(SELECT_RANGE_JS, [paragraph_selector, phrase]) == phrase


def on_screen(page, locator) -> bool:
    """Whether ``locator``'s box lies wholly inside the viewport."""
    box = locator.bounding_box()
    size = page.viewport_size
    return box is not None and box["x"] >= 0 and box["y"] >= 0 and \
        box["x"] + box["width"] <= size["width"] + 0.5 and box["y"] + box["height"] <= size["height"] + 0.5
