package org.openwebapps.fetch.http.internal;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

import org.openwebapps.fetch.FetchException;
import org.openwebapps.fetch.FetchException.Kind;
import org.openwebapps.fetch.FetchRequest;
import org.openwebapps.fetch.FetchResponse;

/**
 * One HTTP/1.1 request and its answer over a fresh connection to an address already checked
 * ({@code Connection: close}, identity encoding). The caller's watchdog closes the socket at the
 * deadline, which ends any connect, handshake, read or write still blocked; reads also carry the
 * remaining time as their timeout.
 */
final class HttpExchange {

    static final int MAX_HEADER_BYTES = 32 * 1024;
    private static final int MAX_LINE = 8 * 1024;
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final List<String> RESTRICTED = List.of("host", "content-length", "connection", "transfer-encoding",
            "expect", "upgrade", "te", "trailer", "keep-alive");

    private final Socket socket;
    private final long deadlineNanos;

    /** @param socket an unconnected socket, which this exchange connects and the watchdog may close */
    HttpExchange(Socket socket, long deadlineNanos) {
        this.socket = socket;
        this.deadlineNanos = deadlineNanos;
    }

    FetchResponse run(URI uri, InetSocketAddress address, SSLSocketFactory tls, FetchRequest request)
            throws IOException, FetchException {
        socket.connect(address, remainingMillis());
        Socket channel = socket;
        if (tls != null) {
            SSLSocket secure = (SSLSocket) tls.createSocket(socket, uri.getHost(), address.getPort(), true);
            SSLParameters parameters = secure.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the URL's host
            secure.setSSLParameters(parameters);
            secure.setSoTimeout(remainingMillis());
            secure.startHandshake();
            channel = secure;
        }
        OutputStream out = channel.getOutputStream();
        out.write(head(uri, request).getBytes(ISO_8859_1));
        out.write(request.body());
        out.flush();
        InputStream in = new BufferedInputStream(new TimedInput(channel), 8192);
        while (true) {
            int status = statusLine(readLine(in));
            Map<String, List<String>> headers = headers(in);
            if (status >= 100 && status < 200) {
                continue; // an interim answer (100 Continue, 103 Early Hints): the real one follows
            }
            byte[] body = status == 204 || status == 304 ? new byte[0] : body(in, headers, request.maxBytes());
            return new FetchResponse(uri, status, headers, body);
        }
    }

    /** Request headers a caller may set: no framing headers, nothing that could split the request. */
    static void checkHeaders(FetchRequest request) throws FetchException {
        for (Map.Entry<String, String> header : request.headers().entrySet()) {
            String name = header.getKey();
            String value = header.getValue();
            if (!TOKEN.matcher(name).matches() || RESTRICTED.contains(name.toLowerCase(Locale.ROOT))
                    || value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                throw new FetchException(Kind.REFUSED, "request header not allowed: " + name);
            }
        }
    }

