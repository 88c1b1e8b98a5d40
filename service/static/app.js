"use strict";
// The main page: label a message, then correct the labels and evidence and save the correction.
// User text only ever goes through textContent, never parsed as HTML.

let editor = null;
let shown = null;  // {text, record} of the prediction on the page
let savedId = null;

function apiHeaders() {
  const headers = {"Content-Type": "application/json"};
  const key = document.getElementById("api-key").value;
  if (key) headers["X-API-Key"] = key;
  return headers;
}

function renderLegend(evidence) {
  const legend = document.getElementById("legend");
  legend.replaceChildren();
  const labels = [...new Set(evidence.map((e) => e.label))];
  for (const label of labels) legend.appendChild(el("span", {class: "swatch " + labelClass(label)}, label));
  if (!labels.length) legend.appendChild(el("span", {class: "none"}, "no reason label, so nothing to highlight"));
}

function onCorrection() {
  renderLegend(editor.value().evidence);
  document.getElementById("save-status").textContent = savedId === null ? ""
    : "Changed after saving correction #" + savedId + "; save again to keep the change.";
  document.getElementById("correct").dataset.saved = "";
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
  if (editor) editor.destroy();
  shown = {text, record};
  savedId = null;
  document.getElementById("save-status").textContent = "";
  document.getElementById("correct").dataset.saved = "";
  editor = correctionEditor({
    text, labels: record.labels, evidence: record.evidence || [], scores: record.scores,
    view: document.getElementById("highlighted"), panel: document.getElementById("correction"),
    name: (label) => label, words: () => CORRECTION_WORDS.en, onChange: onCorrection,
  });
  renderLegend(record.evidence || []);
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
  try {
    const response = await fetch("/v1/predict", {method: "POST", headers: apiHeaders(),
                                                 body: JSON.stringify({text, explain: true})});
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

// The correction of the prediction on the page: the text as it was labelled (the spans index
// into it), the labels and spans now ticked and marked, and what the model said.
async function save() {
  const status = document.getElementById("save-status");
  const {labels, evidence} = editor.value();
  const body = {text: shown.text, labels, evidence, model: shown.record.model, predicted: shown.record.labels,
                source: "page"};
  status.textContent = "Saving…";
  const button = document.getElementById("save");
  button.disabled = true;  // a double click stores one correction, not two
  try {
    const response = await fetch("/v1/feedback", {method: "POST", headers: apiHeaders(), body: JSON.stringify(body)});
    const answer = await response.json();
    if (!response.ok) {
      status.textContent = "Not saved: " + answer.error.message;
      return;
    }
    savedId = answer.id;
    document.getElementById("correct").dataset.saved = String(answer.id);
    status.textContent = "Saved as correction #" + answer.id + ": " + answer.labels.join(", ");
  } catch (err) {
    status.textContent = "The service did not answer: " + err;
  } finally {
    button.disabled = false;
  }
}

document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("predict-form").addEventListener("submit", submit);
  document.getElementById("save").addEventListener("click", save);
});
