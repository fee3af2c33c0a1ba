package org.wireingest.dedup;

import java.time.Instant;

/**
 * What the normalizer remembers of an article between versions (the value of its dedup store,
 * keyed by {@code uri}). Immutable.
 *
 * @param uri the article {@code uri}; never null
 * @param version the last version published (1 or more)
 * @param fingerprint {@link Fingerprint} of the last version published; never null
 * @param firstCreated the {@code firstCreated} of version 1 (UTC), kept for every later version
 * @param lastVersionCreated the newest {@code versionCreated} published so far (UTC)
 */
public record DedupState(String uri, int version, String fingerprint, Instant firstCreated, Instant lastVersionCreated) {}
