package org.wireingest.dedup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.text.Normalizer;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.wireingest.model.ArticleEvent;
import org.wireingest.model.StorySignature;

class NearDuplicatesTest {

  private static final Instant NOW = Instant.parse("2026-11-30T08:00:00Z");

  static final String LEAD =
      "Turkish and Azerbaijani officials opened a new rail link between Kars and Nakhchivan on Monday, "
          + "cutting the journey for freight from three days to eleven hours, the transport ministry said in a statement.";

  static ArticleEvent story(String uri, String headline, String summary, String bodyText) {
    return new ArticleEvent(
        uri,
        1,
        "created",
        "usable",
        "text",
        NOW,
        NOW,
        "en",
        headline,
        null,
        summary,
        bodyText,
        null,
        List.of(),
        List.of(),
        null,
        null,
        "f".repeat(64),
        new ArticleEvent.Source("s", "S", "a", "https://example.org/feed"),
        NOW,
        null,
        List.of());
  }

  @Test
  void shouldGiveTheSameLeadUnderAnotherHeadlineASimilarityAboveTheThreshold() {
    byte[] aa =
        NearDuplicates.signature(
            story(
                "urn:wire:aa:1", "Türkiye, Azerbaijan open Kars-Nakhchivan rail link", LEAD, null));
    byte[] trt =
        NearDuplicates.signature(
            story("urn:wire:trtworld:1", "New rail link joins Kars and Nakhchivan", LEAD, null));

    assertThat(NearDuplicates.similarity(aa, trt)).isGreaterThanOrEqualTo(NearDuplicates.THRESHOLD);
  }

  @Test
  void shouldFindTheSummaryOfOneAgencyInTheBodyOfAnother() {
    byte[] teaser = NearDuplicates.signature(story("urn:wire:aa:1", "Rail link opens", LEAD, null));
    byte[] full =
        NearDuplicates.signature(
            story(
                "urn:wire:dw:1",
                "Rail link opens",
                "short teaser",
                LEAD
                    + " The line is part of the Middle Corridor linking China and Europe. Officials expect traffic to double by 2030."));

    assertThat(NearDuplicates.similarity(teaser, full))
        .isGreaterThanOrEqualTo(NearDuplicates.THRESHOLD);
  }

  @Test
  void shouldKeepUnrelatedStoriesApart() {
    byte[] rail = NearDuplicates.signature(story("urn:wire:aa:1", "Rail link opens", LEAD, null));
    byte[] other =
        NearDuplicates.signature(
            story(
                "urn:wire:bbc:1",
                "Floods hit northern Italy",
                "Heavy rain caused rivers to burst their banks across Emilia-Romagna on Monday, forcing thousands of residents "
                    + "to leave their homes as rescue teams searched for people missing in the floods.",
                null));

    assertThat(NearDuplicates.similarity(rail, other)).isLessThan(0.2);
  }

  @Test
  void shouldGiveNoSignatureToATextTooShortToCompare() {
    assertThat(
            NearDuplicates.signature(
                story("urn:wire:aa:1", "Breaking", "Explosion reported in city centre", null)))
        .isNull();
  }

  @Test
  void shouldBeDeterministicAcrossCalls() {
    ArticleEvent e = story("urn:wire:aa:1", "Rail link opens", LEAD, null);

    assertThat(NearDuplicates.signature(e))
        .hasSize(NearDuplicates.SIGNATURE_BYTES)
        .isEqualTo(NearDuplicates.signature(e));
  }

  @Test
  void shouldReadEachHanCharacterAsAWord() {
    // Chinese has no spaces: read as one "word" the whole sentence would leave no shingles to
    // compare.
    String zh = "土耳其和阿塞拜疆官员周一开通了卡尔斯至纳希切万的新铁路线货运时间从三天缩短至十一小时";
    byte[] a = NearDuplicates.signature(story("urn:wire:dw:1", "新铁路线开通", zh, null));
    byte[] b = NearDuplicates.signature(story("urn:wire:dw:2", "铁路线开通", zh, null));

    assertThat(a).isNotNull();
    assertThat(NearDuplicates.similarity(a, b)).isGreaterThanOrEqualTo(NearDuplicates.THRESHOLD);
  }

