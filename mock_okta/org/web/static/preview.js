const base = document.currentScript.dataset.base;
const outcomeLabel = document.currentScript.dataset.outcomeLabel;
const $ = (id) => document.getElementById(id);
const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({"&":"&amp;","<":"&lt;",">":"&gt;",'"':"&quot;"})[c]);
function problem(text) { $("problem").innerHTML = text ? '<div class="errors">' + esc(text) + "</div>" : ""; }
$("generate").addEventListener("click", async () => {
  problem("");
  const r = await fetch(base + "/request", {method: "POST", headers: {"Content-Type": "application/json"},
    body: JSON.stringify(Object.fromEntries([...document.querySelectorAll("[data-choice]")].map((s) => [s.dataset.choice, s.value])))});
  const data = await r.json();
  if (!r.ok) return problem(data.error);
  $("request").value = JSON.stringify(data, null, 2);
});
$("view").addEventListener("click", async () => {
  problem("");
  const r = await fetch(base + "/response", {method: "POST", headers: {"Content-Type": "application/json"},
    body: $("request").value});
  const data = await r.json();
  if (!r.ok) return problem(data.error);
  $("response-section").hidden = false; $("verdict-section").hidden = false;
  $("status").textContent = data.response.status === null ? "No response" : "HTTP " + data.response.status;
  $("response").textContent = typeof data.response.body === "string" ? data.response.body : JSON.stringify(data.response.body, null, 2);
  let html = "<p>" + esc(outcomeLabel) + ': <span class="' + esc(data.outcome) + '">' + esc(data.outcome) + "</span>" +
    (data.failure ? " (failure: " + esc(data.failure) + ")" : "") + "</p>";
  html += "<h3>End user sees</h3><ul>" + (data.messages.map((m) => "<li>" + esc(m.text) + " — " +
    (m.field ? "under " + esc(m.field) : "above the form") + "</li>").join("") || "<li>nothing</li>") + "</ul>";
  html += "<h3>Contract violations</h3><ul>" + (data.violations.map((v) => "<li><code>" + esc(v.path) + "</code>: " +
    esc(v.message) + "</li>").join("") || "<li>none</li>") + "</ul>";
  html += "<h3>Attempts</h3><table><thead><tr><th>#</th><th>Status</th><th>ms</th><th>Error</th></tr></thead><tbody>" +
    data.attempts.map((a) => "<tr><td>" + a.number + "</td><td>" + esc(a.status ?? "-") + "</td><td>" + a.ms +
    "</td><td>" + esc(a.detail || a.error || "") + "</td></tr>").join("") + "</tbody></table>";
  $("verdict").innerHTML = html;
});
