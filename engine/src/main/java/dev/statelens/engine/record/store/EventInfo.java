package dev.statelens.engine.record.store;

/** A recorded event; {@code kind} is one of {@link EventKind}. */
public record EventInfo(long id, Long seq, String function, Long step, String kind, String path, String message) {}
