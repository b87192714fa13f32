package org.openwebapps.sauropod.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.openwebapps.auth.Audiences;
import org.openwebapps.auth.AuthenticationException;
import org.openwebapps.auth.Authenticator;
import org.openwebapps.auth.Credential;
import org.openwebapps.auth.Identity;
import org.openwebapps.sauropod.Sauropod;
import org.openwebapps.sauropod.SauropodException;
import org.openwebapps.sauropod.SauropodException.Reason;
import org.openwebapps.sauropod.Session;
import org.openwebapps.sauropod.UserRecords;
import org.openwebapps.storage.ChangePage;
import org.openwebapps.storage.KeyRange;
import org.openwebapps.storage.Mutation;
import org.openwebapps.storage.RecordAndChanges;
import org.openwebapps.storage.StorageBackend;
import org.openwebapps.storage.StorageException;
import org.openwebapps.storage.StorageUnavailableException;
import org.openwebapps.storage.StoredRecord;
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
 * The {@link Sauropod} service, configured by {@value #PID}. Sessions come from the auth SPI and
 * travel as signed tokens ({@link Tokens}); records are served from the storage backend the
 * configuration names, which may come and go: without one, every call is "unavailable" (503),
 * and the next backend is used as soon as it registers.
 */
@Component(service = {Sauropod.class, SauropodService.class}, configurationPid = SauropodService.PID)
@Designate(ocd = SauropodConfiguration.class)
public final class SauropodService implements Sauropod {

    static final String PID = "org.openwebapps.sauropod";

    private static final Logger LOG = LoggerFactory.getLogger(SauropodService.class);

    /** What one configuration decides, replaced as a whole when it changes. */
    private record Settings(Tokens tokens, Set<String> audiences, boolean anyAudience, int maxValueBytes,
            int retryAfterSeconds) {
    }

    private final Authenticator authenticator;
    private final Clock clock;
    private volatile Settings settings;

    /** Replaced as backends come and go, or when {@code storage.target} changes. */
    @Reference(name = "storage", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile StorageBackend storage;

    @Activate
    public SauropodService(@Reference Authenticator authenticator, SauropodConfiguration config) {
        this(authenticator, config, Clock.systemUTC());
    }

    SauropodService(Authenticator authenticator, SauropodConfiguration config, Clock clock) {
        this.authenticator = authenticator;
        this.clock = clock;
        modified(config);
    }

    /**
     * A configuration change applies in place: the service and the HTTP API stay registered, so
     * no request fails while an operator edits the configuration (or rotates keys).
     */
    @Modified
    void modified(SauropodConfiguration config) {
        if (config.token_ttl_seconds() < 1 || config.max_value_bytes() < 1 || config.retry_after_seconds() < 0) {
            throw new IllegalArgumentException("invalid " + PID + " configuration: token.ttl.seconds and"
                    + " max.value.bytes must be positive, retry.after.seconds not negative");
        }
        TokenKeys keys = config._token_keys().isBlank()
                ? TokenKeys.fromFile(Path.of(System.getProperty("karaf.data", "data"), "sauropod", "token-keys"))
                : TokenKeys.parse(config._token_keys());
        List<String> listed = Arrays.stream(config.audiences()).flatMap(a -> Arrays.stream(a.split(",")))
                .map(String::trim).filter(a -> !a.isEmpty()).toList();
        boolean anyAudience = listed.contains("*");
        Set<String> audiences = listed.stream().filter(a -> !a.equals("*")).map(a -> Audiences.normalise(a)
                .orElseThrow(() -> new IllegalArgumentException("audiences: '" + a + "' is not an origin")))
                .collect(Collectors.toUnmodifiableSet());
        this.settings = new Settings(new Tokens(keys, clock, Duration.ofSeconds(config.token_ttl_seconds())),
                audiences, anyAudience, config.max_value_bytes(), config.retry_after_seconds());
        if (anyAudience) {
            LOG.warn("Sauropod accepts any audience as a bucket (audiences = *): development only");
        }
        LOG.info("Sauropod: {} token key(s), tokens valid {} s, {} audience(s)", keys.size(),
                config.token_ttl_seconds(), anyAudience ? "any" : String.valueOf(audiences.size()));
    }

    /** For tests, which have no DS: the storage to serve from, or null for none. */
    void setStorage(StorageBackend backend) {
        this.storage = backend;
    }

    int maxValueBytes() {
        return settings.maxValueBytes();
    }

    int retryAfterSeconds() {
        return settings.retryAfterSeconds();
    }

    @Override
    public Session startSession(Credential credential) throws SauropodException {
        String bucket = allowedBucket(credential.audience());
        Identity identity;
        try {
            identity = authenticator.authenticate(credential);
        } catch (AuthenticationException e) {
            throw new SauropodException(e.kind() == AuthenticationException.Kind.UNAVAILABLE ? Reason.UNAVAILABLE
                    : Reason.UNAUTHENTICATED, e.getMessage(), e);
        }
        return openSession(identity, bucket);
    }

    @Override
    public Session openSession(Identity identity, String bucket) throws SauropodException {
        String normalised = normaliseAudience(bucket);
        if (!identity.verified()) {
            // an unverified address must never reach data written under the verified one
            throw new SauropodException(Reason.UNAUTHENTICATED, "unverified email addresses cannot open sessions");
        }
        return settings.tokens().issue(identity.email(), normalised);
    }

    private String allowedBucket(String audience) throws SauropodException {
        Settings current = settings;
        String bucket = normaliseAudience(audience);
        if (!current.anyAudience() && !current.audiences().contains(bucket)) {
            throw new SauropodException(Reason.FORBIDDEN, "audience " + bucket + " may not own a bucket here");
        }
        return bucket;
    }

    @Override
    public boolean storageAvailable() {
        StorageBackend current = storage;
        return current != null && current.health().healthy(); // the router answers from memory; a backend asks its server
    }

    @Override
    public Session resume(String token) throws SauropodException {
        return settings.tokens().verify(token);
    }

    @Override
    public UserRecords records(Session session, String bucket, String user) throws SauropodException {
        // the bucket as the token holds it needs no normalising (the common case: callers pass it back)
        Optional<String> normalised = bucket.equals(session.bucket()) ? Optional.of(bucket) : Audiences.normalise(bucket);
        if (normalised.isEmpty() || !normalised.get().equals(session.bucket()) || !session.user().equals(user)) {
            throw new SauropodException(Reason.FORBIDDEN, "this session may not access that app's or user's data");
        }
        return new Records(session.bucket(), session.user());
    }

    @Override
    public String normaliseAudience(String audience) throws SauropodException {
        return Audiences.normalise(audience)
                .orElseThrow(() -> new SauropodException(Reason.INVALID, "audience must be an origin (scheme://host[:port])"));
    }

    private StorageBackend storage() throws StorageUnavailableException {
        StorageBackend backend = storage;
        if (backend == null) {
            throw new StorageUnavailableException("no storage backend is installed", null);
        }
        return backend;
    }

    /** One (bucket, user): the only door to its records. */
    private final class Records implements UserRecords {
        private final String bucket;
        private final String user;

        Records(String bucket, String user) {
            this.bucket = bucket;
            this.user = user;
        }

        @Override
        public String bucket() {
            return bucket;
        }

        @Override
        public String user() {
            return user;
        }

        @Override
        public Optional<StoredRecord> get(String key) throws StorageException {
            return storage().get(bucket, user, key);
        }

        @Override
        public long write(List<Mutation> mutations) throws StorageException {
            return storage().write(bucket, user, mutations);
        }

        @Override
        public List<String> listKeys(KeyRange range) throws StorageException {
            return storage().listKeys(bucket, user, range);
        }

        @Override
        public ChangePage changesSince(long after, int limit) throws StorageException {
            return storage().changesSince(bucket, user, after, limit);
        }

        @Override
        public RecordAndChanges getWithChangesSince(String key, long after, int limit) throws StorageException {
            return storage().getWithChangesSince(bucket, user, key, after, limit);
        }
    }
}
