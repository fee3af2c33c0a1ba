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
 * @param indexedAt when the normalizer indexed it (UTC): its clock when it emitted the version; the
 *     index forgets the story a window (default two days) after it
 */
public record StorySignature(String uri, String clusterId, byte[] signature, Instant indexedAt) {

  public StorySignature {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(clusterId, "clusterId");
    Objects.requireNonNull(signature, "signature");
    Objects.requireNonNull(indexedAt, "indexedAt");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StorySignature s
        && uri.equals(s.uri)
        && clusterId.equals(s.clusterId)
        && Arrays.equals(signature, s.signature)
        && indexedAt.equals(s.indexedAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(uri, clusterId, Arrays.hashCode(signature), indexedAt);
  }

  @Override
  public String toString() {
    return "StorySignature[uri=" + uri + ", clusterId=" + clusterId + ", signature=" + signature.length + " bytes, indexedAt=" + indexedAt + "]";
  }
}
