package org.wireingest.fetch;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The SSRF guard: tells public unicast addresses from those a feed fetcher must never contact on a
 * feed publisher's say-so (a feed URL or a redirect pointing at the poller's own network). Pure and
 * thread-safe.
 *
 * <p>Blocked IPv4 ranges (IANA special-purpose registry, RFC 6890): {@code 0.0.0.0/8} (this
 * network, unspecified), {@code 10.0.0.0/8}, {@code 172.16.0.0/12}, {@code 192.168.0.0/16}
 * (private, RFC 1918), {@code 100.64.0.0/10} (CGNAT, RFC 6598), {@code 127.0.0.0/8} (loopback),
 * {@code 169.254.0.0/16} (link-local, where cloud metadata services such as {@code 169.254.169.254}
 * live), {@code 192.0.0.0/24} (IETF protocol assignments), {@code 192.0.2.0/24}, {@code
 * 198.51.100.0/24}, {@code 203.0.113.0/24} (documentation), {@code 198.18.0.0/15} (benchmarking),
 * {@code 224.0.0.0/4} (multicast) and {@code 240.0.0.0/4} (reserved, broadcast {@code
 * 255.255.255.255} included).
 *
 * <p>Blocked IPv6 ranges: {@code ::/128} (unspecified), {@code ::1/128} (loopback), {@code
 * fe80::/10} (link-local), {@code fec0::/10} (deprecated site-local), {@code fc00::/7} (unique
 * local), {@code ff00::/8} (multicast), {@code 100::/64} (discard), {@code 2001:db8::/32}
 * (documentation), {@code 2001::/32} (Teredo, whose IPv4 end cannot be checked) and {@code
 * 64:ff9b:1::/48} (local-use NAT64). Addresses that embed an IPv4 address are judged by it: {@code
 * ::ffff:0:0/96} (IPv4-mapped), {@code ::/96} (IPv4-compatible), {@code 64:ff9b::/96} (NAT64, RFC
 * 6052) and {@code 2002::/16} (6to4) are blocked when the embedded address is.
 */
public final class AddressGuard {

  /** Accepts an address when {@link #blockedRange} finds no blocked range for it. */
  public static final Predicate<InetAddress> PUBLIC_ONLY =
      address -> blockedRange(address).isEmpty();

  private static final List<Range> IPV4 =
      List.of(
          Range.of("0.0.0.0", 8, "this network"),
          Range.of("10.0.0.0", 8, "private"),
          Range.of("100.64.0.0", 10, "carrier-grade NAT"),
          Range.of("127.0.0.0", 8, "loopback"),
          Range.of("169.254.0.0", 16, "link-local / cloud metadata"),
          Range.of("172.16.0.0", 12, "private"),
          Range.of("192.0.0.0", 24, "IETF protocol assignments"),
          Range.of("192.0.2.0", 24, "documentation"),
          Range.of("192.168.0.0", 16, "private"),
          Range.of("198.18.0.0", 15, "benchmarking"),
          Range.of("198.51.100.0", 24, "documentation"),
          Range.of("203.0.113.0", 24, "documentation"),
          Range.of("224.0.0.0", 4, "multicast"),
          Range.of("240.0.0.0", 4, "reserved / broadcast"));

  private static final List<Range> IPV6 =
      List.of(
          Range.of("::", 128, "unspecified"),
          Range.of("::1", 128, "loopback"),
          Range.of("fe80::", 10, "link-local"),
          Range.of("fec0::", 10, "site-local"),
          Range.of("fc00::", 7, "unique local"),
          Range.of("ff00::", 8, "multicast"),
          Range.of("100::", 64, "discard"),
          Range.of("2001:db8::", 32, "documentation"),
          Range.of("2001::", 32, "Teredo"),
          Range.of("64:ff9b:1::", 48, "local-use NAT64"));

  /** IPv6 ranges that carry an IPv4 address, and the byte offset where it starts. */
  private static final List<Embedding> EMBEDDINGS =
      List.of(
          new Embedding(Range.of("::ffff:0:0", 96, "IPv4-mapped"), 12),
          new Embedding(Range.of("::", 96, "IPv4-compatible"), 12),
          new Embedding(Range.of("64:ff9b::", 96, "NAT64"), 12),
          new Embedding(Range.of("2002::", 16, "6to4"), 2));

  private AddressGuard() {}

  /**
   * Finds why an address must not be contacted.
   *
   * @param address a resolved IPv4 or IPv6 address; never null
   * @return the blocked range it falls in, as {@code <name> <cidr>} (for example {@code loopback
   *     127.0.0.0/8}, or {@code NAT64 64:ff9b::/96 of private 10.0.0.0/8} for an embedded IPv4
   *     address); empty for a public unicast address
   */
  public static Optional<String> blockedRange(InetAddress address) {
    byte[] bytes = address.getAddress();
    if (bytes.length == 4) {
      return match(IPV4, bytes);
    }
    for (Embedding embedding : EMBEDDINGS) {
      if (embedding.range().contains(bytes) && !isUnspecifiedOrLoopback(bytes)) {
        byte[] v4 = new byte[4];
        System.arraycopy(bytes, embedding.offset(), v4, 0, 4);
        return match(IPV4, v4).map(inner -> embedding.range().describe() + " of " + inner);
      }
    }
    return match(IPV6, bytes);
  }

  private static boolean isUnspecifiedOrLoopback(byte[] bytes) {
    for (int i = 0; i < 15; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return bytes[15] == 0 || bytes[15] == 1;
  }

  private static Optional<String> match(List<Range> ranges, byte[] bytes) {
    return ranges.stream().filter(r -> r.contains(bytes)).findFirst().map(Range::describe);
  }

  /** A CIDR block. */
  private record Range(byte[] prefix, int bits, String name, String cidr) {

    static Range of(String literal, int bits, String name) {
      try {
        // Literals only: InetAddress.getByName does no lookup for them.
        byte[] prefix = InetAddress.getByName(literal).getAddress();
        if (literal.contains(":") && prefix.length == 4) {
          // the JDK returns ::ffff:a.b.c.d literals as IPv4; keep the IPv6 form
          prefix =
              new byte[] {
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                (byte) 0xff,
                (byte) 0xff,
                prefix[0],
                prefix[1],
                prefix[2],
                prefix[3]
              };
        }
        return new Range(prefix, bits, name, literal + "/" + bits);
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("not an address literal: " + literal, e);
      }
    }

    boolean contains(byte[] address) {
      if (address.length != prefix.length) {
        return false;
      }
      int full = bits / 8;
      for (int i = 0; i < full; i++) {
        if (address[i] != prefix[i]) {
          return false;
        }
      }
      int rest = bits % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xff << (8 - rest)) & 0xff;
      return (address[full] & mask) == (prefix[full] & mask);
    }

    String describe() {
      return name + " " + cidr;
    }
  }

  private record Embedding(Range range, int offset) {}
}
