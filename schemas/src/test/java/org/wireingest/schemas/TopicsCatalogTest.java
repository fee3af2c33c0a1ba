package org.wireingest.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import java.util.List;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@code /schemas/topics.json}, the catalogue of topic keys and values, agrees with itself and with
 * the value schemas: every value schema exists, every key example matches its key schema, and the
 * key patterns are the very patterns the value schemas use for the same strings.
 */
class TopicsCatalogTest {

  private static final JsonNode CATALOG = SchemaFiles.read("topics.json");

  @Test
  void shouldNameEverySchemaAsTheValueOfExactlyOneTopic() {
    assertThat(topics().map(t -> t.path("value").path("schema").asText()))
        .containsExactlyInAnyOrderElementsOf(SchemaFiles.schemaNames());
  }

  @TestFactory
  Stream<DynamicTest> shouldMatchEveryKeyExampleAgainstItsKeySchema() {
    return topics()
        .map(
            topic ->
                DynamicTest.dynamicTest(
                    topic.path("defaultName").asText(),
                    () -> {
                      JsonSchema keySchema =
                          SchemaFiles.inlineSchema(topic.path("key").path("schema"));
                      JsonNode examples = topic.path("key").path("examples");
                      assertThat(examples.size()).isPositive();
                      for (JsonNode example : examples) {
                        assertThat(SchemaFiles.errors(keySchema, example))
                            .as(example.toString())
                            .isEmpty();
                      }
                    }));
  }

  @Test
  void shouldKeyRawItemsLikeTheArticleLineageKey() {
    assertThat(keyPattern("wire.raw-items.v1"))
        .isEqualTo(valuePattern("article.schema.json", "/$defs/lineage/properties/key/pattern"));
  }

  @Test
  void shouldKeyArticlesByTheirUri() {
    assertThat(keyPattern("wire.articles.v1"))
        .isEqualTo(valuePattern("article.schema.json", "/properties/uri/pattern"));
  }

  @Test
  void shouldKeyFeedStateAndFetchLogBySourceId() {
    assertThat(keyPattern("wire.feed-state.v1"))
        .isEqualTo(valuePattern("feed-state.schema.json", "/properties/sourceId/pattern"));
    assertThat(keyPattern("wire.fetch-log.v1"))
        .isEqualTo(valuePattern("fetch-log.schema.json", "/properties/sourceId/pattern"));
  }

  private static Stream<JsonNode> topics() {
    return StreamSupport.stream(CATALOG.path("topics").spliterator(), false);
  }

  private static String keyPattern(String defaultName) {
    List<JsonNode> matches =
        topics().filter(t -> t.path("defaultName").asText().equals(defaultName)).toList();
    assertThat(matches).as(defaultName).hasSize(1);
    return matches.get(0).path("key").path("schema").path("pattern").asText();
  }

  private static String valuePattern(String schemaName, String pointer) {
    String pattern = SchemaFiles.read(schemaName).at(pointer).asText();
    assertThat(pattern).as(schemaName + pointer).isNotEmpty();
    return pattern;
  }
}
