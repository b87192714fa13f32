package org.openwebapps.fetch.http.internal;

import java.lang.annotation.Annotation;

import javax.net.ssl.SSLSocketFactory;

import org.openwebapps.fetch.OutboundFetcher;

/**
 * Real fetchers for unit tests, here and in other bundles (this bundle's test-jar): the
 * configuration a test needs without ConfigAdmin.
 */
public final class TestFetchers {

    private TestFetchers() {
    }

    /** A configuration; every attribute at its default unless set. */
    public record Config(String[] allowHttpHosts, String[] allowPrivateHosts, int maxInFlight, int maxWaiting,
            int maxWaitingPerUrl, int maxDeadlineMs, int maxBytes) implements FetchConfiguration {

        public static Config defaults() {
            return new Config(new String[0], new String[0], 32, 64, 8, 10000, 1048576);
        }

        /** @param hosts hosts fetched over plain HTTP, at non-public addresses: test servers on the loopback */
        public Config allowingLocal(String... hosts) {
            return new Config(hosts, hosts, maxInFlight, maxWaiting, maxWaitingPerUrl, maxDeadlineMs, maxBytes);
        }

        public Config withCaps(int inFlight, int waiting, int waitingPerUrl) {
            return new Config(allowHttpHosts, allowPrivateHosts, inFlight, waiting, waitingPerUrl, maxDeadlineMs, maxBytes);
        }

        @Override
        public String[] allow_http_hosts() {
            return allowHttpHosts.clone();
        }

        @Override
        public String[] allow_private_hosts() {
            return allowPrivateHosts.clone();
        }

        @Override
        public int max_in_flight() {
            return maxInFlight;
        }

        @Override
        public int max_waiting() {
            return maxWaiting;
        }

        @Override
        public int max_waiting_per_url() {
            return maxWaitingPerUrl;
        }

        @Override
        public int max_deadline_ms() {
            return maxDeadlineMs;
        }

        @Override
        public int max_bytes() {
            return maxBytes;
        }

        @Override
        public Class<? extends Annotation> annotationType() {
            return FetchConfiguration.class;
        }
    }

    /** A fetcher that reaches these hosts over plain HTTP on the loopback, and public HTTPS hosts. */
    public static OutboundFetcher allowingLocal(String... hosts) {
        return new HttpFetcher(Config.defaults().allowingLocal(hosts));
    }

    /** A fetcher with exactly this configuration. */
    public static OutboundFetcher of(Config config) {
        return new HttpFetcher(config);
    }

    static HttpFetcher create(Config config, HttpFetcher.Resolver resolver) {
        return new HttpFetcher(config, resolver, (SSLSocketFactory) SSLSocketFactory.getDefault());
    }
}
