package org.wireingest.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.wireingest.config.FeedSource;
import org.wireingest.config.IdentityPolicy;
import org.wireingest.model.FeedState;
import org.wireingest.model.Json;
import org.wireingest.model.RawWireItem;
import org.wireingest.normalize.NormalizationException;
import org.wireingest.normalize.Normalizer;
import org.wireingest.parse.FeedParser;
import org.wireingest.parse.ParseResult;
import org.wireingest.poll.RawItems;

/**
 * Writes what parse, plan and normalise make of every file under a corpus folder (recursively), one
 * JSON line per outcome: the parse result, each planned raw item and each article draft. Two
 * snapshots of the same corpus taken before and after a change to the domain code must be equal
 * byte for byte: the check that a performance change kept the output.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.wireingest.bench.CorpusSnapshot CORPUS_DIR OUT_FILE
 * </pre>
 */
public final class CorpusSnapshot {

  private CorpusSnapshot() {}

  /**
   * @param args the corpus folder and the output file
   * @throws IOException when a file cannot be read or the output written
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: CorpusSnapshot CORPUS_DIR OUT_FILE");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    FeedParser parser = new FeedParser();
    Normalizer normalizer = new Normalizer(Clock.fixed(now, ZoneOffset.UTC));
    FeedSource source =
        new FeedSource(
            "bench",
            "Bench",
            "bench",
            URI.create("https://bench.example.org/feed.xml"),
            Duration.ofMinutes(5),
            "en",
            IdentityPolicy.AUTO,
            Map.of());
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    }
    int articles = 0;
    try (BufferedWriter out = Files.newBufferedWriter(Path.of(args[1]), StandardCharsets.UTF_8)) {
      for (Path f : files) {
        out.write("# " + dir.relativize(f) + "\n");
        ParseResult r = parser.parse(Files.readAllBytes(f), null);
        out.write(Json.MAPPER.writeValueAsString(r) + "\n");
        if (!(r instanceof ParseResult.Parsed parsed)) {
          continue;
        }
        RawWireItem.Fetch fetch =
            new RawWireItem.Fetch(now, source.url().toString(), 200, null, null, null, "0");
        RawItems.Plan plan =
            RawItems.plan(
                source,
                fetch,
                parsed.feed(),
                FeedState.initial(source.id(), source.url().toString()),
                now);
        out.write(Json.MAPPER.writeValueAsString(plan) + "\n");
        for (RawWireItem item : plan.toPublish()) {
          try {
            out.write(Json.MAPPER.writeValueAsString(normalizer.normalize(item)) + "\n");
            articles++;
          } catch (NormalizationException e) {
            out.write("! " + e.getMessage() + "\n");
          }
        }
      }
    }
    System.out.printf("%d files, %d articles -> %s%n", files.size(), articles, args[1]);
  }
}
