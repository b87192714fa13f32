package org.openwebapps.marketplace.receipts.internal;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.openwebapps.marketplace.Accounts;
import org.openwebapps.marketplace.PurchaseCheck;
import org.openwebapps.rest.JakartarsName;
import org.openwebapps.rest.JakartarsResource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The receipt verifier, {@code POST /marketplace/verify/{app id}} and its test receipts'
 * {@code /marketplace/verify/test/{type}}, and the published root keys at
 * {@code /marketplace/public_keys/root.jwk}. Apps call these from their own pages: CORS for any
 * origin, and verdicts are never cached.
 */
@Component(service = VerifierResource.class)
@JakartarsResource
@JakartarsName("marketplace-verifier")
@Path("/marketplace")
public final class VerifierResource {

    private final Receipts receipts;
    private final Accounts accounts;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile PurchaseCheck purchases;

    @Activate
    public VerifierResource(@Reference Receipts receipts, @Reference Accounts accounts) {
        this.receipts = receipts;
        this.accounts = accounts;
    }

    @POST
    @Path("verify/{app}")
    public Response verify(@Context UriInfo uri, @PathParam("app") String app, byte[] body) {
        return ReceiptHttp.withPurchases(purchases, receipts.retryAfterSeconds(), found -> ReceiptHttp.json(200,
                receipts.verifier().verify(ReceiptHttp.text(body), app, accounts.siteUrl(uri.getBaseUri()), found)));
    }

    @POST
    @Path("verify/test/{type}")
    public Response verifyTest(@Context UriInfo uri, @PathParam("type") String type, byte[] body) {
        return ReceiptHttp.json(200, receipts.verifier().verifyTest(ReceiptHttp.text(body), type, accounts.siteUrl(uri.getBaseUri())));
    }

    @OPTIONS
    @Path("verify/{app}")
    public Response preflight() {
        return ReceiptHttp.preflight();
    }

    @OPTIONS
    @Path("verify/test/{type}")
    public Response preflightTest() {
        return ReceiptHttp.preflight();
    }

    @GET
    @Path("public_keys/root.jwk")
    public Response rootKeys() {
        return ReceiptHttp.cors(Response.ok(receipts.rootJwks(), MediaType.APPLICATION_JSON_TYPE))
                .header("Cache-Control", "public, max-age=300").build();
    }
}
