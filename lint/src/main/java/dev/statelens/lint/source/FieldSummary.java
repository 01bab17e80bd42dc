package dev.statelens.lint.source;

/**
 * A field as declared in the analyzed sources.
 *
 * @param name the field's name
 * @param typeText its declared type as written (e.g. {@code Array}, {@code List<Array>})
 * @param isStatic declared static (or an interface constant)
 * @param isFinal declared final (record components and interface constants count)
 * @param isPrivate declared private
 */
public record FieldSummary(
    String name, String typeText, boolean isStatic, boolean isFinal, boolean isPrivate) {}
