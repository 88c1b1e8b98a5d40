"use strict";
// Shared by the pages: label colours and evidence highlighting. User text only ever goes
// through textContent, never parsed as HTML.

// The loaded model's labels, in its schema's order: the page template writes them into <body>.
const LABEL_ORDER = JSON.parse(document.body.dataset.labels || "[]");

function el(tag, attrs, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

// Colours by position in the schema (.lbl-0 ...); the exclusive label gets the neutral grey.
function labelClass(label) {
  return label === document.body.dataset.exclusive ? "lbl-none" : "lbl-" + (LABEL_ORDER.indexOf(label) % 8);
}

// Offsets from the service count Unicode code points (Python), so index code points here too.
function renderHighlights(container, text, evidence) {
  container.replaceChildren();
  const chars = Array.from(text);
  const owner = new Array(chars.length).fill(null);
  const sorted = [...evidence].sort((a, b) => a.weight - b.weight);  // strongest span wins overlaps
  for (const span of sorted) {
    for (let i = span.start; i < span.end && i < chars.length; i++) owner[i] = span;
  }
  let i = 0;
  while (i < chars.length) {
    let j = i;
    while (j < chars.length && owner[j] === owner[i]) j++;
    const piece = chars.slice(i, j).join("");
    if (owner[i]) {
      const mark = el("mark", {class: labelClass(owner[i].label), "data-label": owner[i].label,
                               title: owner[i].label + " (" + owner[i].weight.toFixed(2) + ")"}, piece);
      container.appendChild(mark);
    } else {
      container.appendChild(document.createTextNode(piece));
    }
    i = j;
  }
}

