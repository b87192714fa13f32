package org.openwebapps.marketplace.receipts.internal;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;

import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;

import org.openwebapps.marketplace.Accounts;
import org.openwebapps.marketplace.PurchaseCheck;
import org.openwebapps.rest.ApiError;
import org.openwebapps.rest.JakartarsName;
import org.openwebapps.rest.JakartarsResource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * {@code API/receipts}: test receipts for developers ({@code test}) and new receipts for old ones
 * ({@code reissue}); neither needs a sign-in (a receipt proves itself). A root resource apart from
 * the verifier's {@code /marketplace}: below it, the catalog's longer root {@code API} would win
 * the match for these paths.
 */
@Component(service = ReceiptsResource.class)
@JakartarsResource
@JakartarsName("marketplace-receipts")
@Path(ReceiptSigner.API + "/receipts")
public final class ReceiptsResource {

    private static final int MAX_BODY_BYTES = 16 * 1024;

    private final Receipts receipts;
    private final Accounts accounts;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile PurchaseCheck purchases;

    @Activate
    public ReceiptsResource(@Reference Receipts receipts, @Reference Accounts accounts) {
        this.receipts = receipts;
        this.accounts = accounts;
    }

    /** {@code {"manifest_url","receipt_type"}} → 201 {@code {"receipt"}}. */
    @POST
    @Path("test")
    public Response test(@Context UriInfo uri, byte[] body) {
        if (body != null && body.length > MAX_BODY_BYTES) {
            return error(413, "payload_too_large", "request bodies are at most " + MAX_BODY_BYTES + " bytes");
        }
        JsonNode request;
        try {
            request = body == null || body.length == 0 ? null : AsciiJson.MAPPER.readTree(body);
        } catch (IOException e) {
            request = null;
        }
        if (request == null || !request.isObject()) {
            return error(400, "bad_request", "the body must be a JSON object {\"manifest_url\",\"receipt_type\"}");
        }
        String type = request.path("receipt_type").asText("");
        if (!ReceiptSigner.TEST_TYPES.contains(type)) {
            return error(400, "bad_request", "receipt_type must be one of " + String.join(", ", ReceiptSigner.TEST_TYPES));
        }
        String origin = origin(request.path("manifest_url").asText(""));
        if (origin == null) {
            return error(400, "bad_request", "manifest_url must be an absolute http or https URL");
        }
        return ReceiptHttp.json(201, Map.of("receipt", receipts.issueTest(origin, type, accounts.siteUrl(uri.getBaseUri()))));
    }

    /** The raw receipt → 200 {@code {"status":"ok","receipt"}}, or 400 with the verifier's answer. */
    @POST
    @Path("reissue")
    public Response reissue(@Context UriInfo uri, byte[] body) {
        return ReceiptHttp.withPurchases(purchases, receipts.retryAfterSeconds(), found -> {
            Map<String, Object> answer = receipts.verifier().reissue(ReceiptHttp.text(body), accounts.siteUrl(uri.getBaseUri()), found);
            return ReceiptHttp.json(answer.containsKey("receipt") ? 200 : 400, answer);
        });
    }

    @OPTIONS
    @Path("reissue")
    public Response preflight() {
        return ReceiptHttp.preflight();
    }

    /** @return {@code scheme://host[:port]} of an absolute http(s) URL, the port only when not the default */
    static String origin(String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getRawUserInfo() != null) {
                return null;
            }
            boolean defaultPort = uri.getPort() < 0 || uri.getPort() == (scheme.equals("https") ? 443 : 80);
            return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + uri.getPort());
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static Response error(int status, String code, String message) {
        return ReceiptHttp.json(status, new ApiError(status, code, message));
    }
}
