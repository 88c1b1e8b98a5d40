"use strict";
// The review page: user text only ever goes through textContent, never parsed as HTML.

const LABEL_ORDER = ["cancellation_request", "cancellation_refused", "missing_parts", "not_as_described",
  "wrong_item", "damaged_defective", "not_received", "refund_return_issue", "other"];

function el(tag, attrs, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

function labelClass(label) { return "lbl-" + LABEL_ORDER.indexOf(label); }

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

function render(text, record) {
  document.getElementById("result").hidden = false;
  document.getElementById("model-version").textContent = record.model;
  document.getElementById("meta").textContent =
    "language: " + record.language + " · confidence: " + record.confidence;
  const labels = document.getElementById("labels");
  labels.replaceChildren();
  for (const label of record.labels) {
    const li = el("li", {class: "label " + labelClass(label)});
    li.appendChild(el("span", {class: "name"}, label));
    li.appendChild(el("span", {class: "score"}, (record.scores[label] * 100).toFixed(0) + "%"));
    labels.appendChild(li);
  }
  const legend = document.getElementById("legend");
  legend.replaceChildren();
  const shown = [...new Set((record.evidence || []).map(e => e.label))];
  for (const label of shown) legend.appendChild(el("span", {class: "swatch " + labelClass(label)}, label));
  if (!shown.length) legend.appendChild(el("span", {class: "none"}, "no reason label, so nothing to highlight"));
  renderHighlights(document.getElementById("highlighted"), text, record.evidence || []);
  const tbody = document.querySelector("#scores tbody");
  tbody.replaceChildren();
  for (const label of LABEL_ORDER) {
    if (!(label in record.scores)) continue;
    const tr = el("tr");
    tr.appendChild(el("td", {}, label));
    tr.appendChild(el("td", {}, record.scores[label].toFixed(3)));
    const bar = el("td");
    const meter = el("meter", {min: "0", max: "1", value: String(record.scores[label])});
    bar.appendChild(meter);
    tr.appendChild(bar);
    tbody.appendChild(tr);
  }
}

async function submit(event) {
  event.preventDefault();
  const text = document.getElementById("text").value;
  const status = document.getElementById("status");
  status.textContent = "Labelling…";
  const headers = {"Content-Type": "application/json"};
  const key = document.getElementById("api-key").value;
  if (key) headers["X-API-Key"] = key;
  try {
    const response = await fetch("/v1/predict", {method: "POST", headers, body: JSON.stringify({text, explain: true})});
    const body = await response.json();
    if (!response.ok) {
      status.textContent = "Error: " + body.error.message;
      return;
    }
    status.textContent = "";
    render(text, body);
  } catch (err) {
    status.textContent = "The service did not answer: " + err;
  }
}

document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("predict-form").addEventListener("submit", submit);
});
