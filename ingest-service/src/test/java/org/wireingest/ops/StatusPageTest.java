package org.wireingest.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.wireingest.config.FeedSource;
import org.wireingest.config.TestFeeds;
import org.wireingest.model.FeedState;

class StatusPageTest {

  static final Instant NOW = Instant.parse("2026-11-30T08:00:00Z");

  static FeedSource source(String id, String name) {
    return TestFeeds.feed(id)
        .name(name)
        .agency("trtworld")
        .url("https://www.trtworld.com/" + id + ".xml")
        .interval(Duration.ofMinutes(2))
        .build();
  }

  static FeedState failed(String id) {
    return FeedState.initial(id, source(id, id).url().toString()).toBuilder()
        .lastFetchAt(NOW.minusSeconds(60))
        .consecutiveErrors(2)
        .lastError("not-found: HTTP 404 <b>gone</b>")
        .nextPollAt(NOW.plusSeconds(240))
        .build();
  }

  @Test
  void shouldEscapeAScriptInAFeedName() {
    String html =
        StatusPage.render(
            List.of(FeedStatus.of(source("evil", "<script>alert('x')</script>"), null, NOW, 0, 0)),
            null,
            null,
            NOW,
            "bm9uY2U=");

    assertThat(html)
        .doesNotContain("<script>alert")
        .contains("&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt;");
    Document doc = Jsoup.parse(html);
    assertThat(doc.select("script")).hasSize(1);
    assertThat(doc.selectFirst("tr.feed .name").text()).isEqualTo("<script>alert('x')</script>");
  }

  @Test
  void shouldEscapeTheLastError() {
    String html =
        StatusPage.render(
            List.of(FeedStatus.of(source("gone", "Gone"), failed("gone"), NOW, 0, 0)),
            null,
            null,
            NOW,
            "bm9uY2U=");

    assertThat(Jsoup.parse(html).select("tr.feed b")).isEmpty();
    assertThat(Jsoup.parse(html).selectFirst("tr.feed .error").text())
        .isEqualTo("not-found: HTTP 404 <b>gone</b>");
  }

  @Test
  void shouldShowEachFeedWithItsStateAsTextAndClass() {
    List<FeedStatus> feeds =
        List.of(
            FeedStatus.of(source("pending-one", "Pending"), null, NOW, 0, 0),
            FeedStatus.of(source("gone", "Gone"), failed("gone"), NOW, 0, 0));
    Document doc = Jsoup.parse(StatusPage.render(feeds, null, null, NOW, "bm9uY2U="));

    Element gone = doc.selectFirst("tr.feed[data-id=gone]");
    assertThat(gone.selectFirst(".state").text()).isEqualTo("failing");
    assertThat(gone.selectFirst(".state").hasClass("state-failing")).isTrue();
    assertThat(doc.selectFirst("tr.feed[data-id=pending-one] .state").text()).isEqualTo("pending");
    assertThat(doc.selectFirst("#summary").text()).isEqualTo("2 feeds · 1 failing · 1 pending");
  }

  @Test
  void shouldShowTimesRelativeToNowWithTheInstantInATooltip() {
    Document doc =
        Jsoup.parse(
            StatusPage.render(
                List.of(FeedStatus.of(source("gone", "Gone"), failed("gone"), NOW, 0, 0)),
                null,
                null,
                NOW,
                "bm9uY2U="));

    Element next = doc.selectFirst("tr.feed td[data-label=Next poll] time");
    assertThat(next.text()).isEqualTo("in 4 min");
    assertThat(next.attr("title")).isEqualTo("2026-11-30T08:04:00Z");
    assertThat(doc.selectFirst("tr.feed td[data-label=Last success]").text()).isEqualTo("never");
  }

  @Test
  void shouldSayWhichShareOfTheFeedsListAPollerShowsAndEscapeIt() {
    Document whole = Jsoup.parse(StatusPage.render(List.of(), null, null, NOW, "bm9uY2U="));
    Document share =
        Jsoup.parse(
            StatusPage.render(
                List.of(), "partitions [0, 3] <b>of</b> group", null, NOW, "bm9uY2U="));

    assertThat(whole.selectFirst("#scope")).isNull();
    assertThat(whole.body().text()).contains("No feeds configured.");
    assertThat(share.selectFirst("#scope").text()).isEqualTo("partitions [0, 3] <b>of</b> group");
    assertThat(share.select("#scope b")).isEmpty();
    assertThat(share.body().text())
        .contains("No feeds assigned to this process.")
        .doesNotContain("No feeds configured.");
  }

