"use strict";
// Correcting a prediction, shared by the main page and the review page: tick and untick labels,
// mark a selected span as evidence for a label, unmark one. Needs highlight.js. User text only
// ever goes through textContent, never parsed as HTML.

const EXCLUSIVE = document.body.dataset.exclusive;
// a span the seller marked outranks every model span where they overlap (renderHighlights: strongest wins)
const MARKED = Number.MAX_VALUE;

// Code points from the start of `view` to a DOM boundary point (the service counts code points).
function offsetIn(view, node, offset) {
  const range = document.createRange();
  range.setStart(view, 0);
  range.setEnd(node, offset);
  return Array.from(range.toString()).length;
}

// The current selection as [start, end) code points of `text` shown in `view`, edges trimmed of
// whitespace and clipped to the view; null when nothing of the text is selected.
function selectedSpan(view, text) {
  const selection = document.getSelection();
  if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  if (!range.intersectsNode(view)) return null;
  const whole = document.createRange();
  whole.selectNodeContents(view);
  const chars = Array.from(text);
  let start = range.compareBoundaryPoints(Range.START_TO_START, whole) < 0 ? 0
            : offsetIn(view, range.startContainer, range.startOffset);
  let end = range.compareBoundaryPoints(Range.END_TO_END, whole) > 0 ? chars.length
          : offsetIn(view, range.endContainer, range.endOffset);
  while (start < end && /\s/.test(chars[start])) start++;
  while (end > start && /\s/.test(chars[end - 1])) end--;
  return start < end ? {start, end, text: chars.slice(start, end).join("")} : null;
}

/**
 * A correction editor over one text and its prediction.
 * opts: text, labels and evidence (the model's; evidence as the service returns it), scores
 * (optional), view (the element the highlighted text goes in), panel (an empty element for the
 * controls), name(label) and words() (the display name of a label; the editor's words, see
 * CORRECTION_WORDS), onChange().
 * Returns {value(): {labels, evidence}, changed(): bool, render(), destroy()} (destroy before
 * replacing it: it listens to the document's selection).
 */
