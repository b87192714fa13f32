package org.openwebapps.marketplace.payments.internal;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
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

/** {@code API/account/purchases/mine}: the profile's purchases, newest first, with their receipts. */
@Component(service = PurchasesResource.class)
@JakartarsResource
@JakartarsName("marketplace-purchases")
@Path(PaymentsHttp.API + "/account/purchases")
public final class PurchasesResource {

    private final Payments payments;
    private final Accounts accounts;

    @Activate
    public PurchasesResource(@Reference Payments payments, @Reference Accounts accounts) {
        this.payments = payments;
        this.accounts = accounts;
    }

    @GET
    @Path("mine")
    public Response mine(@Context UriInfo uri, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return PaymentsHttp.answer(payments, () -> PaymentsHttp.json(200, PaymentsHttp.list(
                payments.purchasesOf(PaymentsHttp.user(accounts, authorization, uri)).stream().map(Purchase::toJson).toList())));
    }
}
