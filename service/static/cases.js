"use strict";
// The case page: timeline with highlighted buyer words, findings and drafts.

const EXAMPLE = {
  order_id: "114-8301856-2739412",
  order: {purchased_at: "2026-03-01T09:00:00Z", shipped_at: "2026-03-02T08:00:00Z", delivered_at: "2026-03-05T14:00:00Z"},
  messages: [
    {id: "m1", from: "buyer", sent_at: "2026-03-01T20:00:00Z", text: "Hi, please cancel my order, I don't need it anymore."},
    {id: "m2", from: "seller", sent_at: "2026-03-02T09:00:00Z", text: "Sorry, it had already shipped."},
    {id: "m3", from: "buyer", sent_at: "2026-03-02T10:00:00Z", text: "I asked you to cancel and you still sent it."},
  ],
  claims: [{id: "c1", type: "a-to-z", filed_at: "2026-03-12T10:00:00Z", reason: "Missing parts",
            text: "The charger and the cable were missing from the box."}],
};

function eventItem(ev) {
  const li = el("li", {class: "event event-" + ev.kind, "data-event": ev.event});
  const who = ev.kind === "message" ? ev.from : ev.kind === "claim" ? "claim (" + ev.type + ")" : "order";
  li.appendChild(el("div", {class: "when"}, (ev.at || "time unknown") + " · " + who + " · " + ev.event));
  if (ev.text !== undefined && ev.kind !== "order") {
    const body = el("div", {class: "highlighted"});
    renderHighlights(body, ev.text, ev.evidence || []);
    li.appendChild(body);
  } else if (ev.text) {
    li.appendChild(el("div", {}, ev.text));
  }
  if (ev.labels) {
    const labels = el("div", {class: "labels"});
    for (const label of ev.labels) labels.appendChild(el("span", {class: "swatch " + labelClass(label)}, label));
    li.appendChild(labels);
  }
  if (ev.reason) {
    const reason = el("div", {class: "highlighted"});
    renderHighlights(reason, ev.reason.text, ev.reason.evidence || []);
    li.appendChild(el("div", {class: "when"}, "marketplace reason"));
    li.appendChild(reason);
  }
  return li;
}

function findingItem(f) {
  const li = el("li", {class: "finding", "data-code": f.code});
  li.appendChild(el("strong", {}, f.code));
  li.appendChild(el("span", {class: "confidence"}, " · " + f.confidence));
  li.appendChild(el("div", {}, f.summary));
  for (const q of f.evidence) {
    if (q.text) li.appendChild(el("blockquote", {}, q.event + ": \u201c" + q.text + "\u201d"));
  }
  return li;
}

async function analyse(event) {
  event.preventDefault();
  const status = document.getElementById("status");
  let body;
  try {
    body = JSON.parse(document.getElementById("case").value);
  } catch (err) {
    status.textContent = "Not valid JSON: " + err.message;
    return;
  }
  const headers = {"Content-Type": "application/json"};
  const key = document.getElementById("api-key").value;
  if (key) headers["X-API-Key"] = key;
  status.textContent = "Analysing…";
  const response = await fetch("/v1/cases/analyze", {method: "POST", headers, body: JSON.stringify(body)});
  const result = await response.json();
  if (!response.ok) {
    status.textContent = "Error: " + result.error.message;
    return;
  }
  status.textContent = "";
  document.getElementById("result").hidden = false;
  document.getElementById("findings").replaceChildren(...result.findings.map(findingItem));
  document.getElementById("timeline").replaceChildren(...result.timeline.map(eventItem));
  document.getElementById("draft-en").textContent = result.response_draft.en;
  document.getElementById("draft-zh").textContent = result.response_draft.zh;
}

document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("case-form").addEventListener("submit", analyse);
  document.getElementById("example").addEventListener("click", () => {
    document.getElementById("case").value = JSON.stringify(EXAMPLE, null, 2);
  });
});
