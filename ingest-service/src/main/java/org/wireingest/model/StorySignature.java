package org.wireingest.model;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * The value of a {@code wire.story-signatures.v1} record (key: the {@code uri}): a story in the
 * near-duplicate index, written by the normalizer when it publishes a story's first version and
 * read back by every normalizer instance into its global index store. Schema: {@code
 * schemas/story-signature.schema.json}.
 *
 * @param uri the article {@code uri}; never null
 * @param clusterId the near-duplicate cluster it joined or started ({@code urn:wire:cluster:<32
 *     hex>}); never null
 * @param signature its MinHash signature ({@code NearDuplicates#signature}), Base64 in JSON; never
 *     null
 * @param firstCreated the story's {@code firstCreated} (UTC): its published date, else when it was
 *     first seen. Stories are near-duplicates only when these lie within the window (default two
 *     days) of each other, live and in a replay alike
 * @param nearDuplicateOf the {@code uri} of the story it joined the cluster through; null when it
 *     started the cluster (and in records written before this field existed)
 * @param similarity the estimated Jaccard similarity to {@code nearDuplicateOf}, 0.5 to 1; null
 *     exactly when {@code nearDuplicateOf} is
 */
public record StorySignature(
    String uri,
    String clusterId,
    byte[] signature,
    Instant firstCreated,
    String nearDuplicateOf,
    Double similarity) {

  public StorySignature {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(clusterId, "clusterId");
    Objects.requireNonNull(signature, "signature");
    Objects.requireNonNull(firstCreated, "firstCreated");
  }

  /**
   * A story that started its cluster ({@code nearDuplicateOf} and {@code similarity} null).
   *
   * @param uri the article {@code uri}; never null
   * @param clusterId its cluster; never null
   * @param signature its MinHash signature; never null
   * @param firstCreated its {@code firstCreated} (UTC); never null
   */
  public StorySignature(String uri, String clusterId, byte[] signature, Instant firstCreated) {
    this(uri, clusterId, signature, firstCreated, null, null);
  }

  /**
   * @param uri the article {@code uri}; never null
   * @param cluster the cluster it was given ({@link ArticleEvent.Cluster}); never null
   * @param signature its MinHash signature; never null
   * @param firstCreated its {@code firstCreated} (UTC); never null
   * @return the index entry of a story in {@code cluster}
   */
  public static StorySignature of(
      String uri, ArticleEvent.Cluster cluster, byte[] signature, Instant firstCreated) {
    return new StorySignature(
        uri,
        cluster.id(),
        signature,
        firstCreated,
        cluster.nearDuplicateOf(),
        cluster.similarity());
  }

  /**
   * @return the cluster this story was given, as its article events carry it
   */
  public ArticleEvent.Cluster cluster() {
    return new ArticleEvent.Cluster(clusterId, nearDuplicateOf, similarity);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StorySignature s
        && uri.equals(s.uri)
        && clusterId.equals(s.clusterId)
        && Arrays.equals(signature, s.signature)
        && firstCreated.equals(s.firstCreated)
        && Objects.equals(nearDuplicateOf, s.nearDuplicateOf)
        && Objects.equals(similarity, s.similarity);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        uri, clusterId, Arrays.hashCode(signature), firstCreated, nearDuplicateOf, similarity);
  }

  @Override
  public String toString() {
    return "StorySignature[uri="
        + uri
        + ", clusterId="
        + clusterId
        + ", signature="
        + signature.length
        + " bytes, firstCreated="
        + firstCreated
        + "]";
  }
}
