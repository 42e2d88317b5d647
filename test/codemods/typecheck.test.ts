import { readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import allTransform from "../../codemods/all.js";
import { jscodeshiftOptions, listCases } from "./helpers.js";

/** Declaration files of the libraries and of TypeScript, parsed once for all cases. */
const sharedSourceFiles = new Map<string, ts.SourceFile>();

/** `tsc --noEmit -p <dir>`, with some files' contents replaced in memory. */
function typeErrors(dir: string, overlay: ReadonlyMap<string, string> = new Map(), oldProgram?: ts.Program): { errors: string[]; program: ts.Program } {
  const configFile = path.join(dir, "tsconfig.json");
  const read = ts.readConfigFile(configFile, ts.sys.readFile);
  if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, "\n"));
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, dir);
  const host = ts.createCompilerHost(parsed.options);
  const readFile = host.readFile.bind(host);
  host.readFile = (file) => overlay.get(path.resolve(file)) ?? readFile(file);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (file, language, onError, shouldCreate) => {
    const text = overlay.get(path.resolve(file));
    if (text !== undefined) return ts.createSourceFile(file, text, language);
    const shared = file.includes("/node_modules/");
    const key = typeof language === "object" ? `${file}\0${language.languageVersion}\0${language.impliedNodeFormat}\0${language.jsDocParsingMode}` : `${file}\0${language}`;
    const cached = shared ? sharedSourceFiles.get(key) : undefined;
    if (cached) return cached;
    const sourceFile = getSourceFile(file, language, onError, shouldCreate);
    if (shared && sourceFile) sharedSourceFiles.set(key, sourceFile);
    return sourceFile;
  };
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options, host, oldProgram });
  const errors = ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file && d.start !== undefined ? `${path.relative(dir, d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: ` : "";
    return `${where}${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
  });
  return { errors, program };
}

describe("fixture projects with a tsconfig type-check before and after the fix", () => {
  it("the harness reports a type error in replaced text", () => {
    const fixture = listCases().find((c) => c.name === "web-runnables")!;
    const file = path.join(fixture.dir, "src/graph.ts");
    const broken = `${readFileSync(file, "utf8")}\nexport const wrong: number = graph;\n`;
    expect(typeErrors(fixture.dir, new Map([[file, broken]])).errors.join("\n")).toMatch(/graph\.ts:\d+: Type .* is not assignable to type 'number'/);
  });

  for (const fixture of listCases().filter((c) => c.hasTsconfig)) {
    it(fixture.name, () => {
      const before = typeErrors(fixture.dir);
      expect(before.errors).toEqual([]);
      const overlay = new Map<string, string>();
      for (const input of fixture.inputs) {
        const file = path.join(fixture.dir, input);
        const source = readFileSync(file, "utf8");
        const output = allTransform({ path: file, source }, {}, jscodeshiftOptions(fixture.config));
        if (output !== undefined) overlay.set(file, output);
      }
      expect(overlay.size).toBeGreaterThan(0);
      // Unchanged files (the libraries' declarations) are reused from the first program.
      expect(typeErrors(fixture.dir, overlay, before.program).errors).toEqual([]);
    });
  }
});
