package org.wireingest.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaId;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Test access to the schema resources of this module: the {@code /schemas} classpath folder (a
 * plain directory while this module's own tests run), the JSON files in it, and a JSON Schema
 * 2020-12 validator with format assertions on (so {@code date-time}, {@code uri} and {@code regex}
 * are checked, not only annotated).
 */
final class SchemaFiles {

  /** Suffix of every schema file name. */
  static final String SCHEMA_SUFFIX = ".schema.json";

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonSchemaFactory FACTORY =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
  private static final SchemaValidatorsConfig CONFIG =
      SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();

  private SchemaFiles() {}

  /**
   * @return the {@code /schemas} resource folder
   */
  static Path root() {
    URL url = SchemaFiles.class.getResource("/schemas");
    if (url == null) {
      throw new IllegalStateException("no /schemas folder on the test classpath");
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * @return the names of the schema files ({@code article.schema.json}, ...), sorted
   */
  static List<String> schemaNames() {
    try (Stream<Path> files = Files.list(root())) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(SCHEMA_SUFFIX))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * @return {@code article} for {@code article.schema.json}: the name of its examples folder
   */
  static String baseName(String schemaName) {
    return schemaName.substring(0, schemaName.length() - SCHEMA_SUFFIX.length());
  }

  /**
   * @param schemaName a schema file name
   * @param kind {@code valid} or {@code invalid}
   * @return the example files of that kind, sorted; empty when the folder is missing
   */
  static List<Path> examples(String schemaName, String kind) {
    Path dir = root().resolve("examples").resolve(baseName(schemaName)).resolve(kind);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * @return the JSON tree of a file
   */
  static JsonNode read(Path file) {
    try {
      return MAPPER.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * @return the JSON tree of a file directly under {@code /schemas}
   */
  static JsonNode read(String fileName) {
    return read(root().resolve(fileName));
  }

  /**
   * @return the schema loaded from {@code classpath:schemas/<schemaName>}, its references resolved
   */
  static JsonSchema schema(String schemaName) {
    JsonSchema schema =
        FACTORY.getSchema(SchemaLocation.of("classpath:schemas/" + schemaName), CONFIG);
    schema.initializeValidators();
    return schema;
  }

  /**
   * @return a schema given inline (e.g. a topic key schema), as JSON Schema 2020-12
   */
  static JsonSchema inlineSchema(JsonNode schema) {
    return FACTORY.getSchema(schema, CONFIG);
  }

  /**
   * @return the JSON Schema 2020-12 meta-schema (served from the validator's own resources, no
   *     network)
   */
  static JsonSchema metaSchema() {
    return FACTORY.getSchema(SchemaLocation.of(SchemaId.V202012), CONFIG);
  }

  /**
   * @return the validation messages of {@code value} against {@code schema}, as text; empty when
   *     valid
   */
  static List<String> errors(JsonSchema schema, JsonNode value) {
    return schema.validate(value).stream().map(ValidationMessage::getMessage).sorted().toList();
  }
}
