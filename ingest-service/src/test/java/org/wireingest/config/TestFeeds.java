package org.wireingest.config;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Feed sources for tests: a builder whose defaults let a test state only what it cares about.
 * Public for the tests of other packages.
 *
 * <p>Defaults: name = id, agency {@code test}, url {@code https://example.org/<id>.xml}, interval 5
 * minutes, language {@code en}, identity {@link IdentityPolicy#AUTO}, no headers.
 */
public final class TestFeeds {

  private TestFeeds() {}

  /**
   * @param id the feed's id, also its default name and the last segment of its default url
   * @return a builder of a feed with the defaults above
   */
  public static Builder feed(String id) {
    return new Builder(
        id,
        id,
        "test",
        URI.create("https://example.org/" + id + ".xml"),
        Duration.ofMinutes(5),
        "en",
        IdentityPolicy.AUTO,
        Map.of());
  }

  /**
   * A feed served from a file: writes {@code <dir>/<id>.xml}, an RSS 2.0 document of one item (GUID
   * {@code <id>-1}), and returns a feed of it polled every 10 minutes.
   *
   * @param dir where the file goes
   * @param id the feed's id
   * @return the feed
   * @throws IOException when the file cannot be written
   */
  public static FeedSource oneItemFile(Path dir, String id) throws IOException {
    return oneItemFile(dir, id, Duration.ofMinutes(10));
  }

  /**
   * As {@link #oneItemFile(Path, String)}, polled every {@code interval}.
   *
   * @throws IOException when the file cannot be written
   */
  public static FeedSource oneItemFile(Path dir, String id, Duration interval) throws IOException {
    Path f =
        Files.writeString(
            dir.resolve(id + ".xml"),
            "<rss version=\"2.0\"><channel><title>t</title><link>https://example.org/</link><description>d</description>"
                + "<item><title>One</title><link>https://example.org/1</link><guid>"
                + id
                + "-1</guid></item></channel></rss>");
    return feed(id).url(f.toUri()).interval(interval).build();
  }

  /**
   * @param source the feed to copy
   * @return a builder of a feed equal to {@code source} until a setter changes it
   */
  public static Builder from(FeedSource source) {
    return new Builder(
        source.id(),
        source.name(),
        source.agency(),
        source.url(),
        source.interval(),
        source.language(),
        source.identity(),
        source.headers());
  }

  /** Builds one {@link FeedSource}; not thread-safe. */
  public static final class Builder {
    private final String id;
    private String name;
    private String agency;
    private URI url;
    private Duration interval;
    private String language;
    private IdentityPolicy identity;
    private Map<String, String> headers;

    private Builder(
        String id,
        String name,
        String agency,
        URI url,
        Duration interval,
        String language,
        IdentityPolicy identity,
        Map<String, String> headers) {
      this.id = Objects.requireNonNull(id, "id");
      this.name = name;
      this.agency = agency;
      this.url = url;
      this.interval = interval;
      this.language = language;
      this.identity = identity;
      this.headers = headers;
    }

    public Builder name(String name) {
      this.name = name;
      return this;
    }

    public Builder agency(String agency) {
      this.agency = agency;
      return this;
    }

    public Builder url(URI url) {
      this.url = url;
      return this;
    }

    /** The url {@code URI.create(url)}. */
    public Builder url(String url) {
      return url(URI.create(url));
    }

    public Builder interval(Duration interval) {
      this.interval = interval;
      return this;
    }

    /**
     * @param language a BCP 47 tag, or null for a feed that states none
     */
    public Builder language(String language) {
      this.language = language;
      return this;
    }

    public Builder identity(IdentityPolicy identity) {
      this.identity = identity;
      return this;
    }

    public Builder headers(Map<String, String> headers) {
      this.headers = headers;
      return this;
    }

    public FeedSource build() {
      return new FeedSource(id, name, agency, url, interval, language, identity, headers);
    }
  }
}
