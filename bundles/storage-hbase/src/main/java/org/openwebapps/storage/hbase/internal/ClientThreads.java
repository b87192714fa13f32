package org.openwebapps.storage.hbase.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads the embedded HBase client (with its ZooKeeper client and shaded Netty) runs. Closing
 * the client asks them to end, and they end asynchronously; a bundle uninstalled meanwhile takes
 * their classes away under them (a ZooKeeper send thread died of NoClassDefFoundError so, once). So
 * deactivation waits, bounded, until none is left.
 */
final class ClientThreads {

    private static final Logger LOG = LoggerFactory.getLogger(ClientThreads.class);
    /** Packages that exist in this bundle only: the client is embedded, shaded parts included. */
    private static final List<String> PACKAGES = List.of("org.apache.hadoop.", "org.apache.hbase.thirdparty.",
            "org.apache.zookeeper.");

    private ClientThreads() {
    }

    /** Waits until every client thread ended, at most {@code bound}; the stragglers are logged. */
    static void awaitEnd(ClassLoader bundleLoader, Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        List<Thread> left = running(bundleLoader);
        while (!left.isEmpty() && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            left = running(bundleLoader);
        }
        if (!left.isEmpty()) {
            LOG.warn("HBase storage: {} client threads still running {} after closing: {}", left.size(), bound,
                    left.stream().map(Thread::getName).toList());
        }
    }

    /** Threads of this bundle's classes: their own class, or code of the client on their stack. */
    static List<Thread> running(ClassLoader bundleLoader) {
        Thread self = Thread.currentThread();
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(entry -> entry.getKey() != self && entry.getKey().isAlive())
                .filter(entry -> entry.getKey().getClass().getClassLoader() == bundleLoader || runsClientCode(entry.getValue()))
                .map(Map.Entry::getKey).toList();
    }

    private static boolean runsClientCode(StackTraceElement[] stack) {
        for (StackTraceElement frame : stack) {
            for (String prefix : PACKAGES) {
                if (frame.getClassName().startsWith(prefix)) {
                    return true;
                }
            }
        }
        return false;
    }
}
