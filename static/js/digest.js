// Digest: the little plain JS the browser must be asked for — the text selection.
// Selecting text inside one paragraph opens the highlight popover with the W3C-style selectors
// (paragraph id + start/end offsets in the paragraph's plain text). A selection that runs into
// another paragraph is clipped to the end of the paragraph where it starts.
(function () {
  "use strict";

  // Poll an open thread only while nobody is typing in it (the swap would drop the text).
  function idle(el) {
    return !el.contains(document.activeElement) && !el.querySelector("details[open] textarea:not(:placeholder-shown)");
  }
  document.addEventListener("htmx:beforeRequest", function (event) {
    const elt = event.detail.elt;
    if (elt.classList && elt.classList.contains("thread-comments") && !idle(elt)) event.preventDefault();
  });

  // Phones: the header folds into a menu. The button is hidden in the HTML (without JS the header
  // just wraps); here it is shown, closed, and toggles aria-expanded (CSS hides the menu when
  // false, on narrow screens only). Escape inside the open menu closes it and focuses the button.
  const menuToggle = document.querySelector(".menu-toggle");
  if (menuToggle) {
    menuToggle.hidden = false;
    menuToggle.setAttribute("aria-expanded", "false");
    menuToggle.addEventListener("click", function () {
      menuToggle.setAttribute("aria-expanded", menuToggle.getAttribute("aria-expanded") === "true" ? "false" : "true");
    });
    document.addEventListener("keydown", function (event) {
      const menu = document.getElementById("site-menu");
      if (event.key === "Escape" && menuToggle.getAttribute("aria-expanded") === "true" && menu && menu.contains(event.target)
          && menuToggle.offsetParent !== null) {
        menuToggle.setAttribute("aria-expanded", "false");
        menuToggle.focus();
      }
    });
  }

  // "/" anywhere outside a form field focuses the header search box.
  document.addEventListener("keydown", function (event) {
    const t = event.target;
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    if (t.closest && t.closest("input, textarea, select, [contenteditable]")) return;
    const box = document.getElementById("site-search");
    if (menuToggle && menuToggle.offsetParent !== null) menuToggle.setAttribute("aria-expanded", "true");
    if (box) { event.preventDefault(); box.focus(); box.select(); }
  });

  // Highlights are focusable buttons: Enter or Space opens the card like a click. The card takes
  // focus when it arrives; Escape or Close empties it and gives focus back to the highlight.
  let cardOpener = null; // the data-highlight-ids of the mark that opened the card
  function isMark(el) {
    return el && el.matches && el.matches("mark.hl[data-highlight-ids]");
  }
  // The card URL of a mark: its hx-get once marks.js has decorated it, else built the same way
  // (a mark swapped in a moment ago may be focused and opened before htmx:load decorates it).
  function cardUrlOf(mark) {
    const card = document.getElementById("highlight-card");
    return mark.getAttribute("hx-get") ||
      (card ? card.dataset.cardUrl + "?ids=" + mark.dataset.highlightIds.split(" ").join(",") : "");
  }
  document.addEventListener("keydown", function (event) {
    if (event.key === " " && isMark(event.target)) event.preventDefault(); // no page scroll
  });
  document.addEventListener("keyup", function (event) {
    const mark = event.target;
    if ((event.key === "Enter" || event.key === " ") && isMark(mark)) {
      cardOpener = mark.dataset.highlightIds || null;
      // htmx.ajax, not a synthetic click: works even before htmx has processed a freshly swapped mark
      const url = cardUrlOf(mark);
      if (url) htmx.ajax("GET", url, { target: "#highlight-card", swap: "innerHTML" });
    }
  });
  document.addEventListener("click", function (event) {
    const mark = event.target.closest && event.target.closest("mark.hl[hx-get]");
    if (mark) cardOpener = mark.dataset.highlightIds || null;
  }, true);

  function closeCard() {
    const card = document.getElementById("highlight-card");
    if (!card || !card.firstElementChild) return false;
    card.replaceChildren();
    const mark = cardOpener && document.querySelector('mark.hl[data-highlight-ids="' + cardOpener + '"]');
    if (mark) mark.focus();
    return true;
  }
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest(".card-close")) closeCard();
  });
  document.addEventListener("keydown", function (event) {
    const card = document.getElementById("highlight-card");
    if (event.key === "Escape" && card && card.contains(document.activeElement) && closeCard()) event.preventDefault();
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    const card = event.detail.target;
    if (card.id === "highlight-card" && card.firstElementChild && !card.contains(document.activeElement)) card.focus();
  });

  // A mention's link (?thread=<section> or ?card=<highlight>, #comment-<id>): the server renders
  // the discussion open; bring the comment into view even when it sits in the card's own scroller.
  const linked = /^#comment-\d+$/.test(location.hash) && document.getElementById(location.hash.slice(1));
  if (linked) linked.scrollIntoView({ block: "center" });

  // The team picker submits on change (a plain button is shown without JS).
  document.addEventListener("change", function (event) {
    if (event.target.matches(".team-switch select")) event.target.form.submit();
  });

  function paragraphOf(node) {
    const el = node && (node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement);
    return el ? el.closest("p.para[data-paragraph-id]") : null;
  }

  // Offset of (node, offset) within the paragraph's .para-text, in UTF-16 code units (see codePoints).
  function textOffset(container, node, offset) {
    const range = document.createRange();
    range.selectNodeContents(container);
    try {
      range.setEnd(node, offset);
    } catch (e) {
      return null;
    }
    return range.toString().length;
  }

  function selectionInfo() {
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed || selection.rangeCount === 0) return null;
    const range = selection.getRangeAt(0);
    const paragraph = paragraphOf(range.startContainer);
    if (!paragraph) return null;
    const text = paragraph.querySelector(".para-text");
    if (!text) return null;
    const full = text.textContent;
    let start = text.contains(range.startContainer) ? textOffset(text, range.startContainer, range.startOffset) : 0;
    let end;
    if (paragraphOf(range.endContainer) === paragraph && text.contains(range.endContainer)) {
      end = textOffset(text, range.endContainer, range.endOffset);
    } else {
      end = full.length; // clipped: the selection left this paragraph
    }
    if (start === null || end === null) return null;
    // trim surrounding whitespace, as a reader means the words
    while (start < end && /\s/.test(full[start])) start++;
    while (end > start && /\s/.test(full[end - 1])) end--;
    if (end <= start) return null;
    return {
      paragraph, start: codePoints(full, start), end: codePoints(full, end),
      quote: full.slice(start, end), rect: range.getBoundingClientRect(),
    };
  }

  // DOM ranges count UTF-16 code units (an emoji such as 🤖 is two); the server stores and slices
  // code points (Python's str, the W3C TextPositionSelector). The offsets are converted here, the
  // one place where a browser offset becomes a stored one (docs/ANNOTATIONS.md, "Offsets").
  function codePoints(text, utf16Offset) {
    let count = 0;
    for (let i = 0; i < utf16Offset; i++) {
      const unit = text.charCodeAt(i);
      if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < utf16Offset) {
        const next = text.charCodeAt(i + 1);
        if (next >= 0xdc00 && next <= 0xdfff) i++; // a surrogate pair is one code point
      }
      count++;
    }
    return count;
  }

  function popover() {
    return document.getElementById("highlight-popover");
  }

  function openPopover(info) {
    const form = popover();
    if (!form) return;
    form.elements.paragraph.value = info.paragraph.dataset.paragraphId;
    form.elements.start.value = info.start;
    form.elements.end.value = info.end;
    form.querySelector(".popover-quote").textContent = "“" + info.quote + "”";
    form.hidden = false;
    place(form, info.rect, 8);
  }

  // Under the selection on a wide screen; on a phone the stylesheet makes it a bottom sheet.
  const phone = window.matchMedia("(max-width: 40rem)");
  function place(box, rect, gap) {
    if (phone.matches) {
      box.style.top = box.style.left = "";
      return;
    }
    box.style.top = window.scrollY + rect.bottom + gap + "px";
    box.style.left = Math.max(8, Math.min(window.scrollX + rect.left, window.scrollX + document.documentElement.clientWidth - box.offsetWidth - 8)) + "px";
  }

  function closePopover() {
    const form = popover();
    if (form) {
      form.hidden = true;
      form.reset();
    }
  }

  function onSelectionDone(event) {
    const form = popover();
    if (!form || form.contains(event.target)) return;
    const info = selectionInfo();
    if (info) openPopover(info);
    else if (!form.hidden) closePopover();
  }

  document.addEventListener("mouseup", onSelectionDone);
  // Any selection, however it was made (touch long-press and handles, caret browsing, a script),
  // shows the popover once it has settled. It never closes it: a tap on the popover's own
  // buttons may collapse the selection first; closing is left to mouse-up/Escape/submit.
  let selectionTimer = null;
  document.addEventListener("selectionchange", function () {
    clearTimeout(selectionTimer);
    selectionTimer = setTimeout(function () {
      const form = popover();
      if (!form || form.contains(document.activeElement)) return;
      const info = selectionInfo();
      if (info) openPopover(info);
    }, 200);
  });
  document.addEventListener("keyup", function (event) {
    if (event.key === "Escape") return closePopover();
    if (event.shiftKey || event.key === "Shift") onSelectionDone(event);
  });

  // Suggested claims: a click (or Enter) on a dotted sentence opens the small menu with
  // "Accept as claim" / "Dismiss"; its two forms post the paragraph id and the sentence offsets.
  function claimMenu() {
    return document.getElementById("claim-menu");
  }

  function openClaimMenu(suggestion) {
    const menu = claimMenu();
    const paragraph = paragraphOf(suggestion);
    if (!menu || !paragraph) return;
    menu.querySelectorAll("form").forEach(function (form) {
      form.elements.paragraph.value = paragraph.dataset.paragraphId;
      form.elements.start.value = suggestion.dataset.claimStart;
      form.elements.end.value = suggestion.dataset.claimEnd;
    });
    menu.querySelector(".claim-menu-reasons").textContent = "Suggested claim: " + suggestion.dataset.claimReasons.split(" ").join(", ");
    menu.hidden = false;
    place(menu, suggestion.getBoundingClientRect(), 6);
    const accept = menu.querySelector(".do-accept-claim");
    if (accept) accept.focus({ preventScroll: true });
  }

  function closeClaimMenu() {
    const menu = claimMenu();
    if (menu) menu.hidden = true;
  }

  document.addEventListener("click", function (event) {
    const menu = claimMenu();
    if (!menu || menu.contains(event.target)) return;
    const suggestion = event.target.closest && event.target.closest(".claim-suggestion");
    const selection = window.getSelection();
    if (suggestion && (!selection || selection.isCollapsed)) openClaimMenu(suggestion);
    else closeClaimMenu();
  });

  document.addEventListener("keyup", function (event) {
    if (event.key === "Escape") return closeClaimMenu();
    if (event.key === "Enter" && event.target.matches && event.target.matches(".claim-suggestion")) openClaimMenu(event.target);
  });

  // A paragraph's suggested claims are one Tab stop (the server gives the first tabindex 0, the
  // rest -1); the arrow keys move between them, and the one left focused keeps the Tab stop.
  function suggestionsOf(paragraph) {
    const seen = new Set();
    return Array.from(paragraph.querySelectorAll(".claim-suggestion")).filter(function (s) {
      if (seen.has(s.dataset.claimStart)) return false; // a sentence split by a highlight
      seen.add(s.dataset.claimStart);
      return true;
    });
  }
  document.addEventListener("keydown", function (event) {
    const current = event.target;
    if (!current.matches || !current.matches(".claim-suggestion")) return;
    const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
    if (!step || event.shiftKey || event.ctrlKey || event.metaKey || event.altKey) return;
    const paragraph = paragraphOf(current);
    const all = suggestionsOf(paragraph);
    const index = all.findIndex(function (s) { return s.dataset.claimStart === current.dataset.claimStart; });
    const next = all[Math.max(0, Math.min(all.length - 1, index + step))];
    paragraph.querySelectorAll(".claim-suggestion").forEach(function (s) { s.tabIndex = -1; });
    next.tabIndex = 0;
    next.focus();
    event.preventDefault();
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    const menu = claimMenu();
    if (menu && menu.contains(event.detail.elt)) closeClaimMenu();
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    const form = popover();
    if (form && event.detail.elt === form && event.detail.successful) {
      closePopover();
      window.getSelection().removeAllRanges();
    }
  });

  // ---- keyboard: j/k next/previous paragraph, h highlight the selection, n note, ? help ----
  function typing(target) {
    return target.closest && target.closest("input, textarea, select, [contenteditable]");
  }
  function paragraphs() {
    return Array.from(document.querySelectorAll("article.issue p.para[data-paragraph-id]"));
  }
  function currentParagraph() {
    return document.querySelector("p.para.is-current");
  }
  function moveCurrent(step) {
    const all = paragraphs();
    if (!all.length) return;
    const current = currentParagraph();
    let index = current ? all.indexOf(current) + step : 0;
    index = Math.max(0, Math.min(all.length - 1, index));
    if (current) current.classList.remove("is-current");
    all[index].classList.add("is-current");
    all[index].scrollIntoView({ block: "center" });
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    const help = document.getElementById("shortcuts");
    if (event.key === "j") moveCurrent(1);
    else if (event.key === "k") moveCurrent(-1);
    else if (event.key === "n") {
      const marker = (currentParagraph() || paragraphs()[0] || document).querySelector(".note-marker");
      if (marker) marker.click();
    } else if (event.key === "h") {
      const form = popover();
      if (form && !form.hidden) form.querySelector("button.do-highlight").click();
      else selectForKeyboard();
    } else if (event.key === "?" && help) {
      if (help.open) help.close(); else help.showModal();
    } else return;
    event.preventDefault();
  });

  // Without a mouse: "h" with nothing selected selects the focused suggested claim, or else the
  // current paragraph (j/k) or the one holding the focus, opens the popover and focuses its
  // Highlight button (Enter or "h" again makes the highlight; Escape goes back).
  let popoverOpener = null;
  function selectForKeyboard() {
    const focused = document.activeElement;
    const suggestion = focused && focused.matches && focused.matches(".claim-suggestion") ? focused : null;
    const paragraph = suggestion ? paragraphOf(suggestion) : currentParagraph() || paragraphOf(focused);
    const text = paragraph && paragraph.querySelector(".para-text");
    if (!text) return;
    const range = document.createRange();
    if (suggestion) {
      const pieces = paragraph.querySelectorAll('.claim-suggestion[data-claim-start="' + suggestion.dataset.claimStart + '"]');
      range.setStartBefore(pieces[0]);
      range.setEndAfter(pieces[pieces.length - 1]);
    } else {
      range.selectNodeContents(text);
    }
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    const info = selectionInfo();
    if (!info) return;
    popoverOpener = focused && focused !== document.body ? focused : null;
    openPopover(info);
    popover().querySelector("button.do-highlight").focus();
  }
  document.addEventListener("keydown", function (event) {
    const form = popover();
    if (event.key === "Escape" && form && !form.hidden && form.contains(document.activeElement)) {
      closePopover();
      if (popoverOpener && popoverOpener.isConnected) popoverOpener.focus();
    }
  });

  // ---- reading progress: the topmost visible paragraph, sent at most every few seconds ----
  let progressTimer = null;
  function sendProgress() {
    const article = document.querySelector("article.issue[data-progress-url]");
    if (!article) return;
    const top = paragraphs().find(function (p) { return p.getBoundingClientRect().bottom > 80; });
    const rect = article.getBoundingClientRect();
    const progress = Math.min(1, Math.max(0, (window.innerHeight - rect.top) / rect.height));
    const headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
    const body = new URLSearchParams({ paragraph: top ? top.dataset.paragraphId : "", progress: progress.toFixed(3) });
    fetch(article.dataset.progressUrl, { method: "POST", headers: headers, body: body, credentials: "same-origin" });
  }
  window.addEventListener("scroll", function () {
    clearTimeout(progressTimer);
    progressTimer = setTimeout(sendProgress, 1500);
  }, { passive: true });
})();
