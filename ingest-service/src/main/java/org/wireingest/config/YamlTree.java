package org.wireingest.config;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads one YAML document into a Jackson tree with its anchors, aliases and merge keys applied, as
 * a YAML 1.1 loader does. Jackson's own tree read takes an alias ({@code *name}) for the string
 * {@code name} (it keeps anchors for object identity only), so {@code agency: *ag} became the
 * agency {@code ag}, and reads the merge key {@code <<} as a plain key.
 *
 * <ul>
 *   <li>An alias stands for a copy of the mapping or list its anchor ({@code &name}) marked,
 *       earlier in the document (YAML 1.2 §3.2.2.2); an alias to no earlier anchor is an error. So
 *       is one to a single value: Jackson's parser does not report anchors on scalars, so {@code
 *       agency: &ag trtworld} cannot be told from a missing anchor, and an error is better than a
 *       guess.
 *   <li>A {@code <<} key in a mapping merges in the mapping, or each mapping of the list, it is
 *       given (YAML 1.1 merge key type): keys of the mapping itself win, then earlier mappings of
 *       the list over later ones. Anything else given to {@code <<} is an error.
 *   <li>Scalars are read by the given mapper, with its features (so boolean-like words stay strings
 *       when it says so).
 * </ul>
 *
 * <p>Aliases are bounded: a document whose aliases would add more than {@value #MAX_NODES} values
 * in all (an alias bomb: each level repeating the one before) is refused before it is built.
 */
final class YamlTree {

  /**
   * The most values a document's aliases may add in all (each alias adds a copy of what its anchor
   * marks); the values the document writes out are bounded by its size, not by this.
   */
  static final int MAX_NODES = 1_000_000;

  /** The YAML 1.1 merge key. */
  static final String MERGE_KEY = "<<";

  private final YAMLParser parser;
  private final ObjectMapper mapper;
  private final Map<String, Anchored> anchors = new HashMap<>();

  /** Values added by aliases so far. */
  private long expanded;

  private record Anchored(JsonNode node, long size) {}

  private record Built(JsonNode node, long size) {}

  private YamlTree(YAMLParser parser, ObjectMapper mapper) {
    this.parser = parser;
    this.mapper = mapper;
  }

  /**
   * Reads the value at the parser's current token, leaving the parser on its last token.
   *
   * @param parser a YAML parser on the first token of a value (after {@code nextToken()}); its
   *     position afterwards is the value's last token, so the caller can look for what follows
   * @param mapper reads each scalar, with its features
   * @return the value as a tree; never null (a YAML null is a {@code NullNode})
   * @throws YamlException for an alias to no earlier anchor, a {@code <<} given something other
   *     than mappings, or aliases expanding past {@value #MAX_NODES} nodes
   * @throws IOException when the text is not YAML (Jackson's {@code JacksonException})
   */
  static JsonNode read(YAMLParser parser, ObjectMapper mapper) throws IOException {
    return new YamlTree(parser, mapper).value().node();
  }

  /** A problem in the document's structure, with the line it is on (1-based). */
  static final class YamlException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int line;

    YamlException(String message, int line) {
      super(message);
      this.line = line;
    }

    /**
     * @return the line of the alias or merge key at fault, 1-based
     */
    int line() {
      return line;
    }
  }

  private Built value() throws IOException {
    JsonToken token = parser.currentToken();
    if (parser.isCurrentAlias()) {
      return alias(parser.getText());
    }
    String anchor = parser.getCurrentAnchor();
    Built built;
    if (token == JsonToken.START_OBJECT) {
      built = mapping();
    } else if (token == JsonToken.START_ARRAY) {
      built = sequence();
    } else {
      built = new Built(mapper.readTree(parser), 1);
    }
    if (anchor != null) {
      // a later anchor of the same name replaces it for the aliases after it (YAML 1.2 §6.9.2)
      anchors.put(anchor, new Anchored(built.node(), built.size()));
    }
    return built;
  }

  private Built alias(String name) throws IOException {
    Anchored anchored = anchors.get(name);
    if (anchored == null) {
      throw new YamlException(
          "alias '*"
              + name
              + "' names no anchor '&"
              + name
              + "' on a mapping or list before it (anchors on single values are not supported:"
              + " write the value out)",
          line());
    }
    countExpanded(anchored.size());
    return new Built(anchored.node().deepCopy(), anchored.size());
  }

  private Built mapping() throws IOException {
    ObjectNode object = JsonNodeFactory.instance.objectNode();
    List<JsonNode> merged = new ArrayList<>();
    long size = 1;
    while (nextKey() == JsonToken.FIELD_NAME) {
      String key = parser.currentName();
      int keyLine = line();
      parser.nextToken();
      Built value = value();
      size += value.size();
      if (key.equals(MERGE_KEY)) {
        merged.addAll(mergeSources(value.node(), keyLine));
      } else {
        object.set(key, value.node());
      }
    }
    for (JsonNode source : merged) {
      for (Iterator<Map.Entry<String, JsonNode>> it = source.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (!object.has(field.getKey())) {
          object.set(field.getKey(), field.getValue());
        }
      }
    }
    return new Built(object, size);
  }

  /**
   * The token after a mapping's value: its next key or its end. Jackson reads keys that are no
   * single value (YAML's complex keys: {@code ? [a, b]}, an alias {@code *name :}) as an error
   * naming SnakeYAML's event classes, which says nothing to whoever wrote the file.
   */
  private JsonToken nextKey() throws IOException {
    try {
      return parser.nextToken();
    } catch (StreamReadException e) {
      if (e.getOriginalMessage() != null
          && e.getOriginalMessage().startsWith("Expected a field name")) {
        throw new YamlException(
            "a key must be a single value such as 'interval', not an alias, a list or a mapping",
            e.getLocation() == null ? line() : e.getLocation().getLineNr());
      }
      throw e;
    }
  }

  private static List<JsonNode> mergeSources(JsonNode value, int line) throws YamlException {
    List<JsonNode> sources = new ArrayList<>();
    if (value.isObject()) {
      sources.add(value);
    } else if (value.isArray()) {
      for (JsonNode element : value) {
        if (!element.isObject()) {
          throw notMergeable(line);
        }
        sources.add(element);
      }
    } else {
      throw notMergeable(line);
    }
    return sources;
  }

  private static YamlException notMergeable(int line) {
    return new YamlException(
        "the merge key '<<' takes a mapping or a list of mappings (e.g. '<<: *defaults')", line);
  }

  private Built sequence() throws IOException {
    ArrayNode array = JsonNodeFactory.instance.arrayNode();
    long size = 1;
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      Built element = value();
      size += element.size();
      array.add(element.node());
    }
    return new Built(array, size);
  }

  /** Counts the values an alias adds; those the document writes out are bounded by its size. */
  private void countExpanded(long added) throws YamlException {
    expanded += added;
    if (expanded > MAX_NODES) {
      throw new YamlException(
          "its aliases expand to more than "
              + MAX_NODES
              + " values (each alias stands for a copy of what its anchor marks)",
          line());
    }
  }

  private int line() {
    return parser.currentTokenLocation().getLineNr();
  }
}
