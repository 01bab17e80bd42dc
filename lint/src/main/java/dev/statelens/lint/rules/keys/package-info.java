/**
 * SL010, a PRNG key drawn from twice, by names and one file at a time; {@link
 * dev.statelens.lint.rules.keys.KeyReuseRule} is the only public class. How a key use becomes a
 * finding:
 *
 * <ol>
 *   <li>{@code FileAnalysis} reads the file's engine names ({@code Imports}: is {@code Key}
 *       imported at all?) and builds its {@code FileScope} (methods by {@code SameFileMethods},
 *       which return their key parameter unchanged, where keys are held: {@code Holders}).
 *   <li>{@code Summaries} follows each method with {@code Key} parameters until nothing changes:
 *       which parameters it draws from, and by which draw ({@code Exports} shows these to other
 *       files).
 *   <li>Each method, lambda and initializer body is then followed by a {@code Body}: per path a
 *       {@code State} of the values each key variable (and each record, list or array slot:
 *       {@code Container}, {@code Contents}; each {@code Key} field of the class: {@code
 *       FieldKeys}) may hold; branches are joined, loop bodies run twice.
 *   <li>At each call {@code ConsumingCalls} names the keys it draws from ({@code KeyRef}): a
 *       sampler, a summarized method of this file, or through {@code OtherFiles} a method another
 *       file exports (found with the exports of further files: the {@code Linter} repeats until
 *       they settle). A value already drawn from on the path, or drawn from in a loop (or a
 *       per-step lambda: {@code PerElement}) that does not reassign it, is a {@code Reuse}, worded
 *       by {@code Messages}.
 * </ol>
 *
 * <p>The walks skip nested lambdas and classes on purpose, each in its own way: {@code Nested}
 * names which ones a {@code Walk} enters.
 */
package dev.statelens.lint.rules.keys;