  @Test
  void shouldShowTheNormalizerWithItsCountsAndEscapedSourceIds() {
    NormalizerStatus running =
        new NormalizerStatus(
            "wire-ingest-normalizer",
            "RUNNING",
            2,
            2,
            1234L,
            5000,
            3700,
            120,
            1150,
            900,
            30,
            NOW.minusSeconds(20),
            NOW.minusSeconds(3600),
            "normalize: <Bad>Exception",
            Map.of("dw-all", 12L, "<img src=x>", 1L));
    Document doc =
        Jsoup.parse(
            StatusPage.render(
                List.of(),
                "This process runs the normalizer only: it polls no feeds.",
                running,
                NOW,
                "bm9uY2U="));

    Element section = doc.selectFirst("section#normalizer");
    assertThat(section.selectFirst(".state").text()).isEqualTo("RUNNING");
    assertThat(section.selectFirst(".state").hasClass("state-ok")).isTrue();
    assertThat(section.selectFirst("p.summary").text())
        .contains("2 of 2 stream threads running")
        .contains("consumer lag 1,234 records");
    assertThat(section.select("dl.counts div").eachText())
        .contains(
            "Raw records 5,000",
            "Articles 3,700 created · 120 updated",
            "Duplicates 1,150 (900 found without normalising)",
            "Dead letters 30",
            "Last article 20 s ago",
            "Last dead letter 1 h ago · normalize: <Bad>Exception");
    assertThat(section.select("dl .error b, dl Bad")).isEmpty();
    assertThat(section.selectFirst("details summary").text())
        .isEqualTo("Articles by source, last 24 h (2 sources)");
    assertThat(section.select("table.sources tbody tr").eachText())
        .containsExactly("<img src=x> 1", "dw-all 12");
    assertThat(section.select("img")).isEmpty();
    assertThat(doc.body().text()).contains("No feeds assigned to this process.");
  }

  @Test
  void shouldMarkANormalizerThatIsNotProcessing() {
    NormalizerStatus starting =
        new NormalizerStatus(
            "n",
            NormalizerStatus.STARTING,
            0,
            0,
            null,
            0,
            0,
            0,
            0,
            0,
            0,
            null,
            null,
            null,
            Map.of());
    NormalizerStatus rebalancing =
        new NormalizerStatus(
            "n", "RUNNING", 2, 1, 0L, 0, 0, 0, 0, 0, 0, null, null, null, Map.of());
    NormalizerStatus failed =
        new NormalizerStatus(
            "n",
            "ERROR",
            2,
            0,
            NormalizerStatus.lagRecords(Double.NaN),
            0,
            0,
            0,
            0,
            0,
            0,
            null,
            null,
            null,
            Map.of());

    Element s =
        Jsoup.parse(StatusPage.render(List.of(), null, starting, NOW, "bm9uY2U="))
            .selectFirst("section#normalizer");
    assertThat(s.selectFirst(".state").hasClass("state-pending")).isTrue();
    assertThat(s.selectFirst("p.summary").text())
        .isEqualTo("STARTING · consumer lag not known yet · application id n");
    assertThat(s.select("dl.counts div").eachText())
        .contains("Last article never", "Last dead letter never");
    assertThat(
            Jsoup.parse(StatusPage.render(List.of(), null, rebalancing, NOW, "bm9uY2U="))
                .selectFirst("#normalizer .state")
                .hasClass("state-pending"))
        .isTrue();
    assertThat(
            Jsoup.parse(StatusPage.render(List.of(), null, failed, NOW, "bm9uY2U="))
                .selectFirst("#normalizer .state")
                .hasClass("state-failing"))
        .isTrue();
    assertThat(failed.consumerLagRecords()).isNull();
    assertThat(
            Jsoup.parse(StatusPage.render(List.of(), null, null, NOW, "bm9uY2U="))
                .selectFirst("#normalizer"))
        .isNull();
  }

  @Test
  void shouldPutTheNonceOnTheInlineScriptAndReloadPeriodically() {
    Document doc = Jsoup.parse(StatusPage.render(List.of(), null, null, NOW, "bm9uY2U="));

    assertThat(doc.selectFirst("script").attr("nonce")).isEqualTo("bm9uY2U=");
    assertThat(doc.selectFirst("script").data())
        .contains("location.reload()")
        .contains(Integer.toString(StatusPage.REFRESH_SECONDS * 1000));
    assertThat(doc.selectFirst("meta[name=viewport]")).isNotNull();
  }

