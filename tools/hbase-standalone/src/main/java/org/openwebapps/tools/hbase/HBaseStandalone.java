package org.openwebapps.tools.hbase;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hbase.HBaseConfiguration;
import org.apache.hadoop.hbase.LocalHBaseCluster;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.apache.hadoop.hbase.client.ResultScanner;
import org.apache.hadoop.hbase.client.Scan;
import org.apache.hadoop.hbase.client.Table;
import org.apache.hadoop.hbase.master.HMaster;
import org.apache.hadoop.hbase.regionserver.HRegionServer;
import org.apache.hadoop.hbase.zookeeper.MiniZooKeeperCluster;

/**
 * A real single-node HBase for tests and development: ZooKeeper, one master and one region
 * server in this JVM, data on the local filesystem (the same code path as HBase's standalone
 * mode). Writes the ZooKeeper client port to a file once {@code hbase:meta} can be read; until
 * then clients must not connect.
 *
 * <p>Usage: {@code HBaseStandalone <data directory> <port file> [<ZooKeeper port>]}. With a port
 * (a restart after the process was killed), ZooKeeper listens there again, so clients configured
 * for it reconnect, and the data directory's tables are recovered. Exits with status 1 on any
 * startup failure (ZooKeeper's non-daemon threads would otherwise keep a broken JVM alive).
 */
public final class HBaseStandalone {

    private HBaseStandalone() {
    }

    public static void main(String[] args) {
        if (args.length != 2 && args.length != 3) {
            System.err.println("usage: HBaseStandalone <data directory> <port file> [<ZooKeeper port>]");
            System.exit(2);
        }
        try {
            start(Path.of(args[0]).toAbsolutePath(), Path.of(args[1]).toAbsolutePath(),
                    args.length == 3 ? Integer.parseInt(args[2]) : 0);
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void start(Path dir, Path portFile, int port) throws Exception {
        Configuration conf = HBaseConfiguration.create();
        conf.set("hbase.cluster.distributed", "false");
        conf.set("hbase.rootdir", dir.resolve("root").toUri().toString());
        conf.set("hbase.tmp.dir", dir.resolve("tmp").toString());
        conf.setBoolean("hbase.unsafe.stream.capability.enforce", false); // no hflush on a local disk
        conf.set("hbase.zookeeper.quorum", "127.0.0.1");
        conf.set("hbase.master.hostname", "localhost");
        conf.set("hbase.regionserver.hostname", "localhost");
        conf.setInt("hbase.master.info.port", -1);
        conf.setInt("hbase.regionserver.info.port", -1);
        conf.setBoolean("hbase.localcluster.assign.random.ports", true);
        // start in seconds, not half a minute: do not wait for more region servers, report quickly
        conf.setInt("hbase.master.wait.on.regionservers.mintostart", 1);
        conf.setInt("hbase.master.wait.on.regionservers.maxtostart", 1);
        conf.setInt("hbase.regionserver.msginterval", 500);
        // Long enough for the process to survive being frozen (SIGSTOP in the failover tests): on
        // SIGCONT the ZooKeeper server in this JVM expires every session it last heard from longer
        // ago than this (up to a third of it passes before the freeze: the ping interval), which
        // aborts the master and region server. At most 40 s (20 ticks of the mini cluster's 2 s).
        // The price: after a kill -9, the restarted master waits this long before it can start.
        conf.setInt("zookeeper.session.timeout", 30_000);

        MiniZooKeeperCluster zookeeper = new MiniZooKeeperCluster(conf);
        if (port > 0) {
            zookeeper.setDefaultClientPort(port);
            // ZooKeeper restores the killed process's sessions (an empty ZooKeeper would refuse the
            // clients that saw the old one's transaction ids) and keeps the old master's znode until
            // its session times out: the new master becomes active only then.
            conf.setInt("hbase.master.start.timeout.localHBaseCluster", 120_000);
        }
        int zkPort = zookeeper.startup(dir.resolve("zookeeper").toFile());
        conf.setInt("hbase.zookeeper.property.clientPort", zkPort);

        LocalHBaseCluster cluster = new LocalHBaseCluster(conf, 1, 1, HMaster.class, HRegionServer.class);
        cluster.startup();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                cluster.shutdown();
                cluster.join();
                zookeeper.shutdown();
            } catch (Exception e) {
                e.printStackTrace();
            }
        }, "hbase-shutdown"));

        try (Connection connection = ConnectionFactory.createConnection(conf);
                Table meta = connection.getTable(TableName.META_TABLE_NAME);
                ResultScanner scanner = meta.getScanner(new Scan().setLimit(1))) {
            scanner.next(); // blocks (with the client's retries) until meta is online
        }
        Path written = Files.createTempFile(portFile.getParent(), "hbase", ".port");
        Files.writeString(written, Integer.toString(zkPort), StandardCharsets.US_ASCII);
        Files.move(written, portFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("HBase ready, ZooKeeper on 127.0.0.1:" + zkPort);
    }
}
