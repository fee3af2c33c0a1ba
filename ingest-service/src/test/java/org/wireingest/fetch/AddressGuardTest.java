package org.wireingest.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressGuardTest {

  private static InetAddress literal(String address) throws UnknownHostException {
    return InetAddress.getByName(address); // a literal: no DNS lookup
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "127.0.0.1         | loopback 127.0.0.0/8",
        "127.255.255.254   | loopback 127.0.0.0/8",
        "169.254.169.254   | link-local / cloud metadata 169.254.0.0/16",
        "10.1.2.3          | private 10.0.0.0/8",
        "172.16.0.1        | private 172.16.0.0/12",
        "172.31.255.255    | private 172.16.0.0/12",
        "192.168.1.1       | private 192.168.0.0/16",
        "100.64.0.1        | carrier-grade NAT 100.64.0.0/10",
        "100.127.255.255   | carrier-grade NAT 100.64.0.0/10",
        "0.0.0.0           | this network 0.0.0.0/8",
        "224.0.0.1         | multicast 224.0.0.0/4",
        "255.255.255.255   | reserved / broadcast 240.0.0.0/4",
        "::                | unspecified ::/128",
        "::1               | loopback ::1/128",
        "fe80::1           | link-local fe80::/10",
        "fd00:ec2::254     | unique local fc00::/7",
        "fc00::1           | unique local fc00::/7",
        "ff02::1           | multicast ff00::/8",
        "::ffff:127.0.0.1  | loopback 127.0.0.0/8",
        "::ffff:169.254.169.254 | link-local / cloud metadata 169.254.0.0/16",
        "::10.0.0.1        | IPv4-compatible ::/96 of private 10.0.0.0/8",
        "64:ff9b::a00:1    | NAT64 64:ff9b::/96 of private 10.0.0.0/8",
        "64:ff9b::7f00:1   | NAT64 64:ff9b::/96 of loopback 127.0.0.0/8",
        "2002:a9fe:a9fe::1 | 6to4 2002::/16 of link-local / cloud metadata 169.254.0.0/16",
        "2001:0:4136:e378::1 | Teredo 2001::/32",
      })
  void shouldBlockNonPublicAddressNamingItsRange(String address, String range)
      throws UnknownHostException {
    assertThat(AddressGuard.blockedRange(literal(address))).contains(range);
    assertThat(AddressGuard.PUBLIC_ONLY.test(literal(address))).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "8.8.8.8",
        "1.1.1.1",
        "172.32.0.1",
        "172.15.255.255",
        "100.128.0.1",
        "100.63.255.255",
        "169.253.255.255",
        "11.0.0.1",
        "192.169.0.1",
        "2a00:1450:4001:80b::200e",
        "::ffff:8.8.8.8",
        "64:ff9b::808:808",
        "2002:808:808::1",
      })
  void shouldAllowPublicUnicastAddress(String address) throws UnknownHostException {
    assertThat(AddressGuard.blockedRange(literal(address))).isEmpty();
    assertThat(AddressGuard.PUBLIC_ONLY.test(literal(address))).isTrue();
  }
}
