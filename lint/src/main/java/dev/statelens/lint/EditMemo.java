package dev.statelens.lint;

import dev.statelens.lint.incremental.Members;
import dev.statelens.lint.incremental.Tokens;
import dev.statelens.lint.source.FileSummary;
import java.nio.file.Path;
import java.util.List;

/**
 * What a saved file's analysis with bindings keeps for the next saved edit of the same file:
 * its tokens, its members and each transform site's outcome (in analysis order).
 *
 * @param summary the file's index entry (holds the analyzed text)
 * @param version the linter's index version right after the analysis: any other change to the
 *     index in between (another file added or updated) makes the memo useless
 * @param reduced the file's text with the bodies a saved edit's re-analysis left out, and its
 *     summary (the facts it checked); the next edit of the same body compares the same text of
 *     this version, so it need not parse it again. Null after a full analysis.
 * @param keptParse whether the file's top-level types are those it had at the last binding parse
 *     through the linter's {@link dev.statelens.lint.source.BindingEnvironment}: true once a
 *     saved edit's re-analysis parsed it there, as long as only such re-analyses followed
 */
record EditMemo(FileSummary summary, long version, Tokens tokens, Members members,
    List<SiteOutcome> sites, FileSummary reduced, boolean keptParse) {

  EditMemo {
    sites = List.copyOf(sites);
  }

  Path path() {
    return summary.file().path();
  }

  /**
   * A memo of a file analyzed with bindings, or null where it could not be reused anyway (syntax
   * errors, text the scanner rejects, sites not in source order).
   */
  static EditMemo of(FileSummary summary, long version, Members members, List<SiteOutcome> sites) {
    if (!summary.syntaxErrors().isEmpty()) {
      return null;
    }
    for (int i = 1; i < sites.size(); i++) {
      // equal offsets: the f, fwd and bwd sites of one customVjp call
      if (sites.get(i - 1).callOffset() > sites.get(i).callOffset()) {
        return null;
      }
    }
    Tokens tokens = Tokens.scan(summary.file().content());
    return tokens == null ? null : new EditMemo(summary, version, tokens, members, sites, null,
        false);
  }
}
