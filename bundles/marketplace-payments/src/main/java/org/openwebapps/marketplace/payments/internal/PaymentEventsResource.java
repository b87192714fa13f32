package org.openwebapps.marketplace.payments.internal;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.openwebapps.marketplace.Accounts;
import org.openwebapps.rest.JakartarsName;
import org.openwebapps.rest.JakartarsResource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code API/reviewers/payment-events[?purchase=&limit=]}: notifications as received and judged, newest first. */
@Component(service = PaymentEventsResource.class)
@JakartarsResource
@JakartarsName("marketplace-payment-events")
@Path(PaymentsHttp.API + "/reviewers/payment-events")
public final class PaymentEventsResource {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    private final Payments payments;
    private final Accounts accounts;

    @Activate
    public PaymentEventsResource(@Reference Payments payments, @Reference Accounts accounts) {
        this.payments = payments;
        this.accounts = accounts;
    }

    @GET
    public Response events(@Context UriInfo uri, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @QueryParam("purchase") String purchase, @QueryParam("limit") String limit) {
        return PaymentsHttp.answer(payments, () -> {
            int count = DEFAULT_LIMIT;
            if (limit != null && !limit.isEmpty()) {
                if (!limit.matches("[0-9]{1,4}") || Integer.parseInt(limit) < 1 || Integer.parseInt(limit) > MAX_LIMIT) {
                    throw new PaymentsException(400, "bad_query", "limit must be between 1 and " + MAX_LIMIT);
                }
                count = Integer.parseInt(limit);
            }
            String which = purchase == null || purchase.isEmpty() ? null : purchase;
            return PaymentsHttp.json(200, PaymentsHttp.list(payments.events(PaymentsHttp.user(accounts, authorization, uri),
                    which, count).stream().map(PaymentEvent::toJson).toList()));
        });
    }
}
