package org.wireingest.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

  /**
   * Regression: a key that is an alias, a list or a mapping failed with Jackson's text naming
   * SnakeYAML's event classes ({@code <org.yaml.snakeyaml.events.AliasEvent(anchor=k)>}).
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "k: &k {a: 1}\nmap:\n  *k : 1\n",
        "x: 1\nmap:\n  ? [a, b]\n  : 1\n",
        "x: 1\nmap:\n  ? {a: 1}\n  : 1\n"
      })
  void shouldRefuseAKeyThatIsNoSingleValueInPlainWords(String yaml) {
    assertThatThrownBy(() -> read(yaml))
        .isInstanceOfSatisfying(
            YamlTree.YamlException.class, e -> assertThat(e.line()).isEqualTo(3))
        .hasMessage(
            "a key must be a single value such as 'interval', not an alias, a list or a mapping");
  }
}
