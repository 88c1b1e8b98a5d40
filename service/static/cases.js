"use strict";
// The case page: the position first, risks apart, drafts with a copy button, findings and the
// timeline with highlighted buyer words. Names in English or Chinese (a switch); times in the
// browser's time zone. User text only ever goes through textContent.

// The story that started the project: a cancellation asked for after shipment, answered, then a claim.
const EXAMPLE = {
  order_id: "114-8301856-2739412",
  order: {purchased_at: "2026-03-01T09:00:00Z", shipped_at: "2026-03-02T08:00:00Z", delivered_at: "2026-03-05T14:00:00Z"},
  messages: [
    {id: "m1", from: "buyer", sent_at: "2026-03-02T20:00:00Z", text: "Hi, please cancel my order, I don't need it anymore."},
    {id: "m2", from: "seller", sent_at: "2026-03-03T09:00:00Z",
     text: "Sorry, the parcel has already shipped, so we can no longer cancel it. You can return it once it arrives."},
  ],
  claims: [{id: "c1", type: "a-to-z", filed_at: "2026-03-12T10:00:00Z", reason: "Missing parts",
            text: "The charger and the cable were missing from the box."}],
};

// The page's own words; names of findings, positions, claim types and labels come from the server.
const UI = {
  en: {
    title: "claimlens · case", single: "Single message", case_json: "Case JSON", api_key: "API key",
    intro: "Paste one case (JSON: order_id, order, messages, claims) to read the claim against everything the buyer said before.",
    api_key_hint: "X-API-Key (only if the service asks for one)", analyse: "Analyse", example: "Load an example",
    position: "Position", next_steps: "Next steps", risks: "Risks (kept out of the reply)", drafts: "Drafts",
    findings: "Findings", timeline: "Timeline", analysing: "Analysing…", not_json: "Not valid JSON: ",
    error: "Error: ", warning: "Check the times: ", no_claim: "The case has no claim: nothing to take a position on.",
    zone: "Times in your time zone: ", claim_of: (claim, when) => claim + " of " + when,
    copy: "Copy", copied: "Copied", copy_failed: "Select the text and copy it by hand",
    draft_en: "Reply to Amazon (English)", draft_zh: "Summary for the seller (Chinese)",
    draft_other: (lang) => "Reply to Amazon (" + lang + ")",
    buyer: "buyer", seller: "seller", marketplace: "marketplace", order: "order", reason: "marketplace reason",
    unknown_time: "time unknown", confidence: {high: "high confidence", medium: "medium confidence", low: "low confidence"},
    order_events: {"order.purchased_at": "Purchased", "order.shipped_at": "Shipped", "order.delivered_at": "Delivered",
                   "order.buyer_requested_cancel": "Buyer requested cancellation (order field)"},
    languages: {de: "German", fr: "French", es: "Spanish", it: "Italian", ja: "Japanese"},
  },
  zh: {
    title: "claimlens · 案件分析", single: "单条消息", case_json: "案件 JSON", api_key: "API 密钥",
    intro: "粘贴一个案件（JSON：order_id、order、messages、claims），把索赔与买家之前说过的话逐一对照。",
    api_key_hint: "X-API-Key（仅当服务要求时填写）", analyse: "分析", example: "载入示例",
    position: "建议立场", next_steps: "下一步", risks: "风险（不写进给平台的答复）", drafts: "草稿",
    findings: "发现", timeline: "时间线", analysing: "分析中…", not_json: "不是有效的 JSON：",
    error: "错误：", warning: "请核对时间：", no_claim: "该案件没有索赔，无需表态。",
    zone: "时间按您的时区显示：", claim_of: (claim, when) => when + " 的" + claim,
    copy: "复制", copied: "已复制", copy_failed: "请手动选择文本并复制",
    draft_en: "给亚马逊的答复（英文）", draft_zh: "卖家摘要（中文）",
    draft_other: (lang) => "给亚马逊的答复（" + lang + "）",
    buyer: "买家", seller: "卖家", marketplace: "平台", order: "订单", reason: "平台索赔理由",
    unknown_time: "时间未知", confidence: {high: "高置信度", medium: "中置信度", low: "低置信度"},
    order_events: {"order.purchased_at": "下单", "order.shipped_at": "发货", "order.delivered_at": "妥投",
                   "order.buyer_requested_cancel": "买家申请取消（订单字段）"},
    languages: {de: "德语", fr: "法语", es: "西班牙语", it: "意大利语", ja: "日语"},
  },
};

