/**
 * Syntax helpers every part of the model shares (src/js/model/ast.ts): where a parameter binds a name.
 */
import { describe, expect, it } from "vitest";
import { parameterPlace, isFunctionNode, walkNodes, type FunctionNode, type Node } from "../../src/js/model/ast.js";
import { JsModel } from "../../src/js/model.js";
import { parseSource } from "../../src/js/parse.js";
import { resolveSettings } from "../../src/js/settings.js";

function firstFunction(text: string): FunctionNode {
  const { ast } = parseSource(text, "f.ts");
  let found: FunctionNode | undefined;
  walkNodes(ast as unknown as Node, (n) => { if (!found && isFunctionNode(n)) found = n; });
  if (!found) throw new Error("no function in the test text");
  return found;
}

describe("parameterPlace", () => {
  it("finds a plain parameter, with or without a default, by name", () => {
    const fn = firstFunction("function run(queue, size = 4) {}");
    expect(parameterPlace(fn, "queue")).toEqual({ index: 0 });
    expect(parameterPlace(fn, "size")).toEqual({ index: 1 });
    expect(parameterPlace(fn, "other")).toBeUndefined();
  });

  it("finds a name an object pattern takes, with its key and its own default only", () => {
    const fn = firstFunction("function make(label, { size = 5, concurrency, handle: onItem = noop }) {}");
    expect(parameterPlace(fn, "concurrency")).toEqual({ index: 1, key: "concurrency" });
    const renamed = parameterPlace(fn, "onItem");
    expect(renamed?.index).toBe(1);
    expect(renamed?.key).toBe("handle");
    expect(renamed?.fallback?.type).toBe("Identifier");
    const sized = parameterPlace(fn, "size");
    expect(sized && { index: sized.index, key: sized.key, fallback: sized.fallback?.type }).toEqual({ index: 1, key: "size", fallback: "Literal" });
  });

  it("finds a constructor's parameter property by its name", () => {
    const fn = firstFunction("class Batcher { constructor(private size = 4, readonly score: (n: number) => void) {} }");
    expect(parameterPlace(fn, "size")).toEqual({ index: 0 });
    expect(parameterPlace(fn, "score")).toEqual({ index: 1 });
  });

  it("matches the declaring identifier node itself", () => {
    const fn = firstFunction("const hold = ({ offerId, signal }) => signal;");
    const pattern = fn.params[0] as Extract<Node, { type: "ObjectPattern" }>;
    const signal = (pattern.properties[1] as Extract<Node, { type: "Property" }>).value as Node;
    expect(parameterPlace(fn, signal)).toEqual({ index: 0, key: "signal" });
  });
});

describe("queue concurrency through a destructured options parameter", () => {
  const concurrencyOf = (text: string) => {
    const model = new JsModel({ ...parseSource(text, "limits.mjs"), settings: resolveSettings({}) });
    const owner = model.calls.find((c) => c.type === "CallExpression" && c.callee.type === "Identifier" && c.callee.name === "pLimit");
    if (!owner) throw new Error("no pLimit( in the test text");
    return model.queueConcurrency(owner as Node, "p-limit");
  };

  it("takes the default of the property it reads, not that of another property before it", () => {
    // No call passes options: the parameter's own default is what the limiter is made with.
    expect(concurrencyOf(`import pLimit from "p-limit";\nexport function makeLimit({ retries = 1, concurrency = 6 } = {}) { return pLimit(concurrency); }`)).toBe(6);
    expect(concurrencyOf(`import pLimit from "p-limit";\nexport function makeLimit({ retries = 1, concurrency } = {}) { return pLimit(concurrency); }`)).toBeUndefined();
  });
});
