// Highlights on the issue page: the server sends each <mark class="hl"> with only its look and
// data-highlight-ids (a few bytes per mark, whatever the number of annotations). Here, once per
// page and once per swapped fragment, each mark becomes a button that opens its card: hx-get (the
// card URL, from #highlight-card's data-card-url), hx-target and role. Keyboard access is a roving
// tabindex: one Tab stop per paragraph (its first mark), the arrow keys move between its marks.
(function () {
  "use strict";

  const MARKS = "mark.hl[data-highlight-ids]:not([hx-get])";

  function cardUrl() {
    const card = document.getElementById("highlight-card");
    return card ? card.dataset.cardUrl : "";
  }

  function decorate(root) {
    const url = cardUrl();
    if (!url || !root.querySelectorAll) return false;
    const marks = root.matches && root.matches(MARKS) ? [root] : Array.from(root.querySelectorAll(MARKS));
    const paragraphs = new Set();
    marks.forEach(function (mark) {
      mark.setAttribute("hx-get", url + "?ids=" + mark.dataset.highlightIds.split(" ").join(","));
      mark.setAttribute("hx-target", "#highlight-card");
      mark.setAttribute("role", "button");
      paragraphs.add(mark.closest(".para-text") || mark.parentElement);
    });
    paragraphs.forEach(function (text) {
      text.querySelectorAll("mark.hl[data-highlight-ids]").forEach(function (mark, i) {
        mark.tabIndex = i === 0 ? 0 : -1;
      });
    });
    return marks.length > 0;
  }

  // Deferred scripts run before htmx processes the page, so htmx sees these attributes at once.
  decorate(document);
  document.addEventListener("htmx:load", function (event) {
    if (decorate(event.target)) htmx.process(event.target);
  });

  document.addEventListener("keydown", function (event) {
    const mark = event.target;
    if (!(event.key === "ArrowRight" || event.key === "ArrowLeft")) return;
    if (!mark.matches || !mark.matches("mark.hl[data-highlight-ids]")) return;
    const text = mark.closest(".para-text");
    if (!text) return;
    const marks = Array.from(text.querySelectorAll("mark.hl[data-highlight-ids]"));
    const next = marks[marks.indexOf(mark) + (event.key === "ArrowRight" ? 1 : -1)];
    if (!next) return;
    event.preventDefault();
    marks.forEach(function (m) { m.tabIndex = -1; });
    next.tabIndex = 0;
    next.focus();
  });
})();
