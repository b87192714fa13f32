package org.openwebapps.http.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import org.junit.jupiter.api.Test;

class ForwardedRequestTest {

    private static final ForwardedRequest.TrustedProxies PROXIES =
            new ForwardedRequest.TrustedProxies(new String[] {"10.0.0.0/8, 192.168.1.7", "::1"});

    /** A request as Jetty gives it: from {@code peer}, to http://app.internal:8080/verify, with these headers. */
    private static HttpServletRequest request(String peer, Map<String, List<String>> headers) {
        return (HttpServletRequest) Proxy.newProxyInstance(ForwardedRequestTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getRemoteAddr" -> peer;
                    case "getScheme" -> "http";
                    case "getServerName" -> "app.internal";
                    case "getServerPort" -> 8080;
                    case "getRequestURI" -> "/verify";
                    case "getHeaders" -> Collections.enumeration(headers.getOrDefault((String) args[0], List.of()));
                    default -> null;
                });
    }

    @Test
    void aTrustedProxysForwardedHeaderGivesTheClientsSchemeAndHost() {
        HttpServletRequest seen = ForwardedRequest.of(request("10.1.2.3",
                Map.of("Forwarded", List.of("for=1.2.3.4;proto=http;host=evil.example, for=5.6.7.8;proto=https;host=myapps.example"))),
                PROXIES);
        assertEquals("https://myapps.example/verify", seen.getRequestURL().toString(), "the last entry: the proxy's own");
        assertTrue(seen.isSecure());
        assertEquals(443, seen.getServerPort());
    }

    @Test
    void xForwardedHeadersWithAPort() {
        HttpServletRequest seen = ForwardedRequest.of(request("::1",
                Map.of("X-Forwarded-Proto", List.of("https"), "X-Forwarded-Host", List.of("myapps.example:8443"))), PROXIES);
        assertEquals("https://myapps.example:8443/verify", seen.getRequestURL().toString());
    }

    @Test
    void theSameHeadersFromAnyoneElseAreIgnored() {
        HttpServletRequest direct = request("203.0.113.9",
                Map.of("X-Forwarded-Proto", List.of("https"), "X-Forwarded-Host", List.of("evil.example")));
        assertSame(direct, ForwardedRequest.of(direct, PROXIES));
        HttpServletRequest neighbour = request("192.168.1.8", Map.of("X-Forwarded-Host", List.of("evil.example")));
        assertSame(neighbour, ForwardedRequest.of(neighbour, PROXIES));
        assertSame(direct, ForwardedRequest.of(direct, new ForwardedRequest.TrustedProxies(new String[0])));
    }

    @Test
    void malformedValuesFallBackToTheServersOwnHost() {
        HttpServletRequest seen = ForwardedRequest.of(request("10.0.0.1",
                Map.of("X-Forwarded-Proto", List.of("https"), "X-Forwarded-Host", List.of("evil.example/path?"))), PROXIES);
        assertEquals("https://app.internal/verify", seen.getRequestURL().toString());
        HttpServletRequest badScheme = request("10.0.0.1", Map.of("X-Forwarded-Proto", List.of("javascript")));
        assertSame(badScheme, ForwardedRequest.of(badScheme, PROXIES));
        assertFalse(ForwardedRequest.of(request("10.0.0.1", Map.of()), PROXIES).isSecure());
    }

    @Test
    void trustedProxiesAreIpLiteralsOrBlocks() {
        assertThrows(IllegalArgumentException.class, () -> new ForwardedRequest.TrustedProxies(new String[] {"proxy.example"}));
        assertThrows(IllegalArgumentException.class, () -> new ForwardedRequest.TrustedProxies(new String[] {"10.0.0.0/33"}));
    }
}
