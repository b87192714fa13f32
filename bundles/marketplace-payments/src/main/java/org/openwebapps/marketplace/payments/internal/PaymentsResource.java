package org.openwebapps.marketplace.payments.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import com.fasterxml.jackson.databind.JsonNode;

import org.openwebapps.marketplace.Accounts;
import org.openwebapps.marketplace.MarketplaceUser;
import org.openwebapps.rest.JakartarsName;
import org.openwebapps.rest.JakartarsResource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code API/payments}: prepare, read, cancel and refund a purchase, and the providers' notify
 * endpoint. Signed in with the Marketplace's tokens ({@link Accounts}).
 */
@Component(service = PaymentsResource.class)
@JakartarsResource
@JakartarsName("marketplace-payments")
@Path(PaymentsHttp.API + "/payments")
public final class PaymentsResource {

    private final Payments payments;
    private final Accounts accounts;

    @Activate
    public PaymentsResource(@Reference Payments payments, @Reference Accounts accounts) {
        this.payments = payments;
        this.accounts = accounts;
    }

    @POST
    @Path("prepare")
    public Response prepare(@Context UriInfo uri, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body) {
        return PaymentsHttp.answer(payments, () -> {
            MarketplaceUser user = user(authorization, uri);
            JsonNode app = PaymentsHttp.object(body).get("app");
            long appId;
            if (app != null && app.isIntegralNumber() && app.canConvertToLong()) {
                appId = app.longValue();
            } else if (app != null && app.isTextual() && app.textValue().matches("[0-9]{1,18}")) {
                appId = Long.parseLong(app.textValue());
            } else {
                throw PaymentsHttp.badRequest("app (an app id) is required");
            }
            Payments.Prepared prepared = payments.prepare(user, appId, accounts.siteUrl(uri.getBaseUri()));
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("purchase", prepared.purchase().toJson());
            answer.put("redirect_url", prepared.redirectUrl());
            return PaymentsHttp.json(prepared.created() ? 201 : 200, answer);
        });
    }

    @GET
    @Path("{uuid}")
    public Response get(@Context UriInfo uri, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("uuid") String uuid) {
        return PaymentsHttp.answer(payments, () -> PaymentsHttp.json(200, payments.get(user(authorization, uri), uuid).toJson()));
    }

    @POST
    @Path("{uuid}/cancel")
    public Response cancel(@Context UriInfo uri, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("uuid") String uuid) {
        return PaymentsHttp.answer(payments, () -> PaymentsHttp.json(200, payments.cancel(user(authorization, uri), uuid).toJson()));
    }

    @POST
    @Path("{uuid}/refund")
    public Response refund(@Context UriInfo uri, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("uuid") String uuid, byte[] body) {
        return PaymentsHttp.answer(payments, () -> {
            MarketplaceUser user = user(authorization, uri);
            JsonNode reason = PaymentsHttp.object(body).get("reason");
            if (reason != null && !reason.isNull() && (!reason.isTextual() || reason.textValue().length() > 500)) {
                throw PaymentsHttp.badRequest("reason must be a string of at most 500 characters");
            }
            String why = reason == null || reason.isNull() ? null : reason.textValue();
            return PaymentsHttp.json(202, payments.refund(user, uuid, why).toJson());
        });
    }

    /** A provider's notification: the raw body, any content type; success is the transaction id as text. */
    @POST
    @Path("notify/{provider}")
    public Response notify(@Context UriInfo uri, @Context HttpHeaders headers, @PathParam("provider") String provider,
            byte[] body) {
        return PaymentsHttp.answer(payments, () -> {
            if (body != null && body.length > Payments.MAX_NOTIFICATION_BYTES) {
                throw new PaymentsException(413, "payload_too_large",
                        "notifications are at most " + Payments.MAX_NOTIFICATION_BYTES + " bytes");
            }
            Map<String, List<String>> lowerCase = new LinkedHashMap<>();
            headers.getRequestHeaders().forEach((name, values) -> lowerCase.put(name.toLowerCase(Locale.ROOT), new ArrayList<>(values)));
            Payments.Judged judged = payments.notify(provider, lowerCase, body == null ? new byte[0] : body,
                    accounts.siteUrl(uri.getBaseUri()));
            return Response.status(judged.status()).type(MediaType.TEXT_PLAIN_TYPE.withCharset("utf-8"))
                    .entity(judged.transactionId()).build();
        });
    }

    private MarketplaceUser user(String authorization, UriInfo uri) throws PaymentsException {
        return PaymentsHttp.user(accounts, authorization, uri);
    }
}
