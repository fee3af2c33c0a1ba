/**
 * Fetching feed documents over HTTP(S) and from local files: conditional GET (RFC 9110 §13),
 * redirects followed by hand with a per-hop scheme check, transparent gzip/deflate decoding, a cap
 * on the decoded body size, a poller-wide memory budget for bodies ({@link
 * org.wireingest.fetch.BodyBudget}), connect/read timeouts and a total deadline.
 *
 * <p>This package is an I/O edge: it is the only one that talks HTTP. Its results are values
 * ({@link org.wireingest.fetch.FetchResult}), never exceptions, for every failure of the network or
 * of the remote server. URLs shown in log lines and messages go through {@link
 * org.wireingest.fetch.Redaction#url(java.net.URI)}; extra request header values are never logged.
 */
package org.wireingest.fetch;
