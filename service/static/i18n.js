// The pages' language switch: every [data-i18n] node gets its string, the html lang and the switch follow.
function applyLanguage(strings, chosen) {
  document.documentElement.lang = chosen === "zh" ? "zh-Hans" : "en";
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = strings[node.dataset.i18n];
  for (const b of document.querySelectorAll("#lang-switch button")) {
    b.setAttribute("aria-pressed", String(b.dataset.lang === chosen));
  }
}
