import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.io.StringReader;
import java.time.Instant;
import com.rometools.rome.feed.WireFeed;
import com.rometools.rome.feed.synd.SyndFeed;
import com.rometools.rome.feed.synd.SyndFeedImpl;
import com.rometools.rome.io.WireFeedInput;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jdom2.Document;
import org.jdom2.input.SAXBuilder;
import org.wireingest.config.FeedSource;
import org.wireingest.config.FeedsConfig;
import org.wireingest.model.FeedState;
import org.wireingest.model.FetchLogRecord;
import org.wireingest.model.Hashes;
import org.wireingest.model.Json;
import org.wireingest.model.RawWireItem;
import org.wireingest.parse.FeedParser;
import org.wireingest.parse.ParseResult;
import org.wireingest.parse.ParsedFeed;
import org.wireingest.poll.FetchLogBodies;
import org.wireingest.poll.KafkaPollSink;
import org.wireingest.poll.RawItems;

/**
 * The live heap after each stage of one poll of one feed, each stage kept while the next is built
 * (docs/benchmarks.md, "Poller memory per poll"). Run against the service jar:
 *
 * <pre>
 * javac -cp wire-ingest.jar -d classes ParseStages.java
 * java -Xmx1g -XX:+UseParallelGC -cp wire-ingest.jar:classes ParseStages feeds.yaml f00.xml
 * java -Xmx80m -XX:+UseG1GC -cp wire-ingest.jar:classes ParseStages feeds.yaml f00.xml parseonly
 * </pre>
 *
 * The first source of feeds.yaml gives the feed; "parseonly" parses and stops (to find the
 * smallest heap a parse completes in).
 */
public class ParseStages {
  static long used() {
    for (int i = 0; i < 3; i++) System.gc();
    Runtime r = Runtime.getRuntime();
    return r.totalMemory() - r.freeMemory();
  }
  static long last;
  static void step(String what) {
    long u = used();
    System.out.printf(Locale.ROOT, "%-48s used %7.1f MB  delta %+7.1f MB%n", what, u / 1e6, (u - last) / 1e6);
    last = u;
  }
  public static void main(String[] a) throws Exception {
    FeedSource source = FeedsConfig.load(Path.of(a[0])).get(0);
    Path file = Path.of(a[1]);
    String mode = a.length > 2 ? a[2] : "stages";
    last = used();
    step("baseline");
    byte[] body = Files.readAllBytes(file);
    step("body byte[] (" + body.length + " bytes)");
    if (mode.equals("parseonly")) {
      ParseResult r = new FeedParser().parse(body, "application/rss+xml");
      step("parsed " + (r instanceof ParseResult.Parsed));
      return;
    }
    String text = new String(body, StandardCharsets.UTF_8);
    step("decoded text String");
    Document doc = new SAXBuilder().build(new StringReader(text));
    step("JDOM Document (text kept)");
    WireFeed wf = new WireFeedInput().build(doc);
    step("Rome WireFeed (document kept)");
    SyndFeed sf = new SyndFeedImpl(wf, true);
    step("Rome SyndFeed (all kept)");
    text = null; doc = null; wf = null; sf = null;
    step("text, document, Rome dropped");
    ParseResult r = new FeedParser().parse(body, "application/rss+xml");
    ParsedFeed feed = ((ParseResult.Parsed) r).feed();
    r = null;
    step("ParsedFeed (" + feed.entries().size() + " entries)");
    FetchLogRecord.Body stored = FetchLogBodies.capture(body, FetchLogBodies.DEFAULT_MAX_COMPRESSED_BYTES);
    step("fetch-log body: omitted=" + stored.omitted() + " frame=" + stored.compressedBytes());
    Instant now = Instant.now();
    RawWireItem.Fetch fetch = new RawWireItem.Fetch(now, source.url().toString(), 200, null, null, "application/rss+xml", Hashes.sha256Hex(body));
    FeedState state = FeedState.initial(source.id(), source.url().toString());
    RawItems.Plan plan = RawItems.plan(source, fetch, feed, state, now);
    step("RawItems.Plan (" + plan.toPublish().size() + " items)");
    List<byte[]> json = new ArrayList<>();
    long total = 0;
    for (RawWireItem item : plan.toPublish()) {
      KafkaPollSink.RawRecord rec = KafkaPollSink.rawRecord(item, "t", now);
      byte[] v = ((KafkaPollSink.RawRecord.Fits) rec).value();
      json.add(v); total += v.length;
    }
    step("raw items' JSON (" + total + " bytes)");
    json = null;
    step("raw items' JSON dropped");
    FeedState next = state.withParsed(fetch.bodySha256(), plan.entries(), plan.firstSeen(), null, null, plan.identity().basis(), plan.identity().reason());
    byte[] stateJson = Json.MAPPER.writeValueAsBytes(next);
    step("feed state + its JSON (" + stateJson.length + " bytes)");
    body = null; feed = null; plan = null; stored = null; stateJson = null;
    step("all but the feed state dropped");
    int remembered = next.entries().size();
    next = null;
    step("feed state dropped (" + remembered + " entries remembered)");
  }
}
