package dev.statelens.engine.record.store;

/** A per-step statistic of a leaf, charted as a series. For scalars all of them are the value. */
public enum Stat {
  MIN("min"), MAX("max"), MEAN("mean"), STD("std"), NORM("norm");

  private final String column;

  Stat(String column) {
    this.column = column;
  }

  /** Column in {@code samples}; {@code lo_}/{@code hi_} prefixed in {@code rollups}. */
  public String column() {
    return column;
  }
}
