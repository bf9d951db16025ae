import { setFlagsFromString } from "node:v8";
import { cpuTimeMs, type ExpressionLimits, SandboxError } from "./limits.ts";

/**
 * JSONata runs regular expressions with JavaScript's backtracking engine, where a pattern like
 * /(a+)+$/ takes exponential time and cannot be interrupted. Expressions here run on V8's
 * linear-time engine instead (the `l` flag, enabled once per process; it only adds that flag and
 * changes no other regex). Patterns it cannot run — back-references, look-around, the `i` flag —
 * are refused with a clear message. If the engine is unavailable, regexes are refused outright.
 */
// The flag stays in a variable: as a literal (/a/l) it would be a parse error on engines
// without it, instead of the catchable SyntaxError the probe relies on.
const LINEAR_FLAG = "l";

function enableLinearEngine(): boolean {
  const probe = () => {
    new RegExp("a", LINEAR_FLAG);
    return true;
  };
  try {
    return probe();
  } catch {
    try {
      setFlagsFromString("--enable-experimental-regexp-engine");
      return probe();
    } catch {
      return false;
    }
  }
}

const linearEngine = enableLinearEngine();

/** Compiles a JSONata regex literal for the linear engine; throws SandboxError when it cannot. */
export function compileLinear(pattern: RegExp, maxLength: number): RegExp {
  const shown = `/${pattern.source.slice(0, 60)}${pattern.source.length > 60 ? "…" : ""}/`;
  if (!linearEngine) {
    throw new SandboxError("regular expressions are not available on this server");
  }
  if (pattern.source.length > maxLength) {
    throw new SandboxError(`regular expression ${shown} is longer than ${maxLength} characters`);
  }
  if (pattern.flags.includes("i")) {
    throw new SandboxError(
      `case-insensitive regular expressions (${shown}i) are not supported; apply $lowercase() to the text instead`,
    );
  }
  try {
    return new RegExp(pattern.source, pattern.flags + LINEAR_FLAG);
  } catch {
    throw new SandboxError(
      `regular expression ${shown} uses a feature that cannot run in linear time (back-references or look-around)`,
    );
  }
}

/**
 * The RegexEngine JSONata constructs for each regex literal. It caps the text scanned per call
 * and checks the deadline before every match, because loops inside $match/$replace/$split do
 * not pass through JSONata's own time check.
 */
export function linearRegexEngine(
  limits: Pick<ExpressionLimits, "maxRegexInput" | "maxRegexLength" | "timeoutMs">,
  deadline: number,
): RegExpConstructor {
  class LinearRegex {
    private readonly re: RegExp;

    constructor(pattern: RegExp) {
      this.re = compileLinear(pattern, limits.maxRegexLength);
    }

    get lastIndex() {
      return this.re.lastIndex;
    }

    set lastIndex(index: number) {
      this.re.lastIndex = index;
    }

    exec(text: string) {
      if (text.length > limits.maxRegexInput) {
        throw new SandboxError(
          `applies a regular expression to ${text.length} characters (limit ${limits.maxRegexInput})`,
        );
      }
      if (cpuTimeMs() > deadline) {
        throw new SandboxError(`took longer than ${limits.timeoutMs} ms`);
      }
      return this.re.exec(text);
    }
  }
  return LinearRegex as unknown as RegExpConstructor;
}
