package org.openwebapps.payments.fake.internal;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.openwebapps.rest.ApiError;
import org.openwebapps.rest.JakartarsName;
import org.openwebapps.rest.JakartarsResource;
import org.openwebapps.rest.Loopback;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code /payments-fake/sessions/{id}}: {@code GET} a page with the session's order and a button
 * per action; {@code POST {"action": "pay"}} (or the page's form) performs it and answers
 * {@code {"action", "transaction_id", "notification", "delivered_status", "delivered_body"}} (a
 * form is sent back to the page). Loopback clients only.
 */
@Component(service = FakeSessionsResource.class)
@JakartarsResource
@JakartarsName("payments-fake")
@Path(FakePaymentProvider.SESSIONS + "{id}")
public final class FakeSessionsResource {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY_BYTES = 4096;

    private final FakePaymentProvider provider;

    @Activate
    public FakeSessionsResource(@Reference FakePaymentProvider provider) {
        this.provider = provider;
    }

    @GET
    public Response page(@Context HttpServletRequest request, @PathParam("id") String id) {
        if (!fromLoopback(request)) {
            return forbidden();
        }
        Optional<FakePaymentProvider.Session> session = provider.session(id);
        if (session.isEmpty()) {
            return ApiError.response(Response.Status.NOT_FOUND, "no such payment session");
        }
        return Response.ok(Pages.session(session.get()), MediaType.TEXT_HTML_TYPE.withCharset("utf-8"))
                .header("Content-Security-Policy", "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'")
                .header("X-Content-Type-Options", "nosniff").header("Cache-Control", "no-store").build();
    }

    @POST
    public Response act(@Context HttpServletRequest request, @PathParam("id") String id,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String type, byte[] body) {
        if (!fromLoopback(request)) {
            return forbidden();
        }
        Optional<FakePaymentProvider.Session> session = provider.session(id);
        if (session.isEmpty()) {
            return ApiError.response(Response.Status.NOT_FOUND, "no such payment session");
        }
        if (body != null && body.length > MAX_BODY_BYTES) {
            return ApiError.response(Response.Status.REQUEST_ENTITY_TOO_LARGE, "send {\"action\": ...}");
        }
        boolean form = type != null && type.toLowerCase().startsWith(MediaType.APPLICATION_FORM_URLENCODED);
        Optional<FakePaymentProvider.Action> action = action(body == null ? new byte[0] : body, form)
                .flatMap(FakePaymentProvider.Action::named);
        if (action.isEmpty()) {
            return ApiError.response(Response.Status.BAD_REQUEST, "action is pay, fail, refund, chargeback, repeat or conflict");
        }
        FakePaymentProvider.Delivery delivery;
        try {
            delivery = provider.act(session.get(), action.get());
        } catch (IllegalStateException e) {
            return ApiError.response(Response.Status.CONFLICT, e.getMessage());
        }
        if (form) {
            return Response.seeOther(URI.create(FakePaymentProvider.SESSIONS + id)).build();
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("action", delivery.action());
        answer.put("transaction_id", delivery.transactionId());
        answer.put("notification", delivery.notification());
        answer.put("delivered_status", delivery.deliveredStatus());
        answer.put("delivered_body", delivery.deliveredBody());
        return Response.ok(answer, MediaType.APPLICATION_JSON_TYPE).build();
    }

    private static Optional<String> action(byte[] body, boolean form) {
        if (form) {
            for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
                if (pair.startsWith("action=")) {
                    try {
                        return Optional.of(URLDecoder.decode(pair.substring(7), StandardCharsets.UTF_8));
                    } catch (IllegalArgumentException e) {
                        return Optional.empty();
                    }
                }
            }
            return Optional.empty();
        }
        try {
            JsonNode json = JSON.readTree(body);
            return json != null && json.path("action").isTextual() ? Optional.of(json.path("action").textValue()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static boolean fromLoopback(HttpServletRequest request) {
        return request != null && Loopback.loopback(request.getRemoteAddr());
    }

    private static Response forbidden() {
        return ApiError.response(Response.Status.FORBIDDEN, "the fake payment provider answers loopback clients only");
    }
}
