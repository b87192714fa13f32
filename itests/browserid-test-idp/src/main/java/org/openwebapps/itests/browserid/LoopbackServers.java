package org.openwebapps.itests.browserid;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.sun.net.httpserver.HttpServer;

/**
 * Loopback HTTP servers for tests, each on a port no earlier one of this JVM had. The server
 * remembers origins after their test: the catalog keeps an app (a reused port found its origin
 * taken), the BrowserID provider caches an IdP's keys (a new IdP on an old port had its assertions
 * refused until the cache expired). Both failed CI runs.
 */
public final class LoopbackServers {

    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private LoopbackServers() {
    }

    /** @return a bound, not yet started server on 127.0.0.1 */
    public static HttpServer onFreshPort() throws IOException {
        List<HttpServer> refused = new ArrayList<>(); // held open so that the system offers another port
        try {
            while (true) {
                HttpServer candidate = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
                if (HANDED_OUT.add(candidate.getAddress().getPort())) {
                    return candidate;
                }
                refused.add(candidate);
            }
        } finally {
            refused.forEach(server -> server.stop(0));
        }
    }
}
