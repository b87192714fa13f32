package org.openwebapps.http.rest.internal;

import java.io.IOException;

import org.openwebapps.rest.ApiError;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;

import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

/**
 * Turns a request body Jackson cannot read into 400. Only reading is intercepted: a
 * {@link JsonProcessingException} while writing a response stays a server error.
 */
final class JsonReadInterceptor implements ReaderInterceptor {
    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        try {
            return context.proceed();
        } catch (JsonMappingException e) {
            // the field path, not the offending value: no request data is echoed back
            throw badRequest("Request body does not have the expected JSON structure at '"
                    + pathOf(e) + "'");
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw badRequest("Request body is not valid JSON"
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        }
    }

    private static String pathOf(JsonMappingException e) {
        StringBuilder path = new StringBuilder("$");
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append('.').append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static BadRequestException badRequest(String message) {
        return new BadRequestException(ApiError.response(Response.Status.BAD_REQUEST, message));
    }
}
