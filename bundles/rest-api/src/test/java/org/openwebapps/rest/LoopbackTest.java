package org.openwebapps.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;

import org.junit.jupiter.api.Test;

class LoopbackTest {

    @Test
    void onlyLoopbackEndpointsLetTheDevelopmentIdpStart() {
        assertTrue(Loopback.only(Loopback.endpoints("http://127.0.0.1:8080/")));
        assertTrue(Loopback.only(Loopback.endpoints(new String[] {"http://localhost:8080/", "http://[::1]:8080/"})));
        assertFalse(Loopback.only(Loopback.endpoints("http://0.0.0.0:8080/")));
        assertFalse(Loopback.only(Loopback.endpoints(List.of("http://127.0.0.1:8080/", "http://192.0.2.10:8080/"))));
        assertFalse(Loopback.only(Loopback.endpoints(null)));
    }

    @Test
    void endpointsComeInThreeShapes() {
        assertEquals(List.of(URI.create("http://a:1/")), Loopback.endpoints("http://a:1/"));
        assertEquals(2, Loopback.endpoints(new String[] {"http://a:1/", "http://b:2/"}).size());
        assertEquals(2, Loopback.endpoints(List.of("http://a:1/", "http://b:2/")).size());
    }
}
