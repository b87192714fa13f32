package org.openwebapps.sauropod.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Encoded;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.openwebapps.auth.Credential;
import org.openwebapps.rest.ApiError;
import org.openwebapps.rest.JakartarsName;
import org.openwebapps.rest.JakartarsResource;
import org.openwebapps.sauropod.SauropodException;
import org.openwebapps.sauropod.Session;
import org.openwebapps.sauropod.UserRecords;
import org.openwebapps.storage.Condition;
import org.openwebapps.storage.InvalidRequestException;
import org.openwebapps.storage.KeyRange;
import org.openwebapps.storage.Mutation;
import org.openwebapps.storage.PreconditionFailedException;
import org.openwebapps.storage.RecordNotFoundException;
import org.openwebapps.storage.StorageException;
import org.openwebapps.storage.StorageUnavailableException;
import org.openwebapps.storage.StoredRecord;
import org.openwebapps.storage.Timestamps;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Sauropod's HTTP API (contract: spec/sauropod.md): {@code POST /session/start}, then
 * {@code GET/PUT/DELETE /app/{appid}/users/{userid}/keys/{key}} and the key listing, each with
 * the session token in the {@code Signature} header. Path segments are decoded exactly once here
 * ({@code @Encoded}), so a key may hold {@code /}, {@code %} or any Unicode and still names a
 * record of the token's own (bucket, user) only.
 */
@Component(service = SauropodResource.class)
@JakartarsResource
@JakartarsName("sauropod")
@Path("/")
public final class SauropodResource {

    private static final String TOKEN_HEADER = "Signature";
    private static final MediaType NEWLINES = new MediaType("application", "newlines");
    private static final int DEFAULT_LIMIT = 1000;

    private final SauropodService sauropod;

    @Activate
    public SauropodResource(@Reference SauropodService sauropod) {
        this.sauropod = sauropod;
    }

