package dev.ecsbluegreen.analysis.gate;

import dev.ecsbluegreen.analysis.gate.Gate;

/**
 * The outcome of one gate beyond HTTP.
 *
 * @param gate   which gate
 * @param passed whether green passed it
 * @param detail what was seen, in words
 */
public record GateResult(Gate gate, boolean passed, String detail) {}
