package org.wireingest.dedup;

import org.wireingest.model.RawWireItem;
import org.wireingest.parse.ParsedEntry;

/**
 * A feed entry with the identity {@link IdentityResolver} gave it.
 *
 * @param entry the entry as parsed; never null
 * @param identity its identity (basis {@code guid}, {@code guid+link}, {@code link} or {@code
 *     content}); never null
 * @param itemKey {@link Digests#identityHash(RawWireItem.Identity)} of the identity: 32 lower-case
 *     hex characters, the entry's key within its source
 */
public record ResolvedEntry(ParsedEntry entry, RawWireItem.Identity identity, String itemKey) {}
