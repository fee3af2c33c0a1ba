package org.wireingest.dedup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.wireingest.model.Hashes;
import org.wireingest.model.RawWireItem.Identity;

class ArticleUriTest {

  private static final Identity GUID =
      new Identity("guid", "https://www.trtworld.com/article/18234");

  @Test
  void shouldBuildUrnFromAgencyAndIdentityHash() {
    assertThat(ArticleUri.of("trtworld", GUID))
        .isEqualTo(
            "urn:wire:trtworld:"
                + Hashes.sha256Hex("guid:https://www.trtworld.com/article/18234").substring(0, 32))
        .matches("urn:wire:trtworld:[0-9a-f]{32}");
  }

  @Test
  void shouldGiveSameUriForSameGuidInTwoFeedsOfOneAgency() {
    Identity fromWorldFeed = new Identity("guid", "https://www.trtworld.com/article/18234");
    Identity fromTurkeyFeed = new Identity("guid", "https://www.trtworld.com/article/18234");
    assertThat(ArticleUri.of("trtworld", fromWorldFeed))
        .isEqualTo(ArticleUri.of("trtworld", fromTurkeyFeed));
  }

  @Test
  void shouldGiveDifferentUrisToDifferentAgencies() {
    assertThat(ArticleUri.of("trtworld", GUID)).isNotEqualTo(ArticleUri.of("anadolu", GUID));
  }

  @Test
  void shouldGiveDifferentUrisToSameValueUnderDifferentBases() {
    Identity asLink = new Identity("link", GUID.value());
    assertThat(ArticleUri.of("trtworld", GUID)).isNotEqualTo(ArticleUri.of("trtworld", asLink));
  }

  @Test
  void shouldShareItsHashWithTheItemKey() {
    assertThat(ArticleUri.of("trtworld", GUID)).endsWith(":" + Digests.identityHash(GUID));
  }

  @Test
  void shouldRejectInvalidAgencyId() {
    assertThatThrownBy(() -> ArticleUri.of("TRT World", GUID))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TRT World");
  }
}
