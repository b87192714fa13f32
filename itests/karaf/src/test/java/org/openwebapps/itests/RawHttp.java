package org.openwebapps.itests;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;

/**
 * A raw HTTP/1.1 connection to the server under test, for what well-behaved clients never do:
 * announce a body and not send it, send it one byte at a time, stop half-way.
 */
final class RawHttp implements AutoCloseable {

    private final Socket socket;

    /** Opens a connection and sends {@code head} (request line and headers, CRLF-terminated) and {@code bodyStart}. */
    RawHttp(int port, String head, String bodyStart) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(30_000); // a guard against a hang: every answer expected comes far sooner
        socket.getOutputStream().write((head + "\r\n" + bodyStart).getBytes(ISO_8859_1));
        socket.getOutputStream().flush();
    }

    /** Sends more of the request. */
    void send(String more) throws IOException {
        socket.getOutputStream().write(more.getBytes(ISO_8859_1));
        socket.getOutputStream().flush();
    }

    /** Says the request is over: the server reads end-of-stream where it expected more body. */
    void endRequest() throws IOException {
        socket.shutdownOutput();
    }

    /** @return the whole answer (the server closes after it), headers and body */
    String answer() throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        for (int n; (n = in.read(buffer)) > 0;) {
            answer.write(buffer, 0, n);
            String text = answer.toString(ISO_8859_1);
            int bodyAt = text.indexOf("\r\n\r\n");
            int length = text.indexOf("Content-Length: ");
            if (bodyAt > 0 && length > 0 && length < bodyAt) {
                int end = text.indexOf("\r\n", length);
                int announced = Integer.parseInt(text.substring(length + "Content-Length: ".length(), end).trim());
                if (text.length() >= bodyAt + 4 + announced) {
                    break;
                }
            }
        }
        return answer.toString(ISO_8859_1);
    }

    /** @return the status code of {@link #answer()} */
    static int status(String answer) {
        return Integer.parseInt(answer.substring(9, 12));
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
