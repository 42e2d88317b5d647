import { readFileSync, writeFileSync, rmSync } from "node:fs";
import path from "node:path";
import { it } from "vitest";
import { lintAndFix, loadCases } from "../runtime/harness.js";
import { variantsOf } from "./generate.js";
it("static", () => {
  const out: string[] = [];
  let total = 0, bad = 0;
  const per: Record<string, [number, number]> = {};
  for (const c of loadCases().filter((c) => c.kind !== "measurement")) {
    for (const v of variantsOf(readFileSync(c.program, "utf8"), c.program)) {
      total++;
      const ext = path.extname(c.program);
      const files: string[] = [];
      let body = v.text;
      for (const [name, content] of Object.entries(v.files)) { const f = path.join(path.dirname(c.program), `.variant-dev-${name}`); writeFileSync(f, content); files.push(f); body = body.split(`./${name}`).join(`./.variant-dev-${name}`); }
      const file = path.join(path.dirname(c.program), `.variant-dev-${path.basename(c.program, ext)}${ext}`);
      writeFileSync(file, body); files.push(file);
      const k = `${c.rule} ${c.kind} ${v.kind}`; per[k] ??= [0, 0]; per[k][0]++;
      for (const check of c.lintChecks) {
        const o = lintAndFix({ ...c, program: file }, check, body);
        const problems: string[] = [];
        if (o.otherMessages.length) problems.push(`other: ${o.otherMessages.map((m) => m.message).join("; ")}`);
        if (o.findings.length !== check.findings) problems.push(`findings ${o.findings.length} != ${check.findings}: ${o.findings.map((m) => m.line + ":" + m.column).join(",")}`);
        if (check.apply && check.apply !== "none" && o.remaining.length) problems.push(`remaining ${o.remaining.length}`);
        if (problems.length) { bad++; per[k][1]++; out.push(`### ${c.id} ${v.kind} @${v.site}: ${problems.join(" | ")}`); if (process.env.VERBOSE) out.push(body, "---- fixed:", o.output); break; }
        if (process.env.SHOWFIX && check.apply === "fix" && v.kind === process.env.SHOWFIX) out.push(`#### ${c.id} ${v.kind}`, o.output);
      }
      for (const f of files) rmSync(f);
    }
  }
  out.unshift(`total ${total} bad ${bad}`, ...Object.entries(per).filter(([, [, b]]) => b).map(([k, [n, b]]) => `${k}: ${b}/${n}`));
  writeFileSync("/tmp/static.txt", out.join("\n"));
});
