package dev.statelens.plugin.fix;

import java.nio.file.Path;

/**
 * A quick fix's effect on one file: its new text. Applied as one minimal replacement (common
 * prefix and suffix kept), so markers, folding and the caret outside the change stay put.
 */
public record FileChange(Path file, String oldText, String newText) {

  /** Offset, length and text of the smallest single replacement turning old into new. */
  public Replacement minimal() {
    int prefix = 0;
    int max = Math.min(oldText.length(), newText.length());
    while (prefix < max && oldText.charAt(prefix) == newText.charAt(prefix)) {
      prefix++;
    }
    int suffix = 0;
    while (suffix < max - prefix
        && oldText.charAt(oldText.length() - 1 - suffix) == newText.charAt(newText.length() - 1 - suffix)) {
      suffix++;
    }
    return new Replacement(prefix, oldText.length() - prefix - suffix,
        newText.substring(prefix, newText.length() - suffix));
  }

  public record Replacement(int offset, int length, String text) {}
}
