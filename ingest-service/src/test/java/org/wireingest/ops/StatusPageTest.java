package org.wireingest.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.wireingest.config.FeedSource;
import org.wireingest.config.IdentityPolicy;
import org.wireingest.model.FeedState;

class StatusPageTest {

  static final Instant NOW = Instant.parse("2026-11-30T08:00:00Z");

  static FeedSource source(String id, String name) {
    return new FeedSource(id, name, "trtworld", URI.create("https://www.trtworld.com/" + id + ".xml"), Duration.ofMinutes(2), "en", IdentityPolicy.AUTO, Map.of());
  }

  static FeedState failed(String id) {
    return new FeedState(id, "u", null, null, null, Map.of(), Map.of(), NOW.minusSeconds(60), null, null, 2, "not-found: HTTP 404 <b>gone</b>", NOW.plusSeconds(240));
  }

  @Test
  void shouldEscapeAScriptInAFeedName() {
    String html = StatusPage.render(List.of(FeedStatus.of(source("evil", "<script>alert('x')</script>"), null, NOW, 0, 0)), null, NOW, "bm9uY2U=");

    assertThat(html).doesNotContain("<script>alert").contains("&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt;");
    Document doc = Jsoup.parse(html);
    assertThat(doc.select("script")).hasSize(1);
    assertThat(doc.selectFirst("tr.feed .name").text()).isEqualTo("<script>alert('x')</script>");
  }

  @Test
  void shouldEscapeTheLastError() {
    String html = StatusPage.render(List.of(FeedStatus.of(source("gone", "Gone"), failed("gone"), NOW, 0, 0)), null, NOW, "bm9uY2U=");

    assertThat(Jsoup.parse(html).select("tr.feed b")).isEmpty();
    assertThat(Jsoup.parse(html).selectFirst("tr.feed .error").text()).isEqualTo("not-found: HTTP 404 <b>gone</b>");
  }

  @Test
  void shouldShowEachFeedWithItsStateAsTextAndClass() {
    List<FeedStatus> feeds = List.of(FeedStatus.of(source("pending-one", "Pending"), null, NOW, 0, 0), FeedStatus.of(source("gone", "Gone"), failed("gone"), NOW, 0, 0));
    Document doc = Jsoup.parse(StatusPage.render(feeds, null, NOW, "bm9uY2U="));

    Element gone = doc.selectFirst("tr.feed[data-id=gone]");
    assertThat(gone.selectFirst(".state").text()).isEqualTo("failing");
    assertThat(gone.selectFirst(".state").hasClass("state-failing")).isTrue();
    assertThat(doc.selectFirst("tr.feed[data-id=pending-one] .state").text()).isEqualTo("pending");
    assertThat(doc.selectFirst("#summary").text()).isEqualTo("2 feeds · 1 failing · 1 pending");
  }

  @Test
  void shouldShowTimesRelativeToNowWithTheInstantInATooltip() {
    Document doc = Jsoup.parse(StatusPage.render(List.of(FeedStatus.of(source("gone", "Gone"), failed("gone"), NOW, 0, 0)), null, NOW, "bm9uY2U="));

    Element next = doc.selectFirst("tr.feed td[data-label=Next poll] time");
    assertThat(next.text()).isEqualTo("in 4 min");
    assertThat(next.attr("title")).isEqualTo("2026-11-30T08:04:00Z");
    assertThat(doc.selectFirst("tr.feed td[data-label=Last success]").text()).isEqualTo("never");
  }

  @Test
  void shouldSayWhichShareOfTheFeedsListAPollerShowsAndEscapeIt() {
    Document whole = Jsoup.parse(StatusPage.render(List.of(), null, NOW, "bm9uY2U="));
    Document share = Jsoup.parse(StatusPage.render(List.of(), "partitions [0, 3] <b>of</b> group", NOW, "bm9uY2U="));

    assertThat(whole.selectFirst("#scope")).isNull();
    assertThat(whole.body().text()).contains("No feeds configured.");
    assertThat(share.selectFirst("#scope").text()).isEqualTo("partitions [0, 3] <b>of</b> group");
    assertThat(share.select("#scope b")).isEmpty();
    assertThat(share.body().text()).contains("No feeds assigned to this process.").doesNotContain("No feeds configured.");
  }

  @Test
  void shouldPutTheNonceOnTheInlineScriptAndReloadPeriodically() {
    Document doc = Jsoup.parse(StatusPage.render(List.of(), null, NOW, "bm9uY2U="));

    assertThat(doc.selectFirst("script").attr("nonce")).isEqualTo("bm9uY2U=");
    assertThat(doc.selectFirst("script").data()).contains("location.reload()").contains(Integer.toString(StatusPage.REFRESH_SECONDS * 1000));
    assertThat(doc.selectFirst("meta[name=viewport]")).isNotNull();
  }

  @Test
  void shouldWriteDurationsAsPeopleReadThem() {
    assertThat(StatusPage.human(Duration.ofSeconds(40))).isEqualTo("40 s");
    assertThat(StatusPage.human(Duration.ofMinutes(125))).isEqualTo("2 h 5 min");
    assertThat(StatusPage.human(Duration.ofHours(76))).isEqualTo("3 d 4 h");
    assertThat(StatusPage.relative(NOW.minusSeconds(180), NOW)).isEqualTo("3 min ago");
  }
}
