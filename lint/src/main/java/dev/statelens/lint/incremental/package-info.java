/**
 * What a saved edit changed, token by token and member by member, so that a re-analysis can keep
 * the outcomes of the code the edit did not touch ({@code dev.statelens.lint.SavedEditReanalysis}).
 */
package dev.statelens.lint.incremental;
