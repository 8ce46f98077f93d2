// The live page: listens to the run's server-sent events and draws them; posts pause, resume,
// stop and changed settings to /control. State a test can read is kept in window.pixelgrad.
"use strict";
const $ = id => document.getElementById(id);
const live = window.pixelgrad = { hello: null, steps: [], state: "connecting", frames: 0, drawn: 0, changes: [] };
let redrawPending = false;

const events = new EventSource("events");   // on reconnect the browser sends Last-Event-ID: the run replays what was missed
events.addEventListener("hello", e => {
  const h = JSON.parse(e.data);
  const first = live.hello === null;
  live.hello = h;
  $("task").textContent = h.task;
  $("total").textContent = h.total;
  setState(h.state);
  if (first) {
    showReferences(h.references);
    showKnobs(h.knobs);
  }
});
events.addEventListener("step", e => {
  const s = JSON.parse(e.data);
  live.steps.push(s);
  $("iter").textContent = s.iter;
  if (Object.keys(s.terms).some(t => !$("weight-" + t)) && live.hello && live.hello.knobs.termWeights) addWeightKnobs(s.terms);
  scheduleRedraw();
});
events.addEventListener("frame", e => {
  const f = JSON.parse(e.data);
  live.frames++;
  $("current").src = "image/current.png?v=" + f.version;
  $("gradient").parentElement.hidden = !f.gradient;   // train-style's sample has no image gradient
  if (f.gradient) $("gradient").src = "image/gradient-" + $("gradient-mode").value + ".png?v=" + f.version;
  $("frame-iter").textContent = f.iter;
});
events.addEventListener("state", e => {
  const s = JSON.parse(e.data);
  setState(s.state, s.how);
  if (s.state === "done") events.close();   // the run has ended; there is nothing to reconnect to
});
events.addEventListener("change", e => {
  const c = JSON.parse(e.data);
  live.changes.push(c);
  const li = document.createElement("li");
  li.textContent = "iteration " + c.iter + ": " + JSON.stringify(c.changed);
  $("changes").appendChild(li);
});
events.onerror = () => { if (live.state !== "done") $("state").textContent = "reconnecting"; };

function setState(state, how) {
  live.state = state;
  $("state").textContent = state === "done" && how ? "done (" + how + ")" : state;
  $("pause").textContent = state === "paused" ? "Resume" : "Pause";
  const over = state === "done" || state === "stopping";
  $("pause").disabled = over; $("stop").disabled = over; $("apply").disabled = over;
  if (over) $("left").textContent = "-";
}

function scheduleRedraw() {
  if (redrawPending) return;
  redrawPending = true;
  requestAnimationFrame(() => { redrawPending = false; redraw(); });
}

function redraw() {
  const steps = live.steps;
  const series = [{ name: "loss", points: steps.map(s => [s.iter, s.loss]) }];
  const names = steps.length ? Object.keys(steps[steps.length - 1].terms) : [];
  if (names.length > 1) for (const n of names) series.push({ name: n, points: steps.map(s => [s.iter, s.terms[n]]) });
  live.drawn = drawCurves($("curve"), series, "loss (log scale)");
  // the rate over the last 20 iterations: a pause or a change of settings soon drops out of it
  const last = steps[steps.length - 1], first = steps[Math.max(0, steps.length - 21)];
  if (last && first && last.seconds > first.seconds && live.state === "running") {
    const rate = (last.iter - first.iter) / (last.seconds - first.seconds);
    $("rate").textContent = rate.toFixed(2);
    $("left").textContent = duration((live.hello.total - last.iter) / rate);
  }
}

function duration(s) {
  if (!isFinite(s)) return "-";
  s = Math.max(0, Math.round(s));
  return s >= 60 ? Math.floor(s / 60) + " min " + (s % 60) + " s" : s + " s";
}

function showReferences(names) {
  names.forEach((name, i) => {
    const fig = document.createElement("figure");
    const img = document.createElement("img");
    img.src = "image/ref-" + i + ".png"; img.alt = name;
    const cap = document.createElement("figcaption"); cap.textContent = name;
    fig.append(img, cap); $("references").appendChild(fig);
  });
}

function showKnobs(k) {
  if (k.learningRate !== undefined) addKnob("learning-rate", k.learningRateLabel, k.learningRate);
  if (k.layers !== undefined) addKnob("layers", "layers", k.layers, "text");
}

function addWeightKnobs(terms) {
  for (const t of Object.keys(terms)) if (!$("weight-" + t)) addKnob("weight-" + t, t + " weight ×", 1);
}

function addKnob(id, label, value, type) {
  const l = document.createElement("label");
  const input = document.createElement("input");
  input.id = id; input.type = type || "number"; input.value = value; input.step = "any"; input.dataset.start = value;
  l.append(label + " ", input); $("knobs").appendChild(l);
}

async function control(body) {
  const r = await fetch("control", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  const text = await r.text();
  $("message").textContent = r.ok ? "" : text;
  $("message").className = r.ok ? "" : "error";
  return r.ok;
}

$("pause").onclick = () => control({ action: live.state === "paused" ? "resume" : "pause" });
$("stop").onclick = () => control({ action: "stop" });
$("gradient-mode").onchange = () => {
  const src = $("current").getAttribute("src");
  if (src) $("gradient").src = "image/gradient-" + $("gradient-mode").value + ".png" + src.substring(src.indexOf("?"));
};
$("apply").onclick = async () => {
  const set = {}, weights = {};
  for (const input of $("knobs").querySelectorAll("input")) {
    if (input.value === input.dataset.start) continue;   // only what the user changed
    if (input.id.startsWith("weight-")) weights[input.id.substring(7)] = Number(input.value);
    else if (input.id === "learning-rate") set.learningRate = Number(input.value);
    else if (input.id === "layers") set.layers = input.value;
  }
  if (Object.keys(weights).length) set.weights = weights;
  if (!Object.keys(set).length) { $("message").textContent = "nothing changed"; return; }
  if (await control({ set })) {
    for (const input of $("knobs").querySelectorAll("input")) input.dataset.start = input.value;
    $("message").textContent = "takes effect at the next step";
  }
};
