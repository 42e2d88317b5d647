#!/usr/bin/env node
/**
 * Summarises a V8 CPU profile (`node --cpu-prof`): the functions with the most self time and the most inclusive
 * time (a sample counts once for every distinct function on its stack), with their share of all samples.
 * Usage: node bench/cpu-profile-summary.mjs FILE.cpuprofile [--top N] [--filter TEXT]
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: "string", default: "25" }, filter: { type: "string" } } });
const profile = JSON.parse(readFileSync(positionals[0], "utf8"));
const top = Number(values.top);
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const label = (n) => {
  const f = n.callFrame;
  const url = f.url ? f.url.replace(/^file:\/\//, "") : "";
  const short = url.includes("node_modules/") ? url.slice(url.lastIndexOf("node_modules/") + 13) : url ? path.relative(process.cwd(), url) : "";
  return `${f.functionName || "(anonymous)"} ${short}${short ? `:${f.lineNumber + 1}` : ""}`;
};
const dt = new Map();
const deltas = profile.timeDeltas ?? [];
profile.samples.forEach((id, i) => dt.set(i, deltas[i + 1] ?? deltas[i] ?? 0));
const self = new Map();
const inclusive = new Map();
let total = 0;
profile.samples.forEach((id, i) => {
  const ms = dt.get(i) / 1000;
  total += ms;
  const leaf = byId.get(id);
  const l = label(leaf);
  self.set(l, (self.get(l) ?? 0) + ms);
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const name = label(byId.get(cur));
    if (seen.has(name)) continue;
    seen.add(name);
    inclusive.set(name, (inclusive.get(name) ?? 0) + ms);
  }
});
const show = (title, map) => {
  console.log(`\n${title} (total ${(total / 1000).toFixed(2)} s)`);
  const rows = [...map].filter(([k]) => !values.filter || k.includes(values.filter)).sort((a, b) => b[1] - a[1]).slice(0, top);
  for (const [k, ms] of rows) console.log(`${(ms / 1000).toFixed(2).padStart(7)} s ${((100 * ms) / total).toFixed(1).padStart(5)}%  ${k}`);
};
show("self time", self);
show("inclusive time", inclusive);
