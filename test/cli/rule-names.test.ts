import { describe, expect, it } from "vitest";
import { jsDetectors } from "../../src/js/detectors/index.js";
import { JS_RULE_NAMES } from "../../src/js/rule-names.js";
import { pyDetectors } from "../../src/python/detectors/index.js";
import { ALL_RULE_NAMES, validateRuleNames } from "../../src/cli/usage.js";
import { RULE_NAMES } from "../../src/cli/transform.js";

describe("rule names the CLI knows without loading the engines", () => {
  it("JS_RULE_NAMES lists the JavaScript detectors, in their order", () => {
    expect(JS_RULE_NAMES).toEqual(jsDetectors.map((detector) => detector.meta.name));
    expect(RULE_NAMES).toEqual(JS_RULE_NAMES);
  });

  it("--rule accepts every JavaScript and Python rule, and nothing else", () => {
    expect(ALL_RULE_NAMES).toEqual([...jsDetectors, ...pyDetectors].map((detector) => detector.meta.name));
    expect(() => validateRuleNames(["py-context-to-thread", "bind-queued-task"])).not.toThrow();
    expect(() => validateRuleNames(["no-such-rule"])).toThrow(/unknown rule "no-such-rule"; the rules are: bind-detached-callback, /);
  });
});