const VOCAB = JSON.parse(document.body.dataset.vocabulary || "{}");
let lang = "en";
let last = null;

function name(table, key) {
  const names = (VOCAB[table] || {})[key];
  return names ? (names[lang] || names.en) : key;
}

function pad(n) {
  return String(n).padStart(2, "0");
}

// ISO time from the service → "2026-03-12 18:00" in the browser's time zone.
function localTime(iso) {
  if (!iso) return UI[lang].unknown_time;
  const d = new Date(iso);
  return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + " " +
         pad(d.getHours()) + ":" + pad(d.getMinutes());
}

function timeEl(iso) {
  const t = el("time", iso ? {datetime: iso} : {}, localTime(iso));
  return t;
}

function highlighted(text, evidence) {
  const body = el("div", {class: "highlighted"});
  renderHighlights(body, text, evidence || []);
  for (const mark of body.querySelectorAll("mark")) mark.title = name("labels", mark.dataset.label);
  return body;
}

function eventItem(ev) {
  const li = el("li", {class: "event event-" + ev.kind, "data-event": ev.event});
  const when = el("div", {class: "when"});
  when.appendChild(timeEl(ev.at));
  const who = ev.kind === "message" ? UI[lang][ev.from] : ev.kind === "claim" ? name("claim_types", ev.type)
            : (UI[lang].order_events[ev.event] || UI[lang].order);
  when.appendChild(document.createTextNode(" · " + who + (ev.kind === "order" ? "" : " · " + ev.event)));
  li.appendChild(when);
  if (ev.kind !== "order") {
    li.appendChild(highlighted(ev.text, ev.evidence));
  } else if (ev.text) {
    li.appendChild(el("div", {}, ev.text));
  }
  if (ev.labels) {
    const labels = el("div", {class: "labels"});
    for (const label of ev.labels) {
      labels.appendChild(el("span", {class: "swatch " + labelClass(label), "data-label": label}, name("labels", label)));
    }
    li.appendChild(labels);
  }
  if (ev.reason) {
    li.appendChild(el("div", {class: "when"}, UI[lang].reason));
    li.appendChild(highlighted(ev.reason.text, ev.reason.evidence));
  }
  return li;
}

function quotes(container, evidence) {
  for (const q of evidence || []) {
    if (q.text) container.appendChild(el("blockquote", {"data-event": q.event}, q.event + ": \u201c" + q.text + "\u201d"));
  }
}

function findingItem(f) {
  const li = el("li", {class: "finding side-" + f.side, "data-code": f.code, "data-side": f.side});
  li.appendChild(el("strong", {class: "finding-name"}, name("findings", f.code)));
  li.appendChild(el("span", {class: "confidence"}, " · " + UI[lang].confidence[f.confidence]));
  if (lang === "en") li.appendChild(el("div", {}, f.summary));
  quotes(li, f.evidence);
  return li;
}

function riskItem(r) {
  const li = el("li", {class: "risk", "data-code": r.code});
  li.appendChild(el("strong", {class: "finding-name"}, name("findings", r.code)));
  li.appendChild(el("div", {class: "advice"}, lang === "zh" ? r.advice_zh : r.advice));
  quotes(li, r.evidence);
  return li;
}

async function copyText(text, button) {
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = UI[lang].copied;
  } catch (err) {
    button.textContent = UI[lang].copy_failed;
  }
}

