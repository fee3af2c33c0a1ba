package org.wireingest.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A feed just under the 20 MiB body cap is accepted input, so its parse must fit beside the
 * poller's other polls, and 32 such feeds (19.5 MB of RSS each: 8,544 entries with 2,000-character
 * descriptions) ran the 460 MiB poller out of memory, every other feed stopping with it.
 * Regression: the parse held the decoded text (19.5 MB) while Rome read the tree and the entries
 * were mapped, and ran out of memory in a 110 MB heap (parallel collector) where it now completes
 * in 90 MB. The parse runs in a process of its own, with a heap of a little over five times the
 * body.
 */
class FeedParserHeapTest {

  /** The child's heap: 105 MB, between the 90 MB the parse needs and the 110 MB it needed. */
  private static final String HEAP = "-Xmx105m";

  @Test
  void shouldParseAFeedAtTheBodyCapInAHeapOfFiveTimesItsSize() throws Exception {
    Process child =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                HEAP,
                "-XX:+UseParallelGC",
                "-cp",
                System.getProperty("java.class.path"),
                LargeFeedParse.class.getName())
            .redirectErrorStream(true)
            .start();
    try {
      ByteArrayOutputStream output = new ByteArrayOutputStream();
      try (InputStream in = child.getInputStream()) {
        in.transferTo(output);
      }
      assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
      String said = output.toString(StandardCharsets.UTF_8);
      assertThat(said).as("the child's output").contains("parsed 8544 entries of 19");
      assertThat(child.exitValue()).as(said).isZero();
    } finally {
      child.destroyForcibly();
    }
  }

  /** Parses a 19.5 MB feed of 8,544 entries and says how many it read. */
  public static final class LargeFeedParse {
    public static void main(String[] args) {
      byte[] body = largeFeed();
      ParseResult result = new FeedParser().parse(body, "application/xml");
      if (result instanceof ParseResult.Parsed parsed) {
        System.out.println(
            "parsed "
                + parsed.feed().entries().size()
                + " entries of "
                + body.length / 1_000_000
                + " MB");
      } else {
        System.out.println("not parsed: " + result);
      }
    }

    /** 8,544 RSS items of random ASCII words, about 19.5 MB: as large as an accepted body gets. */
    private static byte[] largeFeed() {
      Random random = new Random(160);
      String[] words = new String[5000];
      for (int i = 0; i < words.length; i++) {
        StringBuilder word = new StringBuilder();
        for (int n = 3 + random.nextInt(8); n > 0; n--) {
          word.append((char) ('a' + random.nextInt(26)));
        }
        words[i] = word.toString();
      }
      StringBuilder xml = new StringBuilder(20_000_000);
      xml.append(
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel>"
              + "<title>Large</title><link>https://wire.example/</link><description>x</description>");
      for (int i = 0; i < 8544; i++) {
        xml.append("<item><title>");
        words(xml, random, words, 60);
        xml.append("</title><link>https://wire.example/story/")
            .append(i)
            .append("</link><guid>https://wire.example/story/")
            .append(i)
            .append(
                "</guid><pubDate>Mon, 07 Dec 2026 08:00:00 GMT</pubDate><description>&lt;p&gt;");
        words(xml, random, words, 2000);
        xml.append("&lt;/p&gt;</description></item>\n");
      }
      return xml.append("</channel></rss>\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void words(StringBuilder xml, Random random, String[] words, int chars) {
      int start = xml.length();
      while (xml.length() - start < chars) {
        xml.append(words[random.nextInt(words.length)]).append(' ');
      }
    }
  }
}
