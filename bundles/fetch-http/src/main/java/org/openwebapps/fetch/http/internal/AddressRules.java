package org.openwebapps.fetch.http.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Which resolved addresses the fetcher may connect to: public unicast only. Works on the
 * address's bytes, so every spelling of a host (decimal, hex, octal, short forms, IPv4-mapped
 * IPv6) is judged by where it really leads.
 */
final class AddressRules {

    private AddressRules() {
    }

    /** @return why {@code address} is not public, or null when it is */
    static String whyNotPublic(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            return whyNotPublicV4(bytes, 0);
        }
        if (address instanceof Inet6Address) {
            return whyNotPublicV6(bytes);
        }
        return "not an IP address";
    }

    private static String whyNotPublicV4(byte[] b, int at) {
        int a0 = b[at] & 0xff;
        int a1 = b[at + 1] & 0xff;
        int a2 = b[at + 2] & 0xff;
        if (a0 == 0) {
            return "unspecified (0.0.0.0/8)";
        }
        if (a0 == 10 || (a0 == 172 && (a1 & 0xf0) == 16) || (a0 == 192 && a1 == 168)) {
            return "private (RFC 1918)";
        }
        if (a0 == 127) {
            return "loopback";
        }
        if (a0 == 169 && a1 == 254) {
            return "link-local";
        }
        if (a0 == 100 && (a1 & 0xc0) == 64) {
            return "shared address space (100.64.0.0/10)";
        }
        if (a0 == 192 && a1 == 0 && (a2 == 0 || a2 == 2)) {
            return "reserved (192.0.0.0/24, 192.0.2.0/24)";
        }
        if (a0 == 198 && (a1 & 0xfe) == 18) {
            return "benchmarking (198.18.0.0/15)";
        }
        if ((a0 == 198 && a1 == 51 && a2 == 100) || (a0 == 203 && a1 == 0 && a2 == 113)) {
            return "documentation";
        }
        if (a0 >= 224) {
            return a0 < 240 ? "multicast" : "reserved or broadcast (240.0.0.0/4)";
        }
        return null;
    }

    private static String whyNotPublicV6(byte[] b) {
        if (isZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            String v4 = whyNotPublicV4(b, 12); // IPv4-mapped (Java usually gives an Inet4Address already)
            return v4 == null ? null : "IPv4-mapped " + v4;
        }
        if (isZero(b, 0, 12)) {
            return "unspecified, loopback or IPv4-compatible (::/96)";
        }
        int b0 = b[0] & 0xff;
        int b1 = b[1] & 0xff;
        if ((b0 & 0xe0) != 0x20) {
            // outside 2000::/3, the global unicast block: ULA fc00::/7, link-local fe80::/10,
            // site-local fec0::/10, multicast ff00::/8, NAT64 64:ff9b::/96, discard 100::/64, ...
            return "not global unicast (outside 2000::/3)";
        }
        if (b0 == 0x20 && b1 == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) {
            return "documentation (2001:db8::/32)";
        }
        if (b0 == 0x20 && b1 == 0x01 && b[2] == 0 && b[3] == 0) {
            return "Teredo (2001::/32)";
        }
        if (b0 == 0x20 && b1 == 0x02) {
            return "6to4 (2002::/16)";
        }
        return null;
    }

    private static boolean isZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