function correctionEditor(opts) {
  const chars = Array.from(opts.text);
  const ticked = new Set(opts.labels);
  let spans = (opts.evidence || []).map((e) => ({label: e.label, start: e.start, end: e.end, weight: e.weight}));
  const initial = JSON.stringify(value());
  let pending = null;  // the last span selected in the text, until it is marked or replaced

  const choices = el("fieldset", {class: "choices"});
  const boxes = new Map();
  for (const label of LABEL_ORDER) {
    const box = el("input", {type: "checkbox", value: label, "data-label": label});
    box.addEventListener("change", () => tick(label, box.checked));
    const choice = el("label", {class: "choice", "data-label": label});
    choice.append(box, el("span", {class: "swatch " + labelClass(label)}), el("span", {class: "score"}));
    boxes.set(label, {box, choice});
    choices.appendChild(choice);
  }
  const legend = el("legend");
  choices.prepend(legend);
  const selected = el("span", {class: "selection"});
  const markLabel = el("select", {class: "mark-label"});
  markLabel.addEventListener("change", renderMarkBar);
  const markButton = el("button", {type: "button", class: "mark"});
  markButton.addEventListener("click", mark);
  const markBar = el("div", {class: "mark-bar"});
  markBar.append(selected, markLabel, markButton);
  const spanTitle = el("h3", {class: "spans-title"});
  const spanList = el("ul", {class: "spans"});
  opts.panel.replaceChildren(choices, markBar, spanTitle, spanList);

  function onSelection() {
    const span = selectedSpan(opts.view, opts.text);
    if (span) {
      pending = span;
      renderMarkBar();
    }
  }
  document.addEventListener("selectionchange", onSelection);

  function value() {
    const labels = LABEL_ORDER.filter((l) => ticked.has(l));
    const evidence = spans.filter((s) => ticked.has(s.label))
      .map((s) => ({label: s.label, start: s.start, end: s.end}))
      .sort((a, b) => a.start - b.start || a.end - b.end || labels.indexOf(a.label) - labels.indexOf(b.label));
    return {labels, evidence};
  }

  // `other` means none of the reasons: ticking it unticks them, ticking a reason unticks it.
  // Spans go with their label: the service refuses evidence for a label that is not given.
  function tick(label, on) {
    if (on) {
      ticked.add(label);
      for (const l of [...ticked]) if ((label === EXCLUSIVE) !== (l === EXCLUSIVE)) ticked.delete(l);
      if (label !== EXCLUSIVE) markLabel.value = label;
    } else {
      ticked.delete(label);
    }
    spans = spans.filter((s) => ticked.has(s.label));
    changed();
  }

  function mark() {
    if (!pending || !markLabel.value) return;
    const label = markLabel.value;
    const {start, end} = pending;
    if (!ticked.has(label)) tick(label, true);
    if (!spans.some((s) => s.label === label && s.start === start && s.end === end)) {
      spans.push({label, start, end, weight: MARKED});
    }
    pending = null;
    document.getSelection().removeAllRanges();
    changed();
  }

  function unmark(span) {
    spans = spans.filter((s) => s !== span);
    changed();
  }

  function changed() {
    render();
    if (opts.onChange) opts.onChange();
  }

  function renderMarkBar() {
    const words = opts.words();
    selected.textContent = pending ? words.selected + " \u201c" + pending.text + "\u201d" : words.select_first;
    selected.classList.toggle("none", !pending);
    markButton.textContent = words.mark(opts.name(markLabel.value));
    markButton.disabled = !pending;
  }

  function render() {
    const words = opts.words();
    legend.textContent = words.labels;
    markLabel.setAttribute("aria-label", words.mark_label);
    for (const [label, {box, choice}] of boxes) {
      box.checked = ticked.has(label);
      choice.querySelector(".swatch").textContent = opts.name(label);
      const score = opts.scores && opts.scores[label];
      choice.querySelector(".score").textContent = score === undefined ? "" : (score * 100).toFixed(0) + "%";
    }
    const keep = markLabel.value;
    markLabel.replaceChildren(...LABEL_ORDER.filter((l) => l !== EXCLUSIVE)
      .map((l) => el("option", {value: l}, opts.name(l))));
    const firstTicked = LABEL_ORDER.find((l) => l !== EXCLUSIVE && ticked.has(l));
    markLabel.value = keep && (ticked.has(keep) || !firstTicked) ? keep : (firstTicked || markLabel.value);
    renderMarkBar();
    renderHighlights(opts.view, opts.text, spans.filter((s) => ticked.has(s.label)));
    for (const node of opts.view.querySelectorAll("mark")) node.title = opts.name(node.dataset.label);
    spanTitle.textContent = words.evidence;
    const shown = value().evidence;
    spanList.replaceChildren();
    if (!shown.length) spanList.appendChild(el("li", {class: "none"}, words.no_evidence));
    for (const s of shown) {
      const span = spans.find((x) => x.label === s.label && x.start === s.start && x.end === s.end);
      const li = el("li", {class: "span", "data-label": s.label, "data-start": String(s.start),
                           "data-end": String(s.end)});
      li.appendChild(el("span", {class: "swatch " + labelClass(s.label)}, opts.name(s.label)));
      li.appendChild(el("q", {}, chars.slice(s.start, s.end).join("")));
      const remove = el("button", {type: "button", class: "unmark"}, words.unmark);
      remove.addEventListener("click", () => unmark(span));
      li.appendChild(remove);
      spanList.appendChild(li);
    }
  }

  render();
  return {value, changed: () => JSON.stringify(value()) !== initial, render,
          destroy: () => document.removeEventListener("selectionchange", onSelection)};
}

// The editor's words in English and Chinese (the main page uses English).
const CORRECTION_WORDS = {
  en: {labels: "Labels", mark_label: "Label of the selected words", selected: "Selected:",
       select_first: "Select words in the text to mark them as evidence.",
       mark: (label) => "Mark as evidence for " + label, evidence: "Evidence", no_evidence: "no evidence marked",
       unmark: "Unmark"},
  zh: {labels: "标签", mark_label: "所选词语的标签", selected: "已选：", select_first: "在上面的文本中选中词语，即可标为证据。",
       mark: (label) => "标记为\u201c" + label + "\u201d的证据", evidence: "证据", no_evidence: "尚未标记证据",
       unmark: "取消标记"},
};
