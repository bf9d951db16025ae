/** A reason the process cannot start that its message states in full: printed as one line, no stack. */
export class StartupError extends Error {}