function draftBlock(key, text) {
  const title = key === "en" ? UI[lang].draft_en : key === "zh" ? UI[lang].draft_zh
              : UI[lang].draft_other(UI[lang].languages[key] || key);
  const block = el("div", {class: "draft-block", "data-lang": key});
  const head = el("div", {class: "draft-head"});
  head.appendChild(el("h3", {}, title));
  const button = el("button", {type: "button", class: "copy", id: "copy-" + key}, UI[lang].copy);
  button.addEventListener("click", () => copyText(text, button));
  head.appendChild(button);
  block.appendChild(head);
  block.appendChild(el("p", {id: "draft-" + key, class: "draft", lang: key}, text));
  return block;
}

function render(result) {
  const warnings = result.warnings || [];
  document.getElementById("warnings").hidden = warnings.length === 0;
  document.getElementById("warnings").replaceChildren(
    ...warnings.map((w) => el("li", {"data-field": w.field}, UI[lang].warning + w.field + " " + w.message)));
  const a = result.assessment;
  const box = document.getElementById("position");
  box.dataset.position = a ? a.position : "none";
  document.getElementById("position-name").textContent = a ? name("positions", a.position) : UI[lang].no_claim;
  const claim = a && result.timeline.find((e) => e.event === a.claim);
  document.getElementById("position-claim").textContent =
    claim ? UI[lang].claim_of(name("claim_types", claim.type), localTime(claim.at)) : "";
  document.getElementById("position-why").textContent = a ? (lang === "zh" ? a.why_zh : a.why) : "";
  const steps = a ? (lang === "zh" ? a.next_steps_zh : a.next_steps) : [];
  document.getElementById("next-steps").replaceChildren(...steps.map((s) => el("li", {}, s)));
  const risks = a ? a.risks : [];
  document.getElementById("risks").hidden = risks.length === 0;
  document.getElementById("risk-list").replaceChildren(...risks.map(riskItem));
  const keys = ["en", ...Object.keys(result.response_draft).filter((k) => k !== "en" && k !== "zh"), "zh"];
  document.getElementById("draft-blocks").replaceChildren(
    ...keys.filter((k) => result.response_draft[k] !== undefined).map((k) => draftBlock(k, result.response_draft[k])));
  document.getElementById("findings").replaceChildren(...result.findings.map(findingItem));
  document.getElementById("zone").textContent = UI[lang].zone + Intl.DateTimeFormat().resolvedOptions().timeZone;
  document.getElementById("timeline").replaceChildren(...result.timeline.map(eventItem));
}

function setLanguage(next) {
  lang = next;
  applyLanguage(UI[lang], lang);
  if (last) render(last);
}

async function analyse(event) {
  event.preventDefault();
  const status = document.getElementById("status");
  let body;
  try {
    body = JSON.parse(document.getElementById("case").value);
  } catch (err) {
    status.textContent = UI[lang].not_json + err.message;
    return;
  }
  const headers = {"Content-Type": "application/json"};
  const key = document.getElementById("api-key").value;
  if (key) headers["X-API-Key"] = key;
  status.textContent = UI[lang].analysing;
  const response = await fetch("/v1/cases/analyze", {method: "POST", headers, body: JSON.stringify(body)});
  const result = await response.json();
  if (!response.ok) {
    status.textContent = UI[lang].error + result.error.message;
    return;
  }
  status.textContent = "";
  last = result;
  document.getElementById("result").hidden = false;
  render(result);
}

document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("case-form").addEventListener("submit", analyse);
  document.getElementById("example").addEventListener("click", () => {
    document.getElementById("case").value = JSON.stringify(EXAMPLE, null, 2);
  });
  for (const b of document.querySelectorAll("#lang-switch button")) {
    b.addEventListener("click", () => setLanguage(b.dataset.lang));
  }
  setLanguage((navigator.language || "en").toLowerCase().startsWith("zh") ? "zh" : "en");
});
