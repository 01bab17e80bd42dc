package dev.statelens.engine;

/** Test stub. */
public record Key(long seed) {}
