package org.openwebapps.storage.hbase.internal;

import java.lang.reflect.Field;
import java.util.concurrent.ExecutorService;

import org.apache.hbase.thirdparty.io.netty.util.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops the timer threads the HBase client keeps in static fields. They are created once per
 * class loader and never stopped, so without this every uninstall of this bundle would leave
 * four threads (and the bundle's class loader) behind: the 20-cycle IT counted 21 of each.
 * Only for when the bundle stops: the same class loader cannot start them again.
 */
final class HBaseClientStatics {

    private static final Logger LOG = LoggerFactory.getLogger(HBaseClientStatics.class);

    private HBaseClientStatics() {
    }

    static void release() {
        stop("org.apache.hadoop.hbase.client.AsyncConnectionImpl", "RETRY_TIMER");
        stop("org.apache.hadoop.hbase.ipc.AbstractRpcClient", "WHEEL_TIMER");
        stop("org.apache.hadoop.hbase.ipc.AbstractRpcClient", "IDLE_CONN_SWEEPER");
        // Hadoop's file system statistics cleaner: a daemon thread per class loader, ends when interrupted
        stop("org.apache.hadoop.fs.FileSystem$Statistics", "STATS_DATA_CLEANER");
    }

    private static void stop(String className, String fieldName) {
        try {
            Field field = Class.forName(className, false, HBaseClientStatics.class.getClassLoader())
                    .getDeclaredField(fieldName);
            field.setAccessible(true);
            Object value = field.get(null);
            if (value instanceof Timer timer) {
                timer.stop();
            } else if (value instanceof ExecutorService executor) {
                executor.shutdownNow();
            } else if (value instanceof Thread thread) {
                thread.interrupt();
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // another HBase version: the threads stay, nothing else breaks
            LOG.warn("HBase storage: could not stop the client's static {}.{}", className, fieldName, e);
        }
    }
}
