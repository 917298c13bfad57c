// The figures page's charts: each `[data-figure-chart]` element names the JSON script element
// holding its table's rows ({label, share}); the chart is drawn from those rows by Vega, with
// the dataflow compiled from chart.vl.json at build time (compile.mjs). Without JavaScript, the
// tables are the figures. No inline script or style, no eval: the page's CSP allows none.
//
// Only the parts of the Vega runtime a compiled bar chart uses are bundled: the dataflow, the
// view, the transforms of data, encoding and layout (not geography, force layouts,
// hierarchies, regression, word clouds...), and the expression interpreter; neither the
// Vega-Lite compiler nor the Vega parser. That keeps the page under its weight.
import { extend } from "vega-util";
import { transforms } from "vega-dataflow";
import * as tx from "vega-transforms";
import * as vtx from "vega-view-transforms";
import * as encode from "vega-encode";
import { View } from "vega-view";
import { expressionInterpreter } from "vega-interpreter";
import runtime from "./chart.vg.json";

extend(transforms, tx, vtx, encode);

function draw(element) {
  const source = document.getElementById(element.dataset.figureChart);
  if (!source) return;
  const rows = JSON.parse(source.textContent);
  if (!rows.length) return;
  const view = new View(runtime, {
    renderer: "canvas",
    container: element,
    hover: true,
    expr: expressionInterpreter,
  });
  view.data("table", rows);
  view.runAsync();
}

document.querySelectorAll("[data-figure-chart]").forEach(draw);
