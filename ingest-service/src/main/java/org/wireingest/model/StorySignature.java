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
 * @param clusterId the near-duplicate cluster it joined or started ({@code
 *     urn:wire:cluster:<32 hex>}); never null
 * @param signature its MinHash signature ({@code NearDuplicates#signature}), Base64 in JSON; never
 *     null
 * @param firstCreated the story's {@code firstCreated} (UTC): its published date, else when it was
 *     first seen. Stories are near-duplicates only when these lie within the window (default two
 *     days) of each other, live and in a replay alike
 */
public record StorySignature(String uri, String clusterId, byte[] signature, Instant firstCreated) {

  public StorySignature {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(clusterId, "clusterId");
    Objects.requireNonNull(signature, "signature");
    Objects.requireNonNull(firstCreated, "firstCreated");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StorySignature s
        && uri.equals(s.uri)
        && clusterId.equals(s.clusterId)
        && Arrays.equals(signature, s.signature)
        && firstCreated.equals(s.firstCreated);
  }

  @Override
  public int hashCode() {
    return Objects.hash(uri, clusterId, Arrays.hashCode(signature), firstCreated);
  }

  @Override
  public String toString() {
    return "StorySignature[uri=" + uri + ", clusterId=" + clusterId + ", signature=" + signature.length + " bytes, firstCreated=" + firstCreated + "]";
  }
}
