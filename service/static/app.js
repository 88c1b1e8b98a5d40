"use strict";
// The review page: user text only ever goes through textContent, never parsed as HTML.

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
