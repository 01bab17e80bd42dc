package dev.statelens.lint.rules.keys;

import java.util.Map;
import java.util.Set;

/**
 * What a container value holds: the values of the keys it was made with, by slot (a record
 * component's name, a list or array index); a slot not listed holds a key of its own, made
 * with the container ({@code Random.split(key)}'s halves), named {@code token/slot}.
 */
record Contents(Map<String, Set<String>> slots) {}
