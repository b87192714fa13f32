package org.openwebapps.itests;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP link to a real server (MariaDB) that the test can break: {@link #cut()} resets every open
 * connection and refuses new ones, like a server gone from the network; {@link #mend()} lets
 * connections through again. Listens on 127.0.0.1, on one port for its whole life.
 */
final class FaultyLink implements AutoCloseable {

    private final ServerSocket listener;
    private final String host;
    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean cut;

    FaultyLink(String host, int port) throws IOException {
        this.host = host;
        this.port = port;
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "faulty-link-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    void cut() {
        cut = true;
        for (Socket socket : open) {
            reset(socket);
        }
    }

    void mend() {
        cut = false;
    }

    @Override
    public void close() throws IOException {
        cut();
        listener.close();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                if (cut) {
                    reset(client);
                    continue;
                }
                Socket server = new Socket(host, port);
                open.add(client);
                open.add(server);
                pump(client, server);
                pump(server, client);
            } catch (IOException e) {
                // listener closed, or the server refused: the client sees its socket close
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, n);
                }
            } catch (IOException e) {
                // reset by cut(), or the peer closed
            } finally {
                reset(from);
                reset(to);
            }
        }, "faulty-link-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private void reset(Socket socket) {
        open.remove(socket);
        try {
            socket.setSoLinger(true, 0);
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
