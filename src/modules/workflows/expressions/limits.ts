/** Bounds for one expression evaluation; every one exists to stop a denial of service. */
export interface ExpressionLimits {
  /**
   * CPU time per expression, checked at every evaluation step and regex call. CPU time, not
   * wall-clock time: a worker waiting for a busy machine's CPU has done no work, and a trivial
   * expression must not fail because other processes were running.
   */
  timeoutMs: number;
  /** Nesting depth of evaluation steps (non-tail recursion grows it). */
  maxDepth: number;
  /** Items in any sequence or array an expression builds (`[1..n]`, path results, $split). */
  maxItems: number;
  /** Approximate JSON size of any intermediate value, counting shared references each time. */
  maxValueBytes: number;
  /** Approximate JSON size of one expression's result. */
  maxResultBytes: number;
  /** Approximate JSON size of all expression results of one evaluateParameters call. */
  maxTotalBytes: number;
  /** Characters of one expression's source. */
  maxExpressionLength: number;
  /** Characters of text a regular expression may scan in one call. */
  maxRegexInput: number;
  /** Characters of a regular expression pattern. */
  maxRegexLength: number;
  /** Nesting depth of input data and of results. */
  maxDataDepth: number;
  /** Characters of a picture string ($formatNumber, $formatInteger, $fromMillis, …). */
  maxPictureLength: number;
}

export const DEFAULT_EXPRESSION_LIMITS: Readonly<ExpressionLimits> = Object.freeze({
  timeoutMs: 100,
  maxDepth: 300,
  maxItems: 100_000,
  maxValueBytes: 8 * 1024 * 1024,
  maxResultBytes: 256 * 1024,
  maxTotalBytes: 1024 * 1024,
  maxExpressionLength: 10_000,
  maxRegexInput: 100_000,
  maxRegexLength: 1_000,
  maxDataDepth: 64,
  maxPictureLength: 1_000,
});

/**
 * CPU time of the calling thread in milliseconds: the evaluation's own work, not that of V8's
 * background threads (garbage collection, compilation). Node 22 lacks `threadCpuUsage`; there
 * the whole process's CPU time stands in (an evaluation worker runs one task at a time).
 */
export const cpuTimeMs = () => {
  const { user, system } = process.threadCpuUsage?.() ?? process.cpuUsage();
  return (user + system) / 1000;
};

export const resolveLimits = (limits?: Partial<ExpressionLimits>): ExpressionLimits => ({
  ...DEFAULT_EXPRESSION_LIMITS,
  ...limits,
});

export const formatBytes = (bytes: number) =>
  bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0
    ? `${bytes / (1024 * 1024)} MB`
    : bytes >= 1024
      ? `${Math.round(bytes / 1024)} KB`
      : `${bytes} bytes`;

/**
 * Raised by the sandbox itself (hooks, overridden built-ins, data conversion). JSONata keeps
 * the message of errors whose code it does not know, so the text reaches the user unchanged.
 */
export class SandboxError extends Error {
  readonly code = "FLUXO_SANDBOX";
  override name = "SandboxError";
}
