package dev.sotto.server.core;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * Which addresses a URL given by a client may not reach unless the operator allows it: this
 * machine, the local network, cloud metadata services (169.254.169.254) and anything else that
 * is not the public internet. Without this check, a request naming such a URL would make the
 * server fetch from places only it can see (server-side request forgery).
 */
final class PrivateAddresses {
    private static final List<Block> IPV4 = blocks(
            "0.0.0.0/8",        // "this network", including 0.0.0.0 (any-local)
            "10.0.0.0/8",       // private
            "100.64.0.0/10",    // carrier-grade NAT
            "127.0.0.0/8",      // loopback
            "169.254.0.0/16",   // link-local, cloud metadata
            "172.16.0.0/12",    // private
            "192.0.0.0/24",     // IETF protocol assignments
            "192.168.0.0/16",   // private
            "198.18.0.0/15",    // benchmarking
            "224.0.0.0/4",      // multicast
            "240.0.0.0/4");     // reserved, including the broadcast 255.255.255.255
    private static final List<Block> IPV6 = blocks(
            "::/128",           // any-local
            "::1/128",          // loopback
            "fc00::/7",         // unique-local
            "fe80::/10",        // link-local
            "fec0::/10",        // site-local (deprecated, still routed by some networks)
            "ff00::/8");        // multicast
    /**
     * IPv6 forms that carry an IPv4 address in their last 4 bytes: mapped (::ffff:a.b.c.d, written
     * out as bytes because InetAddress parses it as IPv4), compatible (::a.b.c.d) and NAT64.
     */
    private static final List<Block> IPV4_IN_LAST_BYTES = List.of(
            new Block(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 0, 0, 0, 0}, 96),
            Block.parse("::/96"),
            Block.parse("64:ff9b::/96"));
    /** 6to4 carries an IPv4 address in bytes 2 to 5. */
    private static final Block SIX_TO_FOUR = Block.parse("2002::/16");

    private PrivateAddresses() {
    }

    /** True if {@code address} is not a public internet address (see the class comment). */
    static boolean isPrivate(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return IPV4.stream().anyMatch(block -> block.contains(b));
        }
        if (IPV6.stream().anyMatch(block -> block.contains(b))) {
            return true;
        }
        if (IPV4_IN_LAST_BYTES.stream().anyMatch(block -> block.contains(b))) {
            return isPrivate(ipv4(Arrays.copyOfRange(b, 12, 16)));
        }
        if (SIX_TO_FOUR.contains(b)) {
            return isPrivate(ipv4(Arrays.copyOfRange(b, 2, 6)));
        }
        return false;
    }

    private static InetAddress ipv4(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 bytes are always an IPv4 address", e);
        }
    }

    private static List<Block> blocks(String... cidrs) {
        return Arrays.stream(cidrs).map(Block::parse).toList();
    }

    /** An address block in CIDR notation, e.g. 10.0.0.0/8. */
    private record Block(byte[] prefix, int bits) {
        static Block parse(String cidr) {
            int slash = cidr.indexOf('/');
            try { // a literal address: no DNS lookup
                byte[] prefix = InetAddress.getByName(cidr.substring(0, slash)).getAddress();
                return new Block(prefix, Integer.parseInt(cidr.substring(slash + 1)));
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(cidr, e);
            }
        }

        boolean contains(byte[] address) {
            if (address.length != prefix.length) {
                return false;
            }
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >> (i % 8);
                if ((address[i / 8] & mask) != (prefix[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }
}
