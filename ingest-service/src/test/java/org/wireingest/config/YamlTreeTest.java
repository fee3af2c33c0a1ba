package org.wireingest.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class YamlTreeTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static JsonNode read(String yaml) throws IOException {
    try (YAMLParser parser = (YAMLParser) YAML.createParser(yaml)) {
      parser.nextToken();
      return YamlTree.read(parser, YAML);
    }
  }

  /**
   * Regression: every value read counted against the alias bound, so a feeds list of 300,000 feeds
   * (about 1.8 million values, written out, no alias) was refused as an alias bomb; only the values
   * aliases add count.
   */
  @Test
  void shouldReadMoreValuesThanTheAliasBoundWhenNoAliasAddsThem() throws IOException {
    String many = "[" + "1, ".repeat(YamlTree.MAX_NODES + 10) + "1]";

    JsonNode tree = read(many);

    assertThat(tree.size()).isEqualTo(YamlTree.MAX_NODES + 11);
  }

  @Test
  void shouldCopyTheAnchoredValueForEachAliasAndMergeOwnKeysFirst() throws IOException {
    JsonNode tree = read("base: &b {a: 1, b: 2}\ncopy: *b\nmerged: {<<: *b, b: 3}\n");

    assertThat(tree.get("copy").toString()).isEqualTo("{\"a\":1,\"b\":2}");
    assertThat(tree.get("merged").get("a").asInt()).isEqualTo(1);
    assertThat(tree.get("merged").get("b").asInt()).isEqualTo(3);
    assertThat(tree.get("copy")).isNotSameAs(tree.get("base"));
  }
}
