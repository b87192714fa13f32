package org.openwebapps.http.rest.internal;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Reads a request body without holding a thread, before any resource sees the request: a sender
 * that trickles or stalls costs a connection, not a thread, and is cut off after the body
 * timeout (408). A body announced or grown past the limit is refused with 413 before or while
 * reading; a charset Java does not know is 415. Only then does {@code then} run, on a container
 * thread, with the whole body in memory. A body that arrived with the headers (the usual small
 * POST) is taken at once, without going async.
 */
final class BufferedBody {

    /** What runs once the body is in: the request with its buffered body. */
    interface Continuation {
        void run(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException;
    }

    /** Answers an error as JSON: status, message. */
    interface ErrorWriter {
        void write(HttpServletResponse response, int status, String message) throws IOException;
    }

    private BufferedBody() {
    }

    /** @return whether the request has a body to read (announced length above 0, or chunked) */
    static boolean present(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    }

    /**
     * Answers at once when the body may not be read (too large, unknown charset); otherwise reads
     * it asynchronously and runs {@code then}.
     */
    static void read(HttpServletRequest request, HttpServletResponse response, long maxBytes, long timeoutMillis,
            ErrorWriter errors, Continuation then) throws ServletException, IOException {
        long announced = request.getContentLengthLong();
        if (announced > maxBytes) {
            refuse(response, errors, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE,
                    "Request body larger than " + maxBytes + " bytes");
            return;
        }
        String charset = charsetOf(request.getContentType());
        if (charset != null && !supported(charset)) {
            refuse(response, errors, HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE, "Unsupported charset in Content-Type");
            return;
        }
        ServletInputStream in = request.getInputStream();
        if (announced > 0 && in.available() >= announced) {
            // the whole body came with the headers (the usual small POST): no reason to go async
            then.run(new Buffered(request, in.readNBytes((int) announced)), response);
            return;
        }
        AsyncContext async = request.startAsync();
        async.setTimeout(timeoutMillis);
        Reader reader = new Reader(request, response, async, in, maxBytes, errors, then);
        async.addListener(reader);
        in.setReadListener(reader);
    }

    /** Refuses without reading: the connection closes, so Jetty need not consume what was announced. */
    private static void refuse(HttpServletResponse response, ErrorWriter errors, int status, String message)
            throws IOException {
        response.setHeader("Connection", "close");
        errors.write(response, status, message);
    }

    static String charsetOf(String contentType) {
        if (contentType == null) {
            return null;
        }
        for (String parameter : contentType.split(";")) {
            String[] pair = parameter.trim().split("=", 2);
            if (pair.length == 2 && pair[0].trim().equalsIgnoreCase("charset")) {
                return pair[1].trim().replace("\"", "");
            }
        }
        return null;
    }

    private static boolean supported(String charset) {
        try {
            return Charset.isSupported(charset);
        } catch (IllegalCharsetNameException e) {
            return false;
        }
    }

    /** Collects the body as it arrives and finishes the exchange exactly once. */
    private static final class Reader implements ReadListener, AsyncListener {
        private final HttpServletRequest request;
        private final HttpServletResponse response;
        private final AsyncContext async;
        private final ServletInputStream in;
        private final long maxBytes;
        private final ErrorWriter errors;
        private final Continuation then;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private final byte[] buffer = new byte[8192];
        private boolean done;

        Reader(HttpServletRequest request, HttpServletResponse response, AsyncContext async, ServletInputStream in,
                long maxBytes, ErrorWriter errors, Continuation then) {
            this.request = request;
            this.response = response;
            this.async = async;
            this.in = in;
            this.maxBytes = maxBytes;
            this.errors = errors;
            this.then = then;
        }

        @Override
        public void onDataAvailable() throws IOException {
            while (in.isReady()) {
                int n = in.read(buffer);
                if (n < 0) {
                    return;
                }
                body.write(buffer, 0, n);
                if (body.size() > maxBytes) {
                    fail(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "Request body larger than " + maxBytes + " bytes");
                    return;
                }
            }
        }

        @Override
        public void onAllDataRead() throws IOException {
            synchronized (this) {
                if (done) {
                    return;
                }
                done = true;
            }
            try {
                then.run(new Buffered(request, body.toByteArray()), response);
            } catch (ServletException e) {
                throw new IOException(e);
            } finally {
                async.complete();
            }
        }

        @Override
        public void onError(Throwable failure) {
            // the client went away or broke the framing mid-body: nothing more to read
            fail(HttpServletResponse.SC_BAD_REQUEST, "Request body could not be read");
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            fail(HttpServletResponse.SC_REQUEST_TIMEOUT, "Request body not received in time");
        }

        @Override
        public void onComplete(AsyncEvent event) {
        }

        @Override
        public void onError(AsyncEvent event) {
            onError(event.getThrowable());
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
        }

        private void fail(int status, String message) {
            synchronized (this) {
                if (done) {
                    return;
                }
                done = true;
            }
            try {
                if (!response.isCommitted()) {
                    refuse(response, errors, status, message);
                }
            } catch (IOException | RuntimeException e) {
                // the client is gone: nobody to tell
            } finally {
                async.complete();
            }
        }
    }

    /**
     * The request with its body in memory. It has no servlet parameters (resources read query and
     * form parameters through JAX-RS), so nothing asks the container to parse a body it no longer has.
     */
    private static final class Buffered extends HttpServletRequestWrapper {
        private final byte[] body;

        Buffered(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream bytes = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return bytes.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return bytes.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return bytes.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new IllegalStateException("the body is already buffered");
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            String charset = charsetOf(getContentType());
            return new BufferedReader(new InputStreamReader(getInputStream(),
                    charset == null ? StandardCharsets.ISO_8859_1 : Charset.forName(charset.toUpperCase(Locale.ROOT))));
        }

        @Override
        public String getParameter(String name) {
            return null;
        }

        @Override
        public Map<String, String[]> getParameterMap() {
            return Map.of();
        }

        @Override
        public Enumeration<String> getParameterNames() {
            return Collections.emptyEnumeration();
        }

        @Override
        public String[] getParameterValues(String name) {
            return null;
        }
    }
}
