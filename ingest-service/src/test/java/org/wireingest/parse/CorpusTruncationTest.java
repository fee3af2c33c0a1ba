package org.wireingest.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.wireingest.testing.Corpus;

/**
 * A property test of the lenient reading of cut-off documents over the real corpus ({@code
 * ${corpus.dir}/real/*.xml}), one container per file.
 *
 * <p>Whole file: never reported {@value FeedParser#TRUNCATED_DOCUMENT} (no such warning, no {@link
 * ParseFailure#TRUNCATED_DOCUMENT}). Each file that parses whole (a feed without that warning) is
 * then cut at {@link #CUT_FRACTIONS fixed fractions} of its length (moved back to a UTF-8 character
 * boundary), just after its root start tag, just before its first {@code <item>} / {@code <entry>}
 * and just after its first {@code </item>} / {@code </entry>}, and each cut must be either a feed
 * with the warning or the failure {@link ParseFailure#TRUNCATED_DOCUMENT} (never a silent partial
 * read, never an exception); a cut feed's entries are a prefix of the whole document's, none cut
 * short.
 *
 * <p>System properties: {@code corpus.dir} (set by the POM); {@code corpus.optional=true} skips the
 * suite when the directory is missing instead of failing it (as {@link CorpusSuiteTest}).
 */
class CorpusTruncationTest {

  /** Where each file is cut, as fractions of its length in bytes. */
  static final double[] CUT_FRACTIONS = {0.10, 0.35, 0.60, 0.85};

  /** The end tag of an entry, any prefix: RSS / RDF {@code </item>}, Atom {@code </entry>}. */
  private static final Pattern ENTRY_END =
      Pattern.compile("</(?:[A-Za-z_][\\w.-]*:)?(?:item|entry)\\s*>", Pattern.CASE_INSENSITIVE);

  /** The start tag of an entry, any prefix: RSS / RDF {@code <item>}, Atom {@code <entry>}. */
  private static final Pattern ENTRY_START =
      Pattern.compile("<(?:[A-Za-z_][\\w.-]*:)?(?:item|entry)[\\s/>]", Pattern.CASE_INSENSITIVE);

  /** The name of the cut made just after the root element's start tag. */
  static final String AFTER_ROOT_START_TAG = "just after the root start tag";

  /** The name of the cut made just after the first entry end tag: one complete entry is left. */
  static final String AFTER_FIRST_ENTRY_END_TAG = "just after the first entry end tag";

  private final FeedParser parser = new FeedParser();

  @TestFactory
  Stream<DynamicNode> truncatedCorpus() throws IOException {
    Path corpus = Corpus.dir();
    if (!Corpus.isPresent(corpus)) {
      return Stream.of(Corpus.missing(corpus));
    }
    List<Path> files = Corpus.realFiles(corpus);
    List<DynamicNode> nodes = new ArrayList<>();
    for (Path file : files) {
      String name = "real/" + file.getFileName();
      byte[] whole = Files.readAllBytes(file);
      ParseResult wholeResult;
      RuntimeException thrown = null;
      try {
        wholeResult = parser.parse(whole, null);
      } catch (RuntimeException e) {
        // reported by this file's test, not by failing the discovery of every file's
        wholeResult = null;
        thrown = e;
      }
      ParseResult result = wholeResult;
      RuntimeException exception = thrown;
      List<DynamicTest> tests = new ArrayList<>();
      tests.add(
          DynamicTest.dynamicTest(
              "whole file is not reported truncated",
              () -> {
                if (exception != null) {
                  throw new AssertionError(
                      name + ", whole: the parser threw " + exception, exception);
                }
                checkWhole(name, result);
              }));
      if (wholeResult instanceof ParseResult.Parsed parsed && !isTruncated(parsed.feed())) {
        for (Map.Entry<String, Integer> cut : cuts(whole).entrySet()) {
          int offset = cut.getValue();
          tests.add(
              DynamicTest.dynamicTest(
                  cut.getKey() + " (byte " + offset + " of " + whole.length + ")",
                  () -> {
                    checkCut(
                        name,
                        offset,
                        Arrays.copyOf(whole, offset),
                        parsed.feed(),
                        cut.getKey().equals(AFTER_FIRST_ENTRY_END_TAG),
                        rootStartTagEnd(whole));
                  }));
        }
      }
      nodes.add(DynamicContainer.dynamicContainer(name, tests.stream()));
    }
    return nodes.stream();
  }

