// Compile the figures' Vega-Lite chart (chart.vl.json) at asset-build time: to Vega by the
// Vega-Lite compiler, then to Vega's runtime dataflow by the Vega parser, with expressions kept
// as syntax trees (`ast: true`). The page's bundle then carries neither compiler nor parser,
// and Vega evaluates the expressions with vega-interpreter instead of generated code, which
// the page's CSP (no 'unsafe-eval') would refuse.
// Usage: node assets/figures/compile.mjs <out.json>
import { readFileSync, writeFileSync } from "node:fs";
import { compile } from "vega-lite";
import { parse } from "vega";

const source = JSON.parse(readFileSync(new URL("./chart.vl.json", import.meta.url), "utf8"));
const runtime = parse(compile(source).spec, null, { ast: true });
writeFileSync(process.argv[2], JSON.stringify(runtime));
