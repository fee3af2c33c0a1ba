package org.wireingest.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.wireingest.model.Json;

/**
 * Test assertions that an event value follows its topic's JSON Schema (draft 2020-12), as shipped
 * by the {@code wire-ingest-schemas} module on the classpath under {@code /schemas/}: {@code
 * article.schema.json}, {@code raw-item.schema.json}, {@code feed-state.schema.json}, {@code
 * dead-letter.schema.json}, {@code fetch-log.schema.json}, {@code story-signature.schema.json}.
 *
 * <p>A schema is named either by its file name ({@code article.schema.json}) or by its base name
 * ({@code article}). Format assertions are on, so {@code date-time} and {@code uri} values are
 * checked, not only annotated. Schemas are compiled once and cached; thread-safe.
 */
public final class SchemaAssert {

  private static final String SCHEMA_SUFFIX = ".schema.json";
  private static final JsonSchemaFactory FACTORY =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
  private static final SchemaValidatorsConfig CONFIG =
      SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
  private static final ConcurrentMap<String, JsonSchema> SCHEMAS = new ConcurrentHashMap<>();

  private SchemaAssert() {}

  /**
   * Asserts that a JSON value follows a schema.
   *
   * @param schemaName {@code article} or {@code article.schema.json}, ...
   * @param value the value, e.g. a record value read from a topic; not null
   * @throws AssertionError listing every validation message (JSON pointer and rule) when it does
   *     not
   * @throws IllegalArgumentException when no such schema is on the classpath
   */
  public static void assertValid(String schemaName, JsonNode value) {
    List<String> messages = validationMessages(schemaName, value);
    if (!messages.isEmpty()) {
      throw new AssertionError(
          "Expected a value following "
              + fileName(schemaName)
              + " but found "
              + messages.size()
              + " violation(s):\n  "
              + String.join("\n  ", messages)
              + "\nin value:\n"
              + value.toPrettyString());
    }
  }

  /**
   * Asserts that an event record, serialised exactly as it is written to Kafka ({@link
   * Json#MAPPER}, UTF-8 JSON bytes), follows a schema.
   *
   * @param schemaName {@code article} or {@code article.schema.json}, ...
   * @param record the record, e.g. an {@code ArticleEvent}; not null
   * @throws AssertionError listing every validation message when it does not
   * @throws IllegalArgumentException when no such schema is on the classpath
   */
  public static void assertValid(String schemaName, Object record) {
    assertValid(schemaName, toJson(record));
  }

  /**
   * @param schemaName {@code article} or {@code article.schema.json}, ...
   * @param value the value to check; not null
   * @return the validation messages ({@code /pointer: rule}), sorted; empty when the value follows
   *     the schema
   * @throws IllegalArgumentException when no such schema is on the classpath
   */
  public static List<String> validationMessages(String schemaName, JsonNode value) {
    return schema(fileName(schemaName)).validate(value).stream()
        .map(ValidationMessage::getMessage)
        .sorted()
        .toList();
  }

  private static JsonNode toJson(Object record) {
    try {
      return Json.MAPPER.readTree(Json.MAPPER.writeValueAsBytes(record));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "cannot serialise " + record.getClass().getName() + " with Json.MAPPER", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String fileName(String schemaName) {
    String name = schemaName.toLowerCase(Locale.ROOT);
    return name.endsWith(SCHEMA_SUFFIX) ? name : name + SCHEMA_SUFFIX;
  }

  private static JsonSchema schema(String fileName) {
    return SCHEMAS.computeIfAbsent(fileName, SchemaAssert::load);
  }

  private static JsonSchema load(String fileName) {
    if (SchemaAssert.class.getResource("/schemas/" + fileName) == null) {
      throw new IllegalArgumentException("no schema /schemas/" + fileName + " on the classpath");
    }
    JsonSchema schema =
        FACTORY.getSchema(SchemaLocation.of("classpath:schemas/" + fileName), CONFIG);
    schema.initializeValidators();
    return schema;
  }
}