  private static void checkWhole(String name, ParseResult result) {
    if (result instanceof ParseResult.Failed failed) {
      assertThat(failed.kind())
          .as("%s, whole, failed: %s", name, failed.message())
          .isNotEqualTo(ParseFailure.TRUNCATED_DOCUMENT);
    } else {
      assertThat(((ParseResult.Parsed) result).feed().warnings())
          .as("warnings of %s, whole", name)
          .extracting(ParseWarning::kind)
          .doesNotContain(FeedParser.TRUNCATED_DOCUMENT);
    }
  }

  /**
   * @param rootStartTagEnd byte offset just past the {@code >} of the root element's start tag
   */
  private void checkCut(
      String name,
      int offset,
      byte[] cut,
      ParsedFeed whole,
      boolean afterFirstEntry,
      int rootStartTagEnd) {
    String where = name + " cut at byte " + offset;
    ParseResult result;
    try {
      result = parser.parse(cut, null);
    } catch (RuntimeException | Error e) {
      throw new AssertionError(where + ": the parser threw " + e, e);
    }
    if (result instanceof ParseResult.Failed failed) {
      assertThat(afterFirstEntry)
          .as("%s: after a complete entry, failed %s: %s", where, failed.kind(), failed.message())
          .isFalse();
      if (failed.kind() == ParseFailure.MALFORMED_XML && offset < rootStartTagEnd) {
        // Cut before the root element's start tag is complete: no element is left to read (the
        // incomplete tag is dropped, or there is none), so the text is no XML document at all,
        // not a feed cut off after its start; MALFORMED_XML ("no root element found") is right.
        return;
      }
      assertThat(failed.kind())
          .as("%s: failed (%s)", where, failed.message())
          .isEqualTo(ParseFailure.TRUNCATED_DOCUMENT);
      return;
    }
    ParsedFeed feed = ((ParseResult.Parsed) result).feed();
    assertThat(isTruncated(feed))
        .as(
            "%s: read as a feed of %d entries without a %s warning (a silent partial read);"
                + " warnings %s",
            where, feed.entries().size(), FeedParser.TRUNCATED_DOCUMENT, feed.warnings())
        .isTrue();
    List<ParsedEntry> entries = feed.entries();
    List<ParsedEntry> wholeEntries = whole.entries();
    assertThat(entries.size())
        .as("%s: entries read from the cut, at most the whole's", where)
        .isLessThanOrEqualTo(wholeEntries.size());
    if (afterFirstEntry) {
      assertThat(entries.size()).as("%s: cut just after the first entry", where).isEqualTo(1);
    }
    for (int i = 0; i < entries.size(); i++) {
      ParsedEntry read = entries.get(i);
      ParsedEntry expected = wholeEntries.get(i);
      String entry = String.format(Locale.ROOT, "%s: entry %d (%s)", where, i, expected.title());
      assertThat(List.of(nullable(read.guid()), nullable(read.link()), nullable(read.title())))
          .as("%s: GUID, link and title, the whole's entry %d", entry, i)
          .isEqualTo(
              List.of(
                  nullable(expected.guid()),
                  nullable(expected.link()),
                  nullable(expected.title())));
      assertThat(read.descriptionHtml())
          .as("%s: description, not cut short", entry)
          .isEqualTo(expected.descriptionHtml());
      assertThat(read.contentHtml())
          .as("%s: content, not cut short", entry)
          .isEqualTo(expected.contentHtml());
    }
  }