    @POST
    @Path("session/start")
    public Response startSession(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(HttpHeaders.ACCEPT) String accept, byte[] body) {
        return respond(() -> {
            Map<String, String> fields = Requests.fields(contentType, body);
            String assertion = fields.get("assertion");
            String audience = fields.get("audience");
            if (assertion == null || assertion.isEmpty() || audience == null || audience.isEmpty()) {
                return error(Response.Status.BAD_REQUEST, "assertion and audience are required");
            }
            Credential credential;
            try {
                credential = Credential.of(fields.get("type"), assertion, audience);
            } catch (IllegalArgumentException e) {
                return error(Response.Status.BAD_REQUEST, e.getMessage());
            }
            Session session = sauropod.startSession(credential);
            if (accept != null && accept.contains(MediaType.APPLICATION_JSON)) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("token", session.token());
                json.put("expires", session.expires().toEpochMilli());
                json.put("user", session.user());
                json.put("bucket", session.bucket());
                return Response.ok(json, MediaType.APPLICATION_JSON_TYPE).build();
            }
            return Response.ok(session.token(), MediaType.TEXT_PLAIN_TYPE).build();
        });
    }

    @GET
    @Path("app/{appid}/users/{userid}/keys/{key: .+}")
    public Response get(@Encoded @PathParam("appid") String appId, @Encoded @PathParam("userid") String userId,
            @Encoded @PathParam("key") String encodedKey, @HeaderParam(TOKEN_HEADER) String token) {
        return respond(() -> {
            UserRecords records = records(token, appId, userId);
            String key = Requests.decode(encodedKey, false);
            Optional<StoredRecord> record = records.get(key);
            if (record.isEmpty()) {
                return error(Response.Status.NOT_FOUND, "no such key");
            }
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("key", key);
            json.put("value", Requests.utf8(record.get().value()));
            json.put("user", records.user());
            json.put("bucket", records.bucket());
            json.put("timestamp", record.get().timestamp());
            return Response.ok(json, MediaType.APPLICATION_JSON_TYPE).tag(record.get().etag()).build();
        });
    }

    @PUT
    @Path("app/{appid}/users/{userid}/keys/{key: .+}")
    public Response put(@Encoded @PathParam("appid") String appId, @Encoded @PathParam("userid") String userId,
            @Encoded @PathParam("key") String encodedKey, @HeaderParam(TOKEN_HEADER) String token,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] body) {
        return respond(() -> {
            UserRecords records = records(token, appId, userId);
            String key = Requests.decode(encodedKey, false);
            String value = Requests.fields(contentType, body).get("value");
            if (value == null) {
                return error(Response.Status.BAD_REQUEST, "value is required (form value= or JSON {\"value\": \"...\"})");
            }
            byte[] bytes = value.getBytes(UTF_8);
            if (bytes.length > sauropod.maxValueBytes()) {
                return error(Response.Status.REQUEST_ENTITY_TOO_LARGE,
                        "value over " + sauropod.maxValueBytes() + " bytes");
            }
            long timestamp = records.write(List.of(Mutation.put(key, bytes, condition(records, key, ifMatch, ifNoneMatch))));
            return Response.noContent().tag(Timestamps.etag(timestamp)).build();
        });
    }

    @DELETE
    @Path("app/{appid}/users/{userid}/keys/{key: .+}")
    public Response delete(@Encoded @PathParam("appid") String appId, @Encoded @PathParam("userid") String userId,
            @Encoded @PathParam("key") String encodedKey, @HeaderParam(TOKEN_HEADER) String token,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        return respond(() -> {
            UserRecords records = records(token, appId, userId);
            String key = Requests.decode(encodedKey, false);
            records.write(List.of(Mutation.delete(key, condition(records, key, ifMatch, null))));
            return Response.noContent().build();
        });
    }

    @GET
    @Path("app/{appid}/users/{userid}/keys{slash: /?}")
    public Response list(@Encoded @PathParam("appid") String appId, @Encoded @PathParam("userid") String userId,
            @HeaderParam(TOKEN_HEADER) String token, @HeaderParam(HttpHeaders.ACCEPT) String accept,
            @Encoded @QueryParam("start") String start, @Encoded @QueryParam("end") String end,
            @QueryParam("limit") String limit) {
        return respond(() -> {
            UserRecords records = records(token, appId, userId);
            int max = DEFAULT_LIMIT;
            if (limit != null) {
                try {
                    max = Integer.parseInt(limit);
                } catch (NumberFormatException e) {
                    return error(Response.Status.BAD_REQUEST, "limit must be a whole number");
                }
                if (max < 1) {
                    return error(Response.Status.BAD_REQUEST, "limit must be at least 1");
                }
            }
            KeyRange range = new KeyRange("", start == null ? null : Requests.decode(start, true),
                    end == null ? null : Requests.decode(end, true), max);
            List<String> keys = records.listKeys(range);
            if (accept != null && accept.contains(MediaType.APPLICATION_JSON)) {
                return Response.ok(keys, MediaType.APPLICATION_JSON_TYPE).build();
            }
            String text = keys.stream().map(SauropodResource::quote).collect(Collectors.joining("\n"));
            return Response.ok(text.isEmpty() ? "" : text + "\n", NEWLINES).build();
        });
    }

    private UserRecords records(String token, String encodedAppId, String encodedUserId)
            throws SauropodException, Requests.Malformed {
        Session session = sauropod.resume(token);
        return sauropod.records(session, Requests.decode(encodedAppId, false), Requests.decode(encodedUserId, false));
    }

    /**
     * {@code If-Match: <etag>} → that version; {@code If-Match: *} → whatever version exists now;
     * {@code If-None-Match: *} → absent; any other {@code If-None-Match}, or both → 400.
     */
    private static Condition condition(UserRecords records, String key, String ifMatch, String ifNoneMatch)
            throws Requests.Malformed, StorageException {
        if (ifMatch != null && ifNoneMatch != null) {
            throw new Requests.Malformed("send If-Match or If-None-Match, not both");
        }
        if (ifNoneMatch != null) {
            if (!ifNoneMatch.trim().equals("*")) {
                throw new Requests.Malformed("If-None-Match must be *");
            }
            return Condition.absent();
        }
        if (ifMatch == null) {
            return Condition.any();
        }
        Optional<String> tag = Requests.entityTag(ifMatch);
        if (tag.isPresent()) {
            return Condition.match(tag.get());
        }
        StoredRecord current = records.get(key).orElseThrow(() -> new PreconditionFailedException("If-Match: * but no such key"));
        return Condition.match(current.etag());
    }

    /** URL-quotes everything but unreserved characters, as pysauropod's {@code quote(key, safe="")}. */
    private static String quote(String key) {
        StringBuilder quoted = new StringBuilder();
        for (byte b : key.getBytes(UTF_8)) {
            char c = (char) (b & 0xFF);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.' || c == '~')) {
                quoted.append(c);
            } else {
                quoted.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return quoted.toString();
    }

    /** A request's work, which may fail in the ways {@link #respond} answers. */
    @FunctionalInterface
    private interface Call {
        Response run() throws Requests.Malformed, SauropodException, StorageException;
    }

    /** Runs a request's work and turns its failures into the API's statuses and JSON bodies. */
    private Response respond(Call call) {
        try {
            return call.run();
        } catch (Requests.Malformed e) {
            return malformed(e);
        } catch (SauropodException e) {
            return error(e);
        } catch (StorageException e) {
            return error(e);
        }
    }

    private static Response malformed(Requests.Malformed e) {
        return error(e.unsupportedType() ? Response.Status.UNSUPPORTED_MEDIA_TYPE : Response.Status.BAD_REQUEST,
                e.getMessage());
    }

    private Response error(SauropodException e) {
        Response.Status status = Response.Status.fromStatusCode(e.reason().status());
        if (e.reason() == SauropodException.Reason.UNAVAILABLE) {
            return unavailable(e.getMessage());
        }
        return error(status, e.getMessage());
    }

    private Response error(StorageException e) {
        if (e instanceof RecordNotFoundException) {
            return error(Response.Status.NOT_FOUND, "no such key");
        }
        if (e instanceof PreconditionFailedException) {
            return error(Response.Status.PRECONDITION_FAILED, "the key has changed (or exists) since: read it again");
        }
        if (e instanceof InvalidRequestException) {
            return error(e.getMessage().contains("value") && e.getMessage().contains("bytes")
                    ? Response.Status.REQUEST_ENTITY_TOO_LARGE : Response.Status.BAD_REQUEST, e.getMessage());
        }
        if (e instanceof StorageUnavailableException) {
            return unavailable("storage is unavailable, retry later");
        }
        return unavailable("storage failed, retry later");
    }

    private Response unavailable(String message) {
        return Response.status(Response.Status.SERVICE_UNAVAILABLE).type(MediaType.APPLICATION_JSON_TYPE)
                .header("Retry-After", sauropod.retryAfterSeconds())
                .entity(ApiError.of(Response.Status.SERVICE_UNAVAILABLE, message)).build();
    }

    private static Response error(Response.Status status, String message) {
        return ApiError.response(status, message);
    }
}
