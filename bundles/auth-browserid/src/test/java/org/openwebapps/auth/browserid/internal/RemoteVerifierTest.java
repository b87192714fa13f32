package org.openwebapps.auth.browserid.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;

import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openwebapps.browserid.BrowserIdException;
import org.openwebapps.fetch.http.internal.TestFetchers;

/** The remote verifier's answers read as a careful relying party reads them, over real HTTP. */
class RemoteVerifierTest {

    private static final String RP = "https://rp.example";

    private HttpServer verifier;
    private volatile int status = 200;
    private volatile String answer;

    @BeforeEach
    void start() throws Exception {
        verifier = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        verifier.createContext("/verify", exchange -> {
            byte[] body = answer.getBytes(UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        verifier.start();
    }

    @AfterEach
    void stop() {
        verifier.stop(0);
    }

    private RemoteVerifier remote() {
        return new RemoteVerifier(URI.create("http://127.0.0.1:" + verifier.getAddress().getPort() + "/verify"), List.of(),
                TestFetchers.allowingLocal("127.0.0.1"), Duration.ofSeconds(2));
    }

    private static String okay(String extra) {
        return "{\"status\":\"okay\",\"email\":\"a@idp.example\",\"audience\":\"" + RP + "\",\"expires\":9999999999999,"
                + "\"issuer\":\"idp.example\"" + extra + "}";
    }

    @Test
    void anOkayAnswerIsAVerifiedEmail() throws Exception {
        answer = okay("");
        LocalVerifier.Verified verified = remote().verify("assertion", RP);
        assertEquals("a@idp.example", verified.email());
        assertTrue(verified.verified());
    }

    @Test
    void anUnverifiedAnswerStaysUnverified() throws Exception {
        answer = okay(",\"unverified\":true");
        assertFalse(remote().verify("assertion", RP).verified());
    }

    @Test
    void anotherAudienceOrABadEmailIsARejection() {
        answer = okay("").replace(RP, "https://other.example");
        assertEquals("audience mismatch: the remote verifier verified another audience",
                assertThrows(BrowserIdException.class, () -> remote().verify("assertion", RP)).getMessage());
        answer = okay("").replace("a@idp.example", "a@127.1");
        assertEquals("bad email in certificate",
                assertThrows(BrowserIdException.class, () -> remote().verify("assertion", RP)).getMessage());
    }

    @Test
    void noVerdictIsUnavailableNotARejection() {
        status = 500;
        answer = "{}";
        assertThrows(VerifierUnavailable.class, () -> remote().verify("assertion", RP));
        status = 200;
        answer = "not json";
        assertThrows(VerifierUnavailable.class, () -> remote().verify("assertion", RP));
        RemoteVerifier nowhere = new RemoteVerifier(URI.create("https://10.0.0.1/verify"), List.of(),
                TestFetchers.allowingLocal(), Duration.ofSeconds(2));
        assertEquals("remote verifier unreachable",
                assertThrows(VerifierUnavailable.class, () -> nowhere.verify("assertion", RP)).getMessage());
    }
}
