package org.openwebapps.appsync.internal;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.openwebapps.appsync.api.AppSyncException;
import org.openwebapps.appsync.api.AppSyncRecords;
import org.openwebapps.auth.AuthenticationException;
import org.openwebapps.auth.Authenticator;
import org.openwebapps.auth.Credential;
import org.openwebapps.auth.Identity;
import org.openwebapps.metrics.Counter;
import org.openwebapps.metrics.MeterSlot;
import org.openwebapps.metrics.Meters;
import org.openwebapps.rest.ApiError;
import org.openwebapps.rest.JakartarsName;
import org.openwebapps.rest.JakartarsResource;
import org.openwebapps.sauropod.Sauropod;
import org.openwebapps.sauropod.SauropodException;
import org.openwebapps.sauropod.Session;
import org.openwebapps.sauropod.UserRecords;
import org.openwebapps.storage.InvalidRequestException;
import org.openwebapps.storage.StorageException;
import org.openwebapps.storage.StorageUnavailableException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AppSync protocol (contract: spec/appsync.md): {@code POST /verify} and
 * {@code GET/POST /collections/{user}/{collection}}, field for field as the 2011 clients expect.
 * Users log in through the auth SPI; their data lives in Sauropod under AppSync's own app id,
 * reached with the session token carried in {@code Authorization: AppSync ...}. The same writes
 * are offered in process as {@link AppSyncRecords} (the Marketplace's installs), so that this
 * node's poll cache learns of them like of any POST.
 */
@Component(service = {AppSyncResource.class, AppSyncRecords.class}, configurationPid = AppSyncResource.PID)
@Designate(ocd = AppSyncConfiguration.class)
@JakartarsResource
@JakartarsName("appsync")
@Path("/")
public final class AppSyncResource implements AppSyncRecords {

    static final String PID = "org.openwebapps.appsync";

    private static final Logger LOG = LoggerFactory.getLogger(AppSyncResource.class);
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final Pattern COLLECTION = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    /** Longest origin whose item key still fits the storage key limit. */
    private static final int MAX_ORIGIN_BYTES = 180;

    /** Error codes of 400 answers, as the reference server numbered them. */
    private static final int INVALID_JSON = 0;
    private static final int INVALID_SINCE_VALUE = 1;
    private static final int MISSING_VALUE = 2;
    /** Collections whose "nothing new" is remembered at most (about 100 bytes each). */
    private static final int POLL_CACHE_ENTRIES = 100_000;

    /** What one configuration decides, replaced as a whole when it changes. */
    private record Settings(Set<String> audiences, String appId, int pollSeconds, int retryAfterSeconds, int pageSize,
            int maxBodyBytes, int maxRecords) {
    }

    private final Authenticator authenticator;
    private final Sauropod sauropod;
    private final Clock clock = Clock.systemUTC();
    private final PollCache polls = new PollCache(System::nanoTime, POLL_CACHE_ENTRIES);
    private final MeterSlot<Counter> pollAnswers = new MeterSlot<>(meters -> meters.counter("owa_appsync_reads",
            "Collection reads (polls) by where the answer came from: cache (nothing new, no storage read) or storage", "answered"));
    private volatile Settings settings;

    @Activate
    public AppSyncResource(@Reference Authenticator authenticator, @Reference Sauropod sauropod,
            AppSyncConfiguration config) throws SauropodException {
        this.authenticator = authenticator;
        this.sauropod = sauropod;
        modified(config);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindMeters(Meters meters) {
        pollAnswers.bind(meters);
    }

    void unbindMeters(Meters meters) {
        pollAnswers.unbind(meters);
    }

    /** Configuration changes (the poll interval, say) apply at once, without re-registering the API. */
    @Modified
    void modified(AppSyncConfiguration config) throws SauropodException {
        if (config.page_size() < 1 || config.max_body_bytes() < 1 || config.max_records() < 1
                || config.poll_seconds() < 0 || config.retry_after_seconds() < 0 || config.poll_cache_millis() < 0) {
            throw new IllegalArgumentException("invalid " + PID + " configuration: limits must be positive");
        }
        List<String> audiences = new ArrayList<>();
        for (String audience : list(config.audiences())) {
            audiences.add(sauropod.normaliseAudience(audience));
        }
        settings = new Settings(Set.copyOf(audiences), sauropod.normaliseAudience(config.app_id()),
                config.poll_seconds(), config.retry_after_seconds(), config.page_size(), config.max_body_bytes(),
                config.max_records());
        polls.window(config.poll_cache_millis());
    }

    static List<String> list(String[] values) {
        return Arrays.stream(values).flatMap(v -> Arrays.stream(v.split(","))).map(String::trim)
                .filter(v -> !v.isEmpty()).toList();
    }

    // --- POST /verify ------------------------------------------------------------------------------

    @POST
    @Path("verify")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response verifyForm(@Context UriInfo uriInfo, MultivaluedMap<String, String> form) {
        return verify(uriInfo, form.getFirst("type"), form.getFirst("assertion"), form.getFirst("audience"));
    }

    @POST
    @Path("verify")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response verifyJson(@Context UriInfo uriInfo, Map<String, Object> body) {
        return verify(uriInfo, body != null && body.get("type") instanceof String t ? t : null,
                body != null && body.get("assertion") instanceof String a ? a : null,
                body != null && body.get("audience") instanceof String a ? a : null);
    }

    /** (Request data such as {@code UriInfo} come as parameters: this singleton outlives Jersey generations.) */
    /** {@code type} names the credential's provider (default {@code browserid}, what the 2011 client sends). */
    private Response verify(UriInfo uriInfo, String type, String assertion, String audience) {
        Settings current = settings;
        if (assertion == null || assertion.isEmpty()) {
            return badRequest(MISSING_VALUE, "missing assertion");
        }
        if (audience == null || audience.isEmpty()) {
            return badRequest(MISSING_VALUE, "missing audience");
        }
        try {
            if (!current.audiences().contains(sauropod.normaliseAudience(audience))) {
                return unauthorized("audience " + audience + " is not served here");
            }
        } catch (SauropodException e) {
            return unauthorized("audience must be an origin");
        }
        Credential credential;
        try {
            credential = Credential.of(type, assertion, audience);
        } catch (IllegalArgumentException e) {
            return badRequest(MISSING_VALUE, e.getMessage());
        }
        Identity identity;
        try {
            identity = authenticator.authenticate(credential);
        } catch (AuthenticationException e) {
            return e.kind() == AuthenticationException.Kind.UNAVAILABLE ? unavailable(e.getMessage())
                    : unauthorized(e.getMessage());
        }
        Session session;
        try {
            session = sauropod.openSession(identity, current.appId());
        } catch (SauropodException e) {
            if (e.reason() == SauropodException.Reason.UNAUTHENTICATED) {
                return unauthorized(e.getMessage());
            }
            LOG.error("AppSync cannot open Sauropod sessions in its bucket {}: {}", current.appId(), e.getMessage());
            return unavailable("storage is not set up for AppSync");
        }
        Map<String, Object> okay = new LinkedHashMap<>();
        okay.put("status", "okay");
        okay.put("email", identity.email());
        okay.put("audience", audience);
        okay.put("valid-until", SyncTime.seconds(session.expires().toEpochMilli() / 10 * 10));
        okay.put("issuer", identity.issuer());
        okay.put("collection_url", uriInfo.getBaseUriBuilder().path("collections").build().toString() + "/"
                + URLEncoder.encode(identity.email(), StandardCharsets.UTF_8).replace("+", "%20") + "/apps");
        okay.put("http_authorization", AuthorizationHeader.format(identity.email(), session.token()));
        return Response.ok(okay, MediaType.APPLICATION_JSON_TYPE).build();
    }

    // --- GET /collections/{user}/{collection} ---------------------------------------------------------

    @GET
    @Path("collections/{user}/{collection}")
    public Response read(@PathParam("user") String user, @PathParam("collection") String collection,
            @QueryParam("since") String since, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        Settings current = settings;
        if (!COLLECTION.matcher(collection).matches()) {
            return badRequest(MISSING_VALUE, "invalid collection name");
        }
        try {
            UserRecords records = records(user, authorization, current); // the token first: anonymous input costs nothing
            BigDecimal sinceSeconds;
            try {
                sinceSeconds = SyncTime.parse(since);
            } catch (NumberFormatException e) {
                return badRequest(INVALID_SINCE_VALUE, "invalid since value");
            }
            Collections.Answer answer = read(records, collection, SyncTime.millis(sinceSeconds), current.pageSize());
            String body;
            if (answer instanceof Collections.Deleted deleted) {
                body = JSON.writeValueAsString(Map.of("collection_deleted",
                        Map.of("reason", deleted.reason(), "client_id", deleted.clientId())));
            } else {
                Collections.Changes changes = (Collections.Changes) answer;
                StringBuilder json = new StringBuilder("{\"since\":").append(sinceSeconds.toPlainString())
                        .append(",\"until\":").append(SyncTime.seconds(changes.until()).toPlainString())
                        .append(",\"uuid\":").append(JSON.writeValueAsString(changes.uuid()))
                        .append(",\"applications\":[");
                Iterator<byte[]> documents = changes.documents().iterator();
                while (documents.hasNext()) {
                    json.append(new String(documents.next(), StandardCharsets.UTF_8)).append(documents.hasNext() ? "," : "");
                }
                json.append(']');
                if (changes.incomplete()) {
                    json.append(",\"incomplete\":true");
                }
                body = json.append('}').toString();
            }
            Response.ResponseBuilder ok = Response.ok(body, MediaType.APPLICATION_JSON_TYPE);
            if (current.pollSeconds() > 0) {
                ok.header("X-Sync-Poll", current.pollSeconds()).header("X-Sync-Poll-Time", current.pollSeconds());
            }
            return ok.build();
        } catch (Unauthorized e) {
            return unauthorized(e.getMessage());
        } catch (StorageException e) {
            return storageFailed(e);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an answer does not serialise", e);
        }
    }

    /** A poll the cache knows finds nothing new costs no storage read; any other reads storage. */
    private Collections.Answer read(UserRecords records, String collection, long sinceMillis, int pageSize)
            throws StorageException {
        String unchanged = polls.unchangedSince(records.bucket(), records.user(), collection, sinceMillis);
        Counter answers = pollAnswers.get();
        if (answers != null) {
            answers.increment(unchanged != null ? "cache" : "storage");
        }
        if (unchanged != null) {
            return new Collections.Changes(List.of(), sinceMillis, unchanged, false);
        }
        long started = polls.readStarts();
        Collections.Answer answer = Collections.read(records, collection, sinceMillis, pageSize);
        if (answer instanceof Collections.Changes changes && changes.documents().isEmpty() && !changes.incomplete()
                && changes.uuid() != null) {
            polls.nothingNew(records.bucket(), records.user(), collection, sinceMillis, changes.uuid(), started);
        }
        return answer;
    }

    // --- POST /collections/{user}/{collection}[?delete][?lastget=] -------------------------------------

    @POST
    @Path("collections/{user}/{collection}")
    public Response write(@PathParam("user") String user, @PathParam("collection") String collection,
            @QueryParam("delete") String delete, @QueryParam("lastget") String lastget,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body) {
        Settings current = settings;
        if (!COLLECTION.matcher(collection).matches()) {
            return badRequest(MISSING_VALUE, "invalid collection name");
        }
        if (body.length > current.maxBodyBytes()) {
            return ApiError.response(Response.Status.REQUEST_ENTITY_TOO_LARGE,
                    "body over " + current.maxBodyBytes() + " bytes");
        }
        try {
            UserRecords records = records(user, authorization, current);
            JsonNode json;
            try {
                json = JSON.readTree(body); // JSON whatever the Content-Type: the 2011 client sends none
            } catch (IOException e) {
                return badRequest(INVALID_JSON, "invalid JSON");
            }
            if (json == null) {
                return badRequest(INVALID_JSON, "invalid JSON");
            }
            long received;
            if (delete != null) {
                if (!json.isObject() || !json.path("client_id").isTextual() || json.path("client_id").asText().isEmpty()) {
                    return badRequest(MISSING_VALUE, "client_id is required");
                }
                try {
                    received = Collections.delete(records, collection, json.path("client_id").asText(),
                            json.path("reason").asText(""));
                } finally {
                    polls.written(records.bucket(), records.user(), collection); // even a failed write may have landed
                }
            } else {
                Long lastgetMillis = null;
                if (lastget != null) {
                    try {
                        lastgetMillis = SyncTime.millis(SyncTime.parse(lastget));
                    } catch (NumberFormatException e) {
                        return badRequest(INVALID_SINCE_VALUE, "invalid lastget value");
                    }
                }
                List<ObjectNode> documents = documents(json);
                if (documents.size() > current.maxRecords()) {
                    return ApiError.response(Response.Status.REQUEST_ENTITY_TOO_LARGE,
                            "more than " + current.maxRecords() + " applications in one POST");
                }
                long written;
                try {
                    written = Collections.write(records, collection, documents, lastgetMillis);
                } finally {
                    polls.written(records.bucket(), records.user(), collection);
                }
                received = written >= 0 ? written : clock.millis() / 10 * 10;
            }
            return Response.ok("{\"received\":" + SyncTime.seconds(received).toPlainString() + "}",
                    MediaType.APPLICATION_JSON_TYPE).build();
        } catch (Unauthorized e) {
            return unauthorized(e.getMessage());
        } catch (InvalidDocuments e) {
            return badRequest(MISSING_VALUE, e.getMessage());
        } catch (Collections.Conflict e) {
            return ApiError.response(Response.Status.PRECONDITION_FAILED, e.getMessage());
        } catch (StorageException e) {
            return storageFailed(e);
        }
    }

    // --- in process: AppSyncRecords --------------------------------------------------------------

    /** Who vouched for users written in process: the calling bundle authenticated them itself. */
    private static final String IN_PROCESS = "in-process";

    @Override
    public long write(String user, String collection, List<Map<String, Object>> documents) throws AppSyncException {
        Settings current = settings;
        if (user == null || user.isEmpty() || collection == null || !COLLECTION.matcher(collection).matches()) {
            throw new AppSyncException(AppSyncException.Kind.INVALID, "invalid user or collection name", null);
        }
        if (documents.isEmpty() || documents.size() > current.maxRecords()) {
            throw new AppSyncException(AppSyncException.Kind.INVALID,
                    "between 1 and " + current.maxRecords() + " applications in one write", null);
        }
        UserRecords records;
        try {
            Session session = sauropod.openSession(new Identity(user, true, IN_PROCESS, current.appId(),
                    clock.instant().plus(Duration.ofMinutes(1)), IN_PROCESS, Map.of()), current.appId());
            records = sauropod.records(session, current.appId(), user);
        } catch (SauropodException e) {
            throw new AppSyncException(AppSyncException.Kind.INVALID, e.getMessage(), e);
        }
        try {
            return Collections.write(records, collection, documents(JSON.valueToTree(documents)), null);
        } catch (InvalidDocuments | IllegalArgumentException e) {
            throw new AppSyncException(AppSyncException.Kind.INVALID, e.getMessage(), null);
        } catch (StorageUnavailableException e) {
            throw new AppSyncException(AppSyncException.Kind.UNAVAILABLE, e.getMessage(), e);
        } catch (StorageException e) {
            // invalid input is the caller's to fix; a write that kept conflicting may pass later
            throw new AppSyncException(e instanceof InvalidRequestException ? AppSyncException.Kind.INVALID
                    : AppSyncException.Kind.UNAVAILABLE, e.getMessage(), e);
        } catch (Collections.Conflict e) {
            throw new IllegalStateException("a write without lastget cannot conflict", e);
        } finally {
            polls.written(records.bucket(), records.user(), collection);
        }
    }

    /** A JSON list of app documents, or an object keyed by origin; each an object with a string origin. */
    private static List<ObjectNode> documents(JsonNode json) throws InvalidDocuments {
        List<ObjectNode> documents = new ArrayList<>();
        if (json.isArray()) {
            for (JsonNode element : json) {
                if (!element.isObject()) {
                    throw new InvalidDocuments("every application must be a JSON object");
                }
                documents.add((ObjectNode) element);
            }
        } else if (json.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = json.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (!field.getValue().isObject()) {
                    throw new InvalidDocuments("every application must be a JSON object");
                }
                ObjectNode document = (ObjectNode) field.getValue();
                if (document.get("origin") == null) {
                    document.put("origin", field.getKey());
                } else if (!field.getKey().equals(document.path("origin").asText())) {
                    throw new InvalidDocuments("an application's origin differs from its key");
                }
                documents.add(document);
            }
        } else {
            throw new InvalidDocuments("send a JSON list of applications");
        }
        for (ObjectNode document : documents) {
            JsonNode origin = document.get("origin");
            if (origin == null || !origin.isTextual() || origin.asText().isEmpty()) {
                throw new InvalidDocuments("every application needs a string origin");
            }
            if (origin.asText().getBytes(StandardCharsets.UTF_8).length > MAX_ORIGIN_BYTES
                    || origin.asText().chars().anyMatch(c -> c < 0x20)) {
                throw new InvalidDocuments("origin too long or with control characters");
            }
        }
        return documents;
    }

    // --- auth and errors --------------------------------------------------------------------------

    /** The user's records if the header's token is valid, names this user, and opens AppSync's bucket. */
    private UserRecords records(String user, String authorization, Settings current) throws Unauthorized {
        AuthorizationHeader.Credentials credentials = AuthorizationHeader.parse(authorization)
                .orElseThrow(() -> new Unauthorized("missing or malformed Authorization header"));
        if (!credentials.email().equals(user)) {
            throw new Unauthorized("the token is not this user's");
        }
        try {
            Session session = sauropod.resume(credentials.token());
            if (!session.user().equals(user)) {
                throw new Unauthorized("the token is not this user's");
            }
            return sauropod.records(session, current.appId(), user);
        } catch (SauropodException e) {
            throw new Unauthorized(e.getMessage());
        }
    }

    private static final class Unauthorized extends Exception {
        private static final long serialVersionUID = 1L;

        Unauthorized(String message) {
            super(message, null, false, false);
        }
    }

    private static final class InvalidDocuments extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidDocuments(String message) {
            super(message, null, false, false);
        }
    }

    private static Response badRequest(int code, String message) {
        return Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Map.of("code", code, "msg", message)).build();
    }

    private static Response unauthorized(String reason) {
        return Response.status(Response.Status.UNAUTHORIZED).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Map.of("status", "failure", "reason", reason)).build();
    }

    private Response storageFailed(StorageException e) {
        if (e instanceof StorageUnavailableException) {
            return unavailable("storage is unavailable, retry later");
        }
        return ApiError.response(Response.Status.BAD_REQUEST, e.getMessage());
    }

    private Response unavailable(String message) {
        return Response.status(Response.Status.SERVICE_UNAVAILABLE).type(MediaType.APPLICATION_JSON_TYPE)
                .header("Retry-After", settings.retryAfterSeconds())
                .entity(ApiError.of(Response.Status.SERVICE_UNAVAILABLE, message)).build();
    }
}
