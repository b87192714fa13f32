package org.openwebapps.rest;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Whether the HTTP server listens on loopback only, from its runtime's {@code osgi.http.endpoint}:
 * what development-only components (the development IdP, the fake payment provider) check before
 * they start, and whether a request came from loopback.
 */
public final class Loopback {

    private Loopback() {
    }

    /** @return the endpoints as URIs; the property may be a String, an array or a collection */
    public static List<URI> endpoints(Object property) {
        List<URI> endpoints = new ArrayList<>();
        if (property instanceof String text) {
            endpoints.add(URI.create(text));
        } else if (property instanceof String[] array) {
            for (String text : array) {
                endpoints.add(URI.create(text));
            }
        } else if (property instanceof Collection<?> collection) {
            collection.forEach(text -> endpoints.add(URI.create(String.valueOf(text))));
        }
        return endpoints;
    }

    /** @return true when there is an endpoint and every one is on a loopback address */
    public static boolean only(List<URI> endpoints) {
        if (endpoints.isEmpty()) {
            return false;
        }
        for (URI endpoint : endpoints) {
            if (!loopback(endpoint.getHost())) {
                return false;
            }
        }
        return true;
    }

    public static boolean loopback(String host) {
        if (host == null || host.isEmpty()) {
            return false;
        }
        try {
            for (InetAddress address : InetAddress.getAllByName(host.replace("[", "").replace("]", ""))) {
                if (!address.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
