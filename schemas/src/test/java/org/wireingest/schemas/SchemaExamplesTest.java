package org.wireingest.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every schema under {@code /schemas} is a well-formed JSON Schema 2020-12 document that follows
 * the project's conventions, accepts each of its {@code examples/<name>/valid/*.json} and rejects
 * each of its {@code examples/<name>/invalid/*.json} for exactly one reason (the rule the file is
 * named after).
 */
class SchemaExamplesTest {

  private static final String ID_BASE = "https://wire-ingest.org/schemas/";

  @Test
  void shouldShipOneSchemaPerTopicValue() {
    assertThat(SchemaFiles.schemaNames())
        .containsExactly(
            "article.schema.json",
            "dead-letter.schema.json",
            "feed-state.schema.json",
            "fetch-log.schema.json",
            "raw-item.schema.json",
            "story-signature.schema.json");
  }

  @TestFactory
  Stream<DynamicTest> shouldBeValidAgainstTheDraft202012MetaSchema() {
    JsonSchema metaSchema = SchemaFiles.metaSchema();
    return SchemaFiles.schemaNames().stream()
        .map(
            name ->
                DynamicTest.dynamicTest(
                    name,
                    () ->
                        assertThat(SchemaFiles.errors(metaSchema, SchemaFiles.read(name)))
                            .as(name)
                            .isEmpty()));
  }

  @Test
  void shouldRejectASchemaThatBreaksTheMetaSchema() throws Exception {
    JsonNode broken =
        new ObjectMapper().readTree("{\"type\": \"strng\", \"pattern\": \"[unclosed\"}");

    assertThat(SchemaFiles.errors(SchemaFiles.metaSchema(), broken))
        .anySatisfy(message -> assertThat(message).startsWith("/type:"))
        .anySatisfy(
            message -> assertThat(message).startsWith("/pattern:").contains("regular expression"));
  }

  @TestFactory
  Stream<DynamicTest> shouldDeclareDialectIdTitleAndDescription() {
    return SchemaFiles.schemaNames().stream()
        .map(
            name ->
                DynamicTest.dynamicTest(
                    name,
                    () -> {
                      JsonNode schema = SchemaFiles.read(name);
                      assertThat(schema.path("$schema").asText())
                          .isEqualTo("https://json-schema.org/draft/2020-12/schema");
                      assertThat(schema.path("$id").asText()).isEqualTo(ID_BASE + name);
                      assertThat(schema.path("title").asText()).isNotBlank();
                      assertThat(schema.path("description").asText()).isNotBlank();
                    }));
  }

  @TestFactory
  Stream<DynamicTest> shouldDescribeEveryProperty() {
    return SchemaFiles.schemaNames().stream()
        .map(
            name ->
                DynamicTest.dynamicTest(
                    name,
                    () ->
                        assertThat(undescribedProperties(SchemaFiles.read(name)))
                            .as(name)
                            .isEmpty()));
  }

  @TestFactory
  Stream<DynamicTest> shouldCloseEveryObjectThatListsItsProperties() {
    return SchemaFiles.schemaNames().stream()
        .map(
            name ->
                DynamicTest.dynamicTest(
                    name,
                    () -> assertThat(openObjects(SchemaFiles.read(name))).as(name).isEmpty()));
  }

  /**
   * Ajv's strict mode (strictRequired) refuses to compile a schema whose {@code required} names a
   * property that the same schema object's {@code properties} does not: a Node.js consumer's {@code
   * new Ajv2020({strict: true})} failed on article, dead-letter and fetch-log for a {@code
   * required} inside {@code if} / {@code then} / {@code not}.
   */
  @TestFactory
  Stream<DynamicTest> shouldNameEveryRequiredPropertyInTheSameSchemasProperties() {
    return SchemaFiles.schemaNames().stream()
        .map(
            name ->
                DynamicTest.dynamicTest(
                    name,
                    () ->
                        assertThat(requiredButNotListed(SchemaFiles.read(name)))
                            .as(name)
                            .isEmpty()));
  }

  @TestFactory
  Stream<DynamicTest> shouldHaveAtLeastTwoValidAndThreeInvalidExamples() {
    return SchemaFiles.schemaNames().stream()
        .map(
            name ->
                DynamicTest.dynamicTest(
                    name,
                    () -> {
                      assertThat(SchemaFiles.examples(name, "valid"))
                          .as("valid examples of " + name)
                          .hasSizeGreaterThanOrEqualTo(2);
                      assertThat(SchemaFiles.examples(name, "invalid"))
                          .as("invalid examples of " + name)
                          .hasSizeGreaterThanOrEqualTo(3);
                    }));
  }

  @TestFactory
  Stream<DynamicTest> shouldAcceptEveryValidExample() {
    return SchemaFiles.schemaNames().stream()
        .flatMap(
            name -> {
              JsonSchema schema = SchemaFiles.schema(name);
              return SchemaFiles.examples(name, "valid").stream()
                  .map(
                      example ->
                          DynamicTest.dynamicTest(
                              label(name, example),
                              () ->
                                  assertThat(SchemaFiles.errors(schema, SchemaFiles.read(example)))
                                      .isEmpty()));
            });
  }

  @TestFactory
  Stream<DynamicTest> shouldRejectEveryInvalidExampleForExactlyOneReason() {
    return SchemaFiles.schemaNames().stream()
        .flatMap(
            name -> {
              JsonSchema schema = SchemaFiles.schema(name);
              return SchemaFiles.examples(name, "invalid").stream()
                  .map(
                      example ->
                          DynamicTest.dynamicTest(
                              label(name, example),
                              () ->
                                  assertThat(SchemaFiles.errors(schema, SchemaFiles.read(example)))
                                      .hasSize(1)));
            });
  }

  private static String label(String schemaName, Path example) {
    return SchemaFiles.baseName(schemaName)
        + "/"
        + example.getParent().getFileName()
        + "/"
        + example.getFileName();
  }

  /**
   * @return what {@code check} finds in every JSON object of a schema, each given with its JSON
   *     pointer, depth first
   */
  private static List<String> everywhere(
      JsonNode node, String pointer, BiFunction<JsonNode, String, List<String>> check) {
    List<String> found = new ArrayList<>();
    if (node.isObject()) {
      found.addAll(check.apply(node, pointer));
      for (Map.Entry<String, JsonNode> child : node.properties()) {
        found.addAll(everywhere(child.getValue(), pointer + "/" + child.getKey(), check));
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        found.addAll(everywhere(node.get(i), pointer + "/" + i, check));
      }
    }
    return found;
  }

  /**
   * @return JSON pointers of the entries of every {@code properties} keyword that have no
   *     description
   */
  private static List<String> undescribedProperties(JsonNode schema) {
    return everywhere(
        schema,
        "#",
        (node, pointer) -> {
          List<String> missing = new ArrayList<>();
          for (Map.Entry<String, JsonNode> property : node.path("properties").properties()) {
            if (!property.getValue().path("description").isTextual()) {
              missing.add(pointer + "/properties/" + property.getKey());
            }
          }
          return missing;
        });
  }

  /**
   * @return JSON pointers ({@code <schema>/required/<name>}) of the names in a {@code required}
   *     that the schema object holding it does not list in its own {@code properties}
   */
  private static List<String> requiredButNotListed(JsonNode schema) {
    return everywhere(
        schema,
        "#",
        (node, pointer) -> {
          List<String> missing = new ArrayList<>();
          for (JsonNode required : node.path("required")) {
            if (!node.path("properties").has(required.asText())) {
              missing.add(pointer + "/required/" + required.asText());
            }
          }
          return missing;
        });
  }

  /**
   * @return JSON pointers of the object schemas ({@code "type": "object"} with {@code properties})
   *     that do not say {@code "additionalProperties": false}
   */
  private static List<String> openObjects(JsonNode schema) {
    return everywhere(
        schema,
        "#",
        (node, pointer) -> {
          JsonNode additional = node.path("additionalProperties");
          boolean open =
              "object".equals(node.path("type").asText())
                  && node.has("properties")
                  && !(additional.isBoolean() && !additional.booleanValue());
          return open ? List.of(pointer) : List.of();
        });
  }
}
