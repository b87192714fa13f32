package org.openwebapps.http.rest.internal;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

/**
 * Behind a reverse proxy: the scheme and host that clients used, so URLs handed to them
 * ({@code collection_url}, ...) point at the proxy. Taken from {@code Forwarded} (RFC 7239), else
 * {@code X-Forwarded-Proto} / {@code X-Forwarded-Host}, and only when the direct peer is one of
 * the configured trusted proxies; from anyone else these headers are ignored. Of a list, the last
 * entry counts: it is the one the trusted proxy added (earlier ones came from further away,
 * possibly from the client itself).
 */
final class ForwardedRequest extends HttpServletRequestWrapper {

    private static final Pattern HOST = Pattern.compile("(?:[A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+\\])(?::[0-9]{1,5})?");

    /** Addresses and CIDR blocks of trusted proxies. */
    static final class TrustedProxies {
        private record Block(byte[] network, int bits) {
        }

        private final List<Block> blocks = new ArrayList<>();

        /** @param entries addresses or CIDR blocks ({@code 10.0.0.0/8}, {@code ::1}); IP literals only */
        TrustedProxies(String[] entries) {
            for (String entry : entries) {
                for (String item : entry.split(",")) {
                    String text = item.trim();
                    if (text.isEmpty()) {
                        continue;
                    }
                    int slash = text.indexOf('/');
                    byte[] address = literal(slash < 0 ? text : text.substring(0, slash));
                    int bits = slash < 0 ? address.length * 8 : Integer.parseInt(text.substring(slash + 1));
                    if (bits < 0 || bits > address.length * 8) {
                        throw new IllegalArgumentException("trusted.proxies: bad prefix length in " + text);
                    }
                    blocks.add(new Block(address, bits));
                }
            }
        }

        boolean isEmpty() {
            return blocks.isEmpty();
        }

        boolean contains(String remoteAddress) {
            if (blocks.isEmpty() || remoteAddress == null) {
                return false;
            }
            byte[] address;
            try {
                address = literal(remoteAddress);
            } catch (IllegalArgumentException e) {
                return false;
            }
            for (Block block : blocks) {
                if (block.network().length == address.length && prefix(address, block.bits())
                        .equals(prefix(block.network(), block.bits()))) {
                    return true;
                }
            }
            return false;
        }

        private static BigInteger prefix(byte[] address, int bits) {
            return new BigInteger(1, address).shiftRight(address.length * 8 - bits);
        }

        private static byte[] literal(String text) {
            String bare = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
            if (!bare.matches("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) {
                throw new IllegalArgumentException("trusted.proxies: not an IP address: " + text);
            }
            try {
                return InetAddress.getByName(bare).getAddress(); // a literal: no lookup
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("trusted.proxies: not an IP address: " + text);
            }
        }
    }

    private final String scheme;
    private final String host;
    private final int port;

    private ForwardedRequest(HttpServletRequest request, String scheme, String host, int port) {
        super(request);
        this.scheme = scheme;
        this.host = host;
        this.port = port;
    }

    /** @return the request as the client sent it to the proxy, or {@code request} when not from a trusted proxy */
    static HttpServletRequest of(HttpServletRequest request, TrustedProxies proxies) {
        if (!proxies.contains(request.getRemoteAddr())) {
            return request;
        }
        String proto = null;
        String host = null;
        String forwarded = last(request.getHeaders("Forwarded"));
        if (forwarded != null) {
            for (String pair : forwarded.split(";")) {
                String[] nameValue = pair.trim().split("=", 2);
                if (nameValue.length == 2) {
                    String value = nameValue[1].trim().replace("\"", "");
                    switch (nameValue[0].trim().toLowerCase(Locale.ROOT)) {
                        case "proto" -> proto = value;
                        case "host" -> host = value;
                        default -> {
                        }
                    }
                }
            }
        } else {
            proto = last(request.getHeaders("X-Forwarded-Proto"));
            host = last(request.getHeaders("X-Forwarded-Host"));
        }
        String scheme = proto == null ? request.getScheme() : proto.toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return request;
        }
        int defaultPort = scheme.equals("https") ? 443 : 80;
        if (host == null || !HOST.matcher(host).matches()) {
            // no usable host: the server's own name, on the port the proxy's scheme implies
            return new ForwardedRequest(request, scheme, request.getServerName(),
                    proto == null ? request.getServerPort() : defaultPort);
        }
        int colon = host.lastIndexOf(':');
        boolean hasPort = colon > host.lastIndexOf(']');
        int port = hasPort ? Integer.parseInt(host.substring(colon + 1)) : defaultPort;
        if (port < 1 || port > 65535) {
            return request;
        }
        return new ForwardedRequest(request, scheme, hasPort ? host.substring(0, colon) : host, port);
    }

    /** @return the last entry of a header that may repeat and hold comma-separated lists */
    private static String last(Enumeration<String> values) {
        String last = null;
        while (values != null && values.hasMoreElements()) {
            String value = values.nextElement();
            String[] entries = value.split(",");
            String entry = entries[entries.length - 1].trim();
            if (!entry.isEmpty()) {
                last = entry;
            }
        }
        return last;
    }

    @Override
    public String getScheme() {
        return scheme;
    }

    @Override
    public boolean isSecure() {
        return scheme.equals("https");
    }

    @Override
    public String getServerName() {
        return host;
    }

    @Override
    public int getServerPort() {
        return port;
    }

    @Override
    public StringBuffer getRequestURL() {
        boolean defaultPort = (scheme.equals("https") && port == 443) || (scheme.equals("http") && port == 80);
        return new StringBuffer(scheme).append("://").append(host).append(defaultPort ? "" : ":" + port)
                .append(getRequestURI());
    }
}
