// Loss curves on a canvas, log-scaled: drawCurves(canvas, [{name, points: [[iter, value], ...]}]).
// Shared by the live page and the gallery (pixelgrad view). No library: machines may be offline.
"use strict";
const CURVE_COLOURS = ["#222", "#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2"];

function drawCurves(canvas, series, title) {
  // draw at the size the page shows the canvas, so the labels stay legible however wide it is
  const cw = Math.round(canvas.clientWidth), ch = Math.round(canvas.clientHeight);
  if (cw > 0 && ch > 0 && (canvas.width !== cw || canvas.height !== ch)) { canvas.width = cw; canvas.height = ch; }
  const ctx = canvas.getContext("2d");
  const W = canvas.width, H = canvas.height, left = 60, right = 10, top = 24, bottom = 30;
  ctx.clearRect(0, 0, W, H);
  ctx.font = "12px system-ui, sans-serif";
  let xMax = 1, lo = Infinity, hi = -Infinity;
  for (const s of series) {
    for (const [x, y] of s.points) {
      xMax = Math.max(xMax, x);
      if (y > 0 && isFinite(y)) { lo = Math.min(lo, Math.log10(y)); hi = Math.max(hi, Math.log10(y)); }
    }
  }
  if (!isFinite(lo)) { ctx.fillStyle = "#888"; ctx.fillText("no positive loss yet", left, top + 20); return 0; }
  lo = Math.floor(lo); hi = Math.max(Math.ceil(hi), lo + 1);   // whole decades: the log scale reads at a glance
  const X = x => left + (W - left - right) * x / xMax;
  const Y = v => top + (H - top - bottom) * (1 - (Math.log10(v) - lo) / (hi - lo));
  ctx.strokeStyle = "#ddd"; ctx.fillStyle = "#666"; ctx.lineWidth = 1;
  const step = Math.max(1, Math.ceil((hi - lo) / 8));
  for (let d = lo; d <= hi; d += step) {
    const y = Y(Math.pow(10, d));
    ctx.beginPath(); ctx.moveTo(left, y); ctx.lineTo(W - right, y); ctx.stroke();
    ctx.fillText("1e" + d, 8, y + 4);
  }
  ctx.fillText("iteration " + xMax, W - right - 90, H - 8);
  ctx.fillText("0", left, H - 8);
  if (title) { ctx.fillStyle = "#222"; ctx.fillText(title, left, 14); }
  let drawn = 0;
  series.forEach((s, i) => {
    const colour = CURVE_COLOURS[i % CURVE_COLOURS.length];
    ctx.strokeStyle = colour; ctx.lineWidth = i === 0 ? 2 : 1.3;
    ctx.beginPath();
    let pen = false;
    for (const [x, y] of s.points) {
      if (!(y > 0 && isFinite(y))) { pen = false; continue; }   // a non-positive term has no place on a log scale
      if (pen) ctx.lineTo(X(x), Y(y)); else ctx.moveTo(X(x), Y(y));
      pen = true; drawn++;
    }
    ctx.stroke();
    // the legend, one name a line at the top right, where a falling loss leaves room
    ctx.fillStyle = colour;
    ctx.fillText(s.name, W - right - 6 - ctx.measureText(s.name).width, top + 14 + 14 * i);
  });
  return drawn;
}
