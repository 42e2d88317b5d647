/**
 * Module resolution of the project index (src/js/project/resolve.ts): the common relative case is answered with one
 * `stat`, everything else by TypeScript's resolver. Both must give TypeScript's answer; here every specifier is also
 * resolved by TypeScript itself, with the same compiler options, and the answers compared.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import { clearResolutionCache, resolveProjectModule } from "../../src/js/project/resolve.js";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "trace-nesting-resolve-"));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** TypeScript's own answer, filtered as the project index filters it (project source files only). */
function typescriptAnswer(specifier: string, from: string, options: ts.CompilerOptions): string | undefined {
  const outcome = ts.resolveModuleName(specifier, from, options, ts.sys).resolvedModule;
  const file = outcome?.resolvedFileName;
  if (!file || outcome.isExternalLibraryImport || /\.d\.[cm]?ts$/i.test(file) || !/\.(?:[cm]?[jt]sx?)$/i.test(file) || file.split(/[\\/]/).includes("node_modules")) return undefined;
  return path.resolve(file);
}

const FILES = {
  "src/a.ts": "",
  "src/b.tsx": "",
  "src/c.js": "",
  "src/both.ts": "",
  "src/both.js": "",
  "src/m.mts": "",
  "src/k.cts": "",
  "src/only.mjs": "",
  "src/foo.service.ts": "",
  "src/dir/index.ts": "",
  "src/dir.ts/index.ts": "",
  "src/types.d.ts": "",
  "src/decl.d.ts": "",
  "src/pkg/package.json": JSON.stringify({ main: "./main.ts" }),
  "src/pkg/main.ts": "",
  "src/node_modules/dep/index.ts": "",
  "src/from.ts": "",
  // Where a wrong first candidate would show: two extensions, a file beside a directory of the same name.
  "src/x.ts": "",
  "src/x.tsx": "",
  "src/x.js": "",
  "src/d2.ts": "",
  "src/d2/index.ts": "",
  "src/y.mts": "",
  "src/y.ts": "",
  // Compiled output beside declarations (a package's dist): the later candidates decide.
  "src/dj.d.ts": "",
  "src/dj.js": "",
  "src/jx.jsx": "",
  "src/dm.d.mts": "",
  "src/dm.mjs": "",
  "src/oc.cjs": "",
  "src/tj.tsx": "",
  "src/tj.js": "",
};

const SPECIFIERS = [
  "./a", "./a.js", "./a.ts", "./b", "./b.js", "./c", "./c.js", "./both", "./both.js", "./m.mjs", "./m", "./k.cjs", "./only.mjs",
  "./foo.service", "./foo.service.js", "./dir", "./dir/", "./dir/index.js", "./dir.ts", "./types", "./types.js", "./decl.js", "./pkg",
  "./node_modules/dep", "./node_modules/dep/index.js", "../src/a.js", "./missing", "./missing.js", ".", "./", "..",
  "./x", "./x.js", "./x.jsx", "./d2", "./d2/", "./d2/.", "./y", "./y.mjs", "./y.js",
  "./dj", "./dj.js", "./jx", "./jx.js", "./jx.jsx", "./dm", "./dm.mjs", "./oc", "./oc.cjs", "./tj", "./tj.js", "./c.json", "./c.mts",
];

describe("resolveProjectModule gives TypeScript's answer", () => {
  const resolutions = [
    { name: "bundler", tsconfig: { compilerOptions: { module: "esnext", moduleResolution: "bundler", allowJs: true } } },
    { name: "node16", tsconfig: { compilerOptions: { module: "node16", moduleResolution: "node16", allowJs: true } } },
    { name: "nodenext", tsconfig: { compilerOptions: { module: "nodenext", moduleResolution: "nodenext", allowJs: true } } },
    { name: "node10", tsconfig: { compilerOptions: { module: "commonjs", moduleResolution: "node10", allowJs: true } } },
    { name: "no tsconfig", tsconfig: undefined },
    { name: "rootDirs", tsconfig: { compilerOptions: { moduleResolution: "bundler", module: "esnext", rootDirs: ["src", "gen"], allowJs: true } } },
  ];
  for (const { name, tsconfig } of resolutions) {
    it(`${name}: every specifier`, () => {
      const dir = project({ ...FILES, ...(tsconfig ? { "tsconfig.json": JSON.stringify(tsconfig) } : {}), "gen/g.ts": "" });
      symlinkSync(path.join(dir, "src/a.ts"), path.join(dir, "src/link.ts"));
      clearResolutionCache();
      const from = path.join(dir, "src/from.ts");
      const options: ts.CompilerOptions = tsconfig
        ? { ...ts.parseJsonConfigFileContent(tsconfig, ts.sys, dir).options, allowJs: true, noEmit: true }
        : { allowJs: true, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, noEmit: true };
      if (options.moduleResolution === undefined) Object.assign(options, { moduleResolution: ts.ModuleResolutionKind.Bundler });
      let answered = 0;
      for (const specifier of [...SPECIFIERS, "./link", "./link.js", "./g.js"]) {
        const expected = typescriptAnswer(specifier, from, options);
        expect(resolveProjectModule(specifier, from), `${name}: ${specifier}`).toBe(expected);
        if (expected) answered++;
      }
      expect(answered).toBeGreaterThan(10);
    });
  }
});