  @Test
  void shouldWriteDurationsAsPeopleReadThem() {
    assertThat(StatusPage.human(Duration.ofSeconds(40))).isEqualTo("40 s");
    assertThat(StatusPage.human(Duration.ofMinutes(125))).isEqualTo("2 h 5 min");
    assertThat(StatusPage.human(Duration.ofHours(76))).isEqualTo("3 d 4 h");
    assertThat(StatusPage.relative(NOW.minusSeconds(180), NOW)).isEqualTo("3 min ago");
  }

  @Test
  void shouldTellWhereAFeedMovedPermanentlyEscapingTheUrl() {
    FeedSource source = source("moved", "Moved");
    FeedState state =
        FeedState.initial("moved", "https://www.trtworld.com/moved.xml").toBuilder()
            .lastFetchAt(NOW)
            .lastSuccessAt(NOW)
            .lastNewEntryAt(NOW)
            .nextPollAt(NOW.plusSeconds(60))
            .movedTo("https://feeds.trtworld.com/rss.xml?a=1&b=<i>2</i>")
            .movedSince(NOW.minus(Duration.ofHours(3)))
            .build();
    List<FeedStatus> feeds =
        List.of(
            FeedStatus.of(source, state, NOW, 0, 0),
            FeedStatus.of(source("other", "Other"), null, NOW, 0, 0));

    Document doc = Jsoup.parse(StatusPage.render(feeds, null, null, NOW, "bm9uY2U="));

    Element moved = doc.selectFirst("tr.feed[data-id=moved] .moved");
    assertThat(moved.text())
        .isEqualTo(
            "moved permanently to https://feeds.trtworld.com/rss.xml?a=1&b=<i>2</i> 3 h ago: give the new URL in the feeds list");
    assertThat(moved.select("i")).isEmpty();
    assertThat(moved.selectFirst("time").attr("datetime")).isEqualTo("2026-11-30T05:00:00Z");
    assertThat(doc.select("tr.feed[data-id=other] .moved")).isEmpty();
  }

  @Test
  void shouldSayWhenAFeedsDocumentsComeCutOff() {
    FeedState polled = PollMetricsTest.state(NOW, NOW, 0);
    List<FeedStatus> feeds =
        List.of(
            FeedStatus.of(
                source("cut", "Cut"),
                polled
                    .recordedAt("https://www.trtworld.com/cut.xml")
                    .withTruncatedSince(NOW.minus(Duration.ofHours(2))),
                NOW,
                0,
                0),
            FeedStatus.of(
                source("other", "Other"),
                polled.recordedAt("https://www.trtworld.com/other.xml"),
                NOW,
                0,
                0));

    Document doc = Jsoup.parse(StatusPage.render(feeds, null, null, NOW, "bm9uY2U="));

    assertThat(doc.selectFirst("tr.feed[data-id=cut] .state").text()).isEqualTo("truncated");
    assertThat(doc.selectFirst("tr.feed[data-id=cut] .truncated").text())
        .isEqualTo("document cut off before its end 2 h ago: entries past the cut are lost");
    assertThat(doc.select("tr.feed[data-id=other] .truncated")).isEmpty();
    assertThat(doc.selectFirst("tr.feed[data-id=other] .state").text()).isEqualTo("ok");
  }

  // Found in an ops test: during a broker outage the status page showed a running normalizer and
  // feeds "ok" while /health/ready answered 503.
  @Test
  void shouldSayAboveEverythingWhenTheProcessIsNotReady() {
    Readiness.Report down =
        new Readiness.Report(
            false,
            List.of(
                new Readiness.Check(
                    "broker", false, "no answer from localhost:9092 within 2 s <x>"),
                new Readiness.Check("topics", true, "5 topics")));

    Document doc = Jsoup.parse(StatusPage.render(List.of(), null, null, down, NOW, "bm9uY2U="));
    Document ready =
        Jsoup.parse(
            StatusPage.render(
                List.of(), null, null, new Readiness.Report(true, List.of()), NOW, "bm9uY2U="));

    assertThat(doc.selectFirst("#not-ready").text())
        .isEqualTo(
            "Not ready (health/ready answers 503): broker: no answer from localhost:9092 within 2 s <x>. The states below may be out of date.");
    assertThat(ready.select("#not-ready")).isEmpty();
  }
}
