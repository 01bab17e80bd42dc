package dev.statelens.engine.record.store;

/** A recorded jitted function: its name, how many calls and graphs were recorded. */
public record FunctionInfo(int id, String name, long calls, long lastStep, int graphs) {}
