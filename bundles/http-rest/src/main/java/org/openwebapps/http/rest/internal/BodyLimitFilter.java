package org.openwebapps.http.rest.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

import org.openwebapps.rest.ApiError;

import jakarta.annotation.Priority;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/**
 * Refuses request bodies over the configured limit with 413: at once when {@code Content-Length}
 * announces it, and while reading when a chunked body grows past it.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION - 500)
final class BodyLimitFilter implements ContainerRequestFilter {

    private final long maxBytes;

    BodyLimitFilter(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String declared = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (declared != null) {
            long length;
            try {
                length = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                throw new ClientErrorException(
                        ApiError.response(Response.Status.BAD_REQUEST, "Invalid Content-Length header"));
            }
            if (length > maxBytes) {
                throw tooLarge();
            }
        }
        request.setEntityStream(new LimitedInputStream(request.getEntityStream(), maxBytes));
    }

    private ClientErrorException tooLarge() {
        return new ClientErrorException(ApiError.response(Response.Status.REQUEST_ENTITY_TOO_LARGE,
                "Request body larger than " + maxBytes + " bytes"));
    }

    /** Counts bytes as they are read and fails the read that passes the limit. */
    private final class LimitedInputStream extends FilterInputStream {
        private long remaining;

        LimitedInputStream(InputStream in, long limit) {
            super(in);
            this.remaining = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count(skipped);
            return skipped;
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        private void count(long n) {
            remaining -= n;
            if (remaining < 0) {
                throw tooLarge();
            }
        }
    }
}
