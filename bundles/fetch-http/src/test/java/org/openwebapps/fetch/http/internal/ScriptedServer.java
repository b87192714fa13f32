package org.openwebapps.fetch.http.internal;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw TCP server on the loopback that answers each connection as its script says: what
 * misbehaving HTTP servers do (trickle, never end, lie about lengths), byte by byte.
 */
final class ScriptedServer implements AutoCloseable {

    /** What to do with one connection, after its request head was read. */
    interface Script {
        void answer(String requestHead, OutputStream out) throws IOException, InterruptedException;
    }

    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    final AtomicInteger connections = new AtomicInteger();
    final List<String> heads = new CopyOnWriteArrayList<>();
    /** Counted down when a connection ends because the client closed it while being answered. */
    final CountDownLatch clientClosed = new CountDownLatch(1);

    ScriptedServer(Script script) throws IOException {
        this(new ServerSocket(0, 200, InetAddress.getLoopbackAddress()), script);
    }

    /** @param server a bound server socket: plain, or TLS from an {@code SSLServerSocketFactory} */
    ScriptedServer(ServerSocket server, Script script) {
        this.server = server;
        threads.execute(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    connections.incrementAndGet();
                    threads.execute(() -> serve(socket, script));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    private void serve(Socket socket, Script script) {
        try (socket) {
            String head = readHead(socket.getInputStream());
            heads.add(head);
            script.answer(head, socket.getOutputStream());
        } catch (IOException e) {
            clientClosed.countDown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }

    int port() {
        return server.getLocalPort();
    }

    static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(ISO_8859_1));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }
}