  @Test
  void shouldReadAnAccentWrittenAsACombiningMarkAsTheSameWord() {
    // regression: "cafe" + U+0301 lost its accent (the mark was dropped) while "café" kept it
    String composed =
        "Le café de la gare rouvre ses portes après deux ans de travaux, a annoncé la mairie de Besançon lundi.";
    String decomposed = Normalizer.normalize(composed, Normalizer.Form.NFD);
    byte[] a = NearDuplicates.signature(story("urn:wire:afp:1", "Café", composed, null));
    byte[] b = NearDuplicates.signature(story("urn:wire:afp:2", "Café", decomposed, null));

    assertThat(NearDuplicates.similarity(a, b)).isEqualTo(1.0);
  }

  @Test
  void shouldReadAWordWithSoftHyphensOrBidiMarksAsTheSameWord() {
    // Regression: characters that show nothing ended a word, so a German agency's copy hyphenated
    // by its CMS (Bundes&shy;regierung, Haushalts&shy;entwurf, ...) had a similarity of 0.17 to the
    // same lead without them, and a copy with bidirectional marks inside words missed too.
    String lead =
        "Die Bundesregierung hat am Mittwoch den Haushaltsentwurf beschlossen. Der Finanzminister"
            + " sprach von einem Sparhaushalt, der Investitionen in Infrastruktur und Verteidigung"
            + " vorsieht, während Sozialausgaben gekürzt werden sollen.";
    String hyphenated = lead;
    for (String word :
        List.of(
            "Bundes|regierung",
            "Haushalts|entwurf",
            "Finanz|minister",
            "Investi|tionen",
            "Infra|struktur",
            "Vertei|digung",
            "Sozial|ausgaben")) {
      hyphenated = hyphenated.replace(word.replace("|", ""), word.replace("|", "\u00AD"));
    }
    String headline = "Kabinett beschließt Haushalt";
    byte[] plain = NearDuplicates.signature(story("urn:wire:dpa:1", headline, lead, null));
    byte[] soft = NearDuplicates.signature(story("urn:wire:afp:1", headline, hyphenated, null));
    String marked = lead.replace("ei", "e\u200Ei").replace("ung", "u\u200Fng");
    byte[] bidi = NearDuplicates.signature(story("urn:wire:aa:1", headline, marked, null));

    assertThat(NearDuplicates.similarity(plain, soft)).isEqualTo(1.0);
    assertThat(NearDuplicates.similarity(plain, bidi)).isEqualTo(1.0);
  }

  @Test
  void shouldSeparateWordsAtAZeroWidthSpace() {
    String spaced = "one two three four five six seven eight nine ten eleven twelve thirteen";
    byte[] a = NearDuplicates.signature(story("urn:wire:x:1", "", spaced, null));
    byte[] b =
        NearDuplicates.signature(story("urn:wire:x:2", "", spaced.replace(' ', '\u200B'), null));

    assertThat(NearDuplicates.similarity(a, b)).isEqualTo(1.0);
  }

  @Test
  void shouldKeepDevanagariVowelSignsInTheirWords() {
    // regression: vowel signs (Mc) ended a word and (Mn) were dropped, so an 8-word sentence
    // counted as more than 12 words, and words differing only in a vowel sign were equal
    assertThat(
            NearDuplicates.signature(
                story("urn:wire:x:1", "", "सरकार ने कहा कि नई रेल लाइन अगले", null)))
        .isNull();
    String a = "सरकार ने कहा कि नई रेल लाइन अगले साल तक तैयार हो जाएगी और यात्री इससे लाभ उठाएंगे";
    String b = "सरकार ने कहे कि नई रेल लाइन अगले साल तक तैयार हो जाएगा और यात्री इससे लाभ उठाएंगी";
    byte[] sa = NearDuplicates.signature(story("urn:wire:x:1", "", a, null));
    byte[] sb = NearDuplicates.signature(story("urn:wire:x:2", "", b, null));

    assertThat(NearDuplicates.similarity(sa, sb)).isLessThan(1.0);
  }

  @Test
  void shouldIgnoreCaseAndPunctuation() {
    byte[] a = NearDuplicates.signature(story("urn:wire:aa:1", "Rail link opens", LEAD, null));
    byte[] b =
        NearDuplicates.signature(
            story(
                "urn:wire:aa:2",
                "RAIL LINK OPENS!",
                LEAD.toUpperCase(Locale.ROOT).replace(",", " ;"),
                null));

    assertThat(NearDuplicates.similarity(a, b)).isEqualTo(1.0);
  }