  /**
   * The cuts of a document by name, in byte offsets: each of {@link #CUT_FRACTIONS} (moved back to
   * the start of a UTF-8 character; harmless for a single-byte charset), just after the root
   * element's start tag, just before the first entry start tag and just after the first entry end
   * tag. Offsets that are 0, the whole length, or a repeat are left out.
   */
  static Map<String, Integer> cuts(byte[] whole) {
    Map<String, Integer> cuts = new LinkedHashMap<>();
    for (double fraction : CUT_FRACTIONS) {
      int offset = (int) (whole.length * fraction);
      while (offset > 0 && (whole[offset] & 0xC0) == 0x80) {
        offset--;
      }
      addCut(
          cuts,
          whole,
          String.format(Locale.ROOT, "cut at %d %%", Math.round(fraction * 100)),
          offset);
    }
    // one char per byte: the offsets of a match are byte offsets
    String text = new String(whole, StandardCharsets.ISO_8859_1);
    addCut(cuts, whole, AFTER_ROOT_START_TAG, rootStartTagEnd(whole));
    Matcher entryStart = ENTRY_START.matcher(text);
    if (entryStart.find()) {
      addCut(cuts, whole, "just before the first entry start tag", entryStart.start());
    }
    Matcher entryEnd = ENTRY_END.matcher(text);
    if (entryEnd.find()) {
      addCut(cuts, whole, AFTER_FIRST_ENTRY_END_TAG, entryEnd.end());
    }
    return cuts;
  }

  private static void addCut(Map<String, Integer> cuts, byte[] whole, String name, int offset) {
    if (offset > 0 && offset < whole.length && !cuts.containsValue(offset)) {
      cuts.put(name, offset);
    }
  }

  /**
   * Byte offset just past the {@code >} ending the root element's start tag (XML declaration,
   * comments, processing instructions and a DOCTYPE skipped; quotes respected); the length when
   * there is none.
   */
  static int rootStartTagEnd(byte[] whole) {
    String text = new String(whole, StandardCharsets.ISO_8859_1);
    int i = 0;
    while (true) {
      int lt = text.indexOf('<', i);
      if (lt < 0 || lt + 1 >= text.length()) {
        return text.length();
      }
      if (text.startsWith("<?", lt)) {
        i = after(text, "?>", lt);
      } else if (text.startsWith("<!--", lt)) {
        i = after(text, "-->", lt);
      } else if (text.startsWith("<!", lt)) {
        i = tagEnd(text, lt, true);
      } else if (Character.isLetter(text.charAt(lt + 1)) || text.charAt(lt + 1) == '_') {
        return tagEnd(text, lt, false);
      } else {
        i = lt + 1;
      }
    }
  }

  /**
   * Offset just past the {@code >} ending the tag or declaration starting at {@code lt}, quotes
   * respected (and, in a DOCTYPE, its internal subset in brackets); the length when there is none.
   */
  private static int tagEnd(String text, int lt, boolean doctype) {
    char quote = 0;
    boolean inSubset = false;
    for (int j = lt + 1; j < text.length(); j++) {
      char c = text.charAt(j);
      if (quote != 0) {
        quote = c == quote ? 0 : quote;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (doctype && (c == '[' || c == ']')) {
        inSubset = c == '[';
      } else if (c == '>' && !inSubset) {
        return j + 1;
      }
    }
    return text.length();
  }

  private static int after(String text, String terminator, int from) {
    int end = text.indexOf(terminator, from + 1);
    return end < 0 ? text.length() : end + terminator.length();
  }

  private static boolean isTruncated(ParsedFeed feed) {
    return feed.warnings().stream()
        .map(ParseWarning::kind)
        .anyMatch(FeedParser.TRUNCATED_DOCUMENT::equals);
  }

  private static String nullable(String value) {
    return value == null ? "<null>" : value;
  }
}
