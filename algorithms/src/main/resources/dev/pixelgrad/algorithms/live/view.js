// The gallery of past runs (pixelgrad view DIR): each run's images as a scrubbable sequence and its
// loss curves, and every run's loss on one canvas. State a test can read is kept in window.pixelgrad.
"use strict";
const gallery = window.pixelgrad = { runs: null, drawn: 0 };

fetch("runs.json").then(r => r.json()).then(runs => {
  gallery.runs = runs;
  document.getElementById("summary").textContent = runs.length + " run" + (runs.length === 1 ? "" : "s");
  const logged = runs.filter(r => r.steps && r.steps.length);
  gallery.drawn = drawCurves(document.getElementById("all"),
      logged.map(r => ({ name: r.name, points: r.steps.map(s => [s.iter, s.loss]) })), "loss of every run (log scale)");
  for (const run of runs) document.getElementById("runs").appendChild(card(run));
});

function card(run) {
  const div = document.createElement("div");
  div.className = "run";
  const h = document.createElement("h2");
  h.textContent = run.name + (run.log ? " · " + run.log : "");
  div.appendChild(h);
  // the sequence: checkpoints by iteration, then the result
  const frames = run.checkpoints.map(c => ({ file: c.file, label: "iteration " + c.iter }));
  if (run.image !== undefined) frames.push({ file: run.image, label: "result" });
  if (frames.length) {
    const fig = document.createElement("figure");
    const img = document.createElement("img");
    img.loading = "lazy";
    const cap = document.createElement("figcaption");
    const show = i => { img.src = "file/" + frames[i].file; cap.textContent = frames[i].label + " (" + (i + 1) + " of " + frames.length + ")"; };
    fig.append(img, cap);
    if (frames.length > 1) {
      const slider = document.createElement("input");
      slider.type = "range"; slider.min = 0; slider.max = frames.length - 1; slider.value = frames.length - 1;
      slider.oninput = () => show(Number(slider.value));
      fig.appendChild(slider);
    }
    show(frames.length - 1);
    div.appendChild(fig);
  }
  if (run.steps && run.steps.length) {
    const canvas = document.createElement("canvas");
    canvas.width = 520; canvas.height = 220;
    const names = Object.keys(run.steps[run.steps.length - 1].terms);
    const series = [{ name: "loss", points: run.steps.map(s => [s.iter, s.loss]) }];
    if (names.length > 1) for (const n of names) series.push({ name: n, points: run.steps.map(s => [s.iter, s.terms[n]]) });
    drawCurves(canvas, series, "");
    div.appendChild(canvas);
  }
  if (run.changes && run.changes.length) {
    const ul = document.createElement("ul");
    for (const c of run.changes) {
      const li = document.createElement("li");
      li.textContent = "iteration " + c.iter + ": " + JSON.stringify(c.changed);
      ul.appendChild(li);
    }
    div.appendChild(ul);
  }
  return div;
}
