"use strict";
// The review page: walks the review queue (GET/POST /v1/review) one text at a time, the model's
// labels and evidence filled in. Enter or "Accept" answers with what is ticked and marked (the
// model's answer when nothing was touched), S or "Skip" skips. User text only ever goes through
// textContent.

const UI = {
  en: {
    title: "claimlens · review queue", single: "Single message", item_title: "Text",
    intro: "Confirm or correct the model's labels, one text at a time: retraining learns from every answer.",
    api_key: "API key", api_key_hint: "X-API-Key (only if the service asks for one)", use_key: "Use this key",
    check_again: "Check again", skip: "Skip", accept: "Accept", save: "Save correction",
    keys: "Enter accepts (or saves your correction) · S skips",
    progress: (p) => p.done + " of " + p.total + " done, " + p.skipped + " skipped",
    empty: "The review queue is empty. Fill it with the texts of a labelled export the model was least sure of, " +
           "then check again:",
    finished: "No text left in the queue (every one answered or skipped). Queue more from another labelled export:",
    loading: "Loading…", saving: "Saving…", error: "Error: ", no_answer: "The service did not answer: ",
    saved: (id) => "Saved as correction #" + id + ".", skipped: "Skipped.",
    language: (l) => "language: " + l, from: (origin, row) => (origin || "queue") + (row ? ", row " + row : ""),
    closest: (label) => "closest call: " + label,
  },
  zh: {
    title: "claimlens · 复核队列", single: "单条消息", item_title: "文本",
    intro: "逐条确认或更正模型的标签：每一个答复都会用于重新训练。",
    api_key: "API 密钥", api_key_hint: "X-API-Key（仅当服务要求时填写）", use_key: "使用此密钥",
    check_again: "重新检查", skip: "跳过", accept: "确认", save: "保存更正",
    keys: "Enter 确认（或保存您的更正）· S 跳过",
    progress: (p) => "已完成 " + p.done + " / " + p.total + "，跳过 " + p.skipped,
    empty: "复核队列是空的。用模型最没把握的已标注导出文本填充它，然后重新检查：",
    finished: "队列中已没有待处理的文本（均已答复或跳过）。可从另一个已标注导出继续添加：",
    loading: "加载中…", saving: "保存中…", error: "错误：", no_answer: "服务没有响应：",
    saved: (id) => "已保存为更正 #" + id + "。", skipped: "已跳过。",
    language: (l) => "语言：" + l, from: (origin, row) => (origin || "队列") + (row ? "，第 " + row + " 行" : ""),
    closest: (label) => "最接近阈值：" + label,
  },
};

const NAMES = JSON.parse(document.body.dataset.names || "{}");
let lang = "en";
let current = null;   // the queue item on the page, as GET /v1/review returns it
let progress = null;
let editor = null;
let busy = false;
let note = null;      // what the last answer or error was, in the page's words (so it follows the language)

function name(label) {
  const names = NAMES[label];
  return names ? (names[lang] || names.en) : label;
}

class ServiceError extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

async function call(method, body) {
  const headers = {"Content-Type": "application/json"};
  const key = document.getElementById("api-key").value;
  if (key) headers["X-API-Key"] = key;
  const response = await fetch("/v1/review", {method, headers, body: body && JSON.stringify(body)});
  const answer = await response.json();
  if (!response.ok) throw new ServiceError(answer.error.message, response.status);
  return answer;
}

function report(err) {
  note = err instanceof ServiceError ? (ui) => ui.error + err.message : (ui) => ui.no_answer + err;
  renderStatus();
  if (err.status === 401) {
    document.getElementById("key-box").open = true;
    document.getElementById("api-key").focus();
  }
}

function renderProgress() {
  if (!progress) return;
  document.getElementById("progress").textContent = UI[lang].progress(progress);
  const bar = document.getElementById("progress-bar");
  bar.max = Math.max(progress.total, 1);
  bar.value = progress.done + progress.skipped;
}

function renderItem() {
  document.getElementById("empty").hidden = current !== null;
  document.getElementById("item").hidden = current === null;
  if (!current) {
    document.getElementById("empty-text").textContent = progress && progress.total ? UI[lang].finished : UI[lang].empty;
    return;
  }
  const meta = [UI[lang].language(current.language || "und"), UI[lang].from(current.origin, current.id)];
  if (current.nearest_label) meta.push(UI[lang].closest(name(current.nearest_label)));
  document.getElementById("item-meta").textContent = meta.join(" · ");
  editor.render();
  renderActions();
}

function renderActions() {
  document.getElementById("accept").textContent = editor && editor.changed() ? UI[lang].save : UI[lang].accept;
}

function renderStatus() {
  document.getElementById("status").textContent = note ? note(UI[lang]) : "";
}

async function next() {
  if (!note) document.getElementById("status").textContent = UI[lang].loading;
  let answer;
  try {
    answer = await call("GET");
  } catch (err) {
    report(err);
    return;
  }
  renderStatus();
  if (editor) editor.destroy();
  editor = null;
  current = answer.item;
  progress = answer.progress;
  if (current) {
    editor = correctionEditor({
      text: current.text, labels: current.labels, evidence: current.evidence, scores: current.scores,
      view: document.getElementById("item-text"), panel: document.getElementById("correction"),
      name, words: () => CORRECTION_WORDS[lang], onChange: renderActions,
    });
  }
  renderProgress();
  renderItem();
}

// One answer at a time: a key held down or a double click must not answer the next item unseen.
async function send(body, noteOf) {
  if (busy || !current) return;
  busy = true;
  note = null;
  document.getElementById("status").textContent = UI[lang].saving;
  try {
    const done = await call("POST", body);
    note = (ui) => noteOf(ui, done);
    await next();
  } catch (err) {
    report(err);
  } finally {
    busy = false;
  }
}

function accept() {
  if (busy || !current) return;
  const {labels, evidence} = editor.value();
  return send({item: current.item, labels, evidence}, (ui, done) => ui.saved(done.feedback_id));
}

function skip() {
  return send({item: current.item, skip: true}, (ui) => ui.skipped);
}

// Enter and S act on the item unless the key belongs to a control: typing a key, choosing a
// label in the list, pressing a focused button (its own Enter clicks it).
function onKey(event) {
  if (event.ctrlKey || event.metaKey || event.altKey || event.repeat || event.isComposing || !current) return;
  const target = event.target instanceof Element ? event.target : document.body;
  if (target.closest("textarea, select, input:not([type=checkbox])")) return;
  if (event.key === "Enter" && !target.closest("button, a, summary")) {
    event.preventDefault();
    accept();
  } else if (event.key === "s" || event.key === "S") {
    event.preventDefault();
    skip();
  }
}

function setLanguage(chosen) {
  lang = chosen;
  applyLanguage(UI[lang], lang);
  renderProgress();
  renderStatus();
  if (progress) renderItem();
}

document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("accept").addEventListener("click", accept);
  document.getElementById("skip").addEventListener("click", skip);
  document.getElementById("use-key").addEventListener("click", () => { note = null; next(); });
  document.getElementById("check-again").addEventListener("click", () => { note = null; next(); });
  for (const b of document.querySelectorAll("#lang-switch button")) {
    b.addEventListener("click", () => setLanguage(b.dataset.lang));
  }
  document.addEventListener("keydown", onKey);
  setLanguage((navigator.language || "en").toLowerCase().startsWith("zh") ? "zh" : "en");
  next();
});