  @Test
  void shouldJoinTheClusterOfTheMostSimilarCandidate() {
    byte[] sig =
        NearDuplicates.signature(story("urn:wire:trtworld:1", "Rail link opens", LEAD, null));
    byte[] near =
        NearDuplicates.signature(story("urn:wire:aa:1", "Rail link opens today", LEAD, null));
    byte[] far =
        NearDuplicates.signature(
            story(
                "urn:wire:dw:1",
                "Something else",
                LEAD.substring(0, 60) + " and then a wholly different account of other events",
                null));
    StorySignature aa =
        new StorySignature("urn:wire:aa:1", "urn:wire:cluster:" + "a".repeat(32), near, NOW);
    StorySignature dw =
        new StorySignature("urn:wire:dw:1", "urn:wire:cluster:" + "d".repeat(32), far, NOW);

    ArticleEvent.Cluster c = NearDuplicates.cluster("urn:wire:trtworld:1", sig, List.of(dw, aa));

    assertThat(c.id()).isEqualTo(aa.clusterId());
    assertThat(c.nearDuplicateOf()).isEqualTo("urn:wire:aa:1");
    assertThat(c.similarity()).isBetween(NearDuplicates.THRESHOLD, 1.0);
  }

  @Test
  void shouldStartItsOwnClusterWhenNoCandidateIsNearEnough() {
    byte[] sig =
        NearDuplicates.signature(story("urn:wire:trtworld:1", "Rail link opens", LEAD, null));
    byte[] other =
        NearDuplicates.signature(
            story(
                "urn:wire:bbc:1",
                "Floods",
                "Heavy rain caused rivers to burst their banks across the region on Monday, forcing thousands to leave",
                null));

    ArticleEvent.Cluster c =
        NearDuplicates.cluster(
            "urn:wire:trtworld:1",
            sig,
            List.of(
                new StorySignature(
                    "urn:wire:bbc:1", "urn:wire:cluster:" + "b".repeat(32), other, NOW)));

    assertThat(c)
        .isEqualTo(
            new ArticleEvent.Cluster(
                NearDuplicates.clusterIdOf("urn:wire:trtworld:1"), null, null));
    assertThat(c.id()).matches("urn:wire:cluster:[0-9a-f]{32}");
  }

  @Test
  void shouldNotJoinItsOwnIndexEntry() {
    byte[] sig = NearDuplicates.signature(story("urn:wire:aa:1", "Rail link opens", LEAD, null));

    ArticleEvent.Cluster c =
        NearDuplicates.cluster(
            "urn:wire:aa:1",
            sig,
            List.of(
                new StorySignature(
                    "urn:wire:aa:1", "urn:wire:cluster:" + "c".repeat(32), sig, NOW)));

    assertThat(c.nearDuplicateOf()).isNull();
  }

  @Test
  void shouldPreferTheEarlierIndexedStoryOnATie() {
    byte[] sig =
        NearDuplicates.signature(story("urn:wire:trtworld:1", "Rail link opens", LEAD, null));
    StorySignature later =
        new StorySignature(
            "urn:wire:aa:1", "urn:wire:cluster:" + "a".repeat(32), sig, NOW.plusSeconds(5));
    StorySignature earlier =
        new StorySignature("urn:wire:dw:1", "urn:wire:cluster:" + "d".repeat(32), sig, NOW);

    assertThat(
            NearDuplicates.cluster("urn:wire:trtworld:1", sig, List.of(later, earlier))
                .nearDuplicateOf())
        .isEqualTo("urn:wire:dw:1");
  }

  @Test
  void shouldCutASignatureIntoItsBands() {
    byte[] sig = NearDuplicates.signature(story("urn:wire:aa:1", "Rail link opens", LEAD, null));

    long[] bands = NearDuplicates.bandKeys(sig);

    assertThat(bands).hasSize(NearDuplicates.BANDS).doesNotHaveDuplicates();
    assertThat(bands[0] >>> 48).isZero();
    assertThat(bands[15] >>> 48).isEqualTo(15);
    assertThat(bands[0] & 0xFFFF_FFFF_FFFFL)
        .isEqualTo(
            ((sig[0] & 0xFFL) << 40)
                | ((sig[1] & 0xFFL) << 32)
                | ((sig[2] & 0xFFL) << 24)
                | ((sig[3] & 0xFFL) << 16)
                | ((sig[4] & 0xFFL) << 8)
                | (sig[5] & 0xFFL));
    assertThatThrownBy(() -> NearDuplicates.bandKeys(new byte[3]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