    private static String head(URI uri, FetchRequest request) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String target = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        boolean defaultPort = uri.getPort() == -1;
        StringBuilder head = new StringBuilder(256).append(request.method()).append(' ').append(target)
                .append(" HTTP/1.1\r\nHost: ").append(uri.getHost()).append(defaultPort ? "" : ":" + uri.getPort())
                .append("\r\nConnection: close\r\nAccept-Encoding: identity\r\nUser-Agent: openwebapps-fetch/1\r\n");
        request.headers().forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        if (request.method().equals("POST")) {
            head.append("Content-Length: ").append(request.body().length).append("\r\n");
        }
        return head.append("\r\n").toString();
    }

    private static int statusLine(String line) throws FetchException {
        // HTTP/1.1 200 OK
        if (line.length() < 12 || !line.startsWith("HTTP/1.") || line.charAt(8) != ' ') {
            throw new FetchException(Kind.FAILED, "not an HTTP/1.x answer");
        }
        try {
            int status = Integer.parseInt(line.substring(9, 12));
            if (status < 100 || status > 599) {
                throw new NumberFormatException();
            }
            return status;
        } catch (NumberFormatException e) {
            throw new FetchException(Kind.FAILED, "bad status line");
        }
    }

    private static Map<String, List<String>> headers(InputStream in) throws IOException, FetchException {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        int bytes = 0;
        while (true) {
            String line = readLine(in);
            if (line.isEmpty()) {
                return headers;
            }
            bytes += line.length() + 2;
            int colon = line.indexOf(':');
            if (bytes > MAX_HEADER_BYTES || colon <= 0 || !TOKEN.matcher(line.substring(0, colon)).matches()) {
                throw new FetchException(Kind.FAILED, bytes > MAX_HEADER_BYTES ? "headers too large" : "bad header line");
            }
            headers.computeIfAbsent(line.substring(0, colon).toLowerCase(Locale.ROOT), name -> new ArrayList<>())
                    .add(line.substring(colon + 1).trim());
        }
    }

    private static byte[] body(InputStream in, Map<String, List<String>> headers, int maxBytes)
            throws IOException, FetchException {
        List<String> encoding = headers.get("transfer-encoding");
        if (encoding != null) {
            if (!encoding.get(encoding.size() - 1).toLowerCase(Locale.ROOT).endsWith("chunked")) {
                throw new FetchException(Kind.FAILED, "unsupported transfer encoding");
            }
            return chunked(in, maxBytes);
        }
        List<String> length = headers.get("content-length");
        if (length != null) {
            long declared;
            try {
                declared = Long.parseLong(length.get(0));
            } catch (NumberFormatException e) {
                throw new FetchException(Kind.FAILED, "bad Content-Length");
            }
            if (declared < 0 || length.stream().anyMatch(value -> !value.equals(length.get(0)))) {
                throw new FetchException(Kind.FAILED, "bad Content-Length");
            }
            if (declared > maxBytes) {
                throw new FetchException(Kind.TOO_LARGE, "Content-Length " + declared + " over " + maxBytes);
            }
            byte[] body = in.readNBytes((int) declared);
            if (body.length < declared) {
                throw new FetchException(Kind.FAILED, "body shorter than its Content-Length");
            }
            return body;
        }
        byte[] body = in.readNBytes(maxBytes + 1); // delimited by the end of the connection
        if (body.length > maxBytes) {
            throw new FetchException(Kind.TOO_LARGE, "body over " + maxBytes + " bytes");
        }
        return body;
    }

    private static byte[] chunked(InputStream in, int maxBytes) throws IOException, FetchException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String line = readLine(in);
            int semicolon = line.indexOf(';');
            String size = (semicolon < 0 ? line : line.substring(0, semicolon)).trim();
            long chunk;
            try {
                chunk = size.isEmpty() || size.length() > 8 ? -1 : Long.parseLong(size, 16);
            } catch (NumberFormatException e) {
                chunk = -1;
            }
            if (chunk < 0) {
                throw new FetchException(Kind.FAILED, "bad chunk size");
            }
            if (chunk == 0) {
                headers(in); // trailers, ignored
                return body.toByteArray();
            }
            if (body.size() + chunk > maxBytes) {
                throw new FetchException(Kind.TOO_LARGE, "chunked body over " + maxBytes + " bytes");
            }
            byte[] data = in.readNBytes((int) chunk);
            if (data.length < chunk || !readLine(in).isEmpty()) {
                throw new FetchException(Kind.FAILED, "truncated chunk");
            }
            body.write(data);
        }
    }

    /** @return a line without its CRLF (a bare LF is tolerated) */
    private static String readLine(InputStream in) throws IOException, FetchException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new FetchException(Kind.FAILED, "connection closed mid-answer");
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, end, ISO_8859_1);
            }
            if (line.size() >= MAX_LINE) {
                throw new FetchException(Kind.FAILED, "line too long");
            }
            line.write(b);
        }
    }

    private int remainingMillis() throws FetchException {
        long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new FetchException(Kind.FAILED, "deadline passed");
        }
        return (int) Math.min(left, Integer.MAX_VALUE);
    }

    /** The socket's input, each read given the time left until the deadline. */
    private final class TimedInput extends InputStream {
        private final Socket channel;
        private final InputStream in;

        TimedInput(Socket channel) throws IOException {
            this.channel = channel;
            this.in = channel.getInputStream();
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            try {
                channel.setSoTimeout(remainingMillis());
            } catch (FetchException e) {
                throw new java.net.SocketTimeoutException("deadline passed");
            }
            return in.read(buffer, offset, length);
        }
    }
}
