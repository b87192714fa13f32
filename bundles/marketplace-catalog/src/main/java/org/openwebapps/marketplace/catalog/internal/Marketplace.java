package org.openwebapps.marketplace.catalog.internal;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import org.openwebapps.appsync.api.AppSyncRecords;
import org.openwebapps.auth.AuthenticationException;
import org.openwebapps.auth.Authenticator;
import org.openwebapps.auth.Credential;
import org.openwebapps.auth.Identity;
import org.openwebapps.marketplace.Accounts;
import org.openwebapps.marketplace.Catalog;
import org.openwebapps.marketplace.MarketplaceUser;
import org.openwebapps.marketplace.MarketplaceApp;
import org.openwebapps.marketplace.PurchaseCheck;
import org.openwebapps.sauropod.Sauropod;
import org.openwebapps.sauropod.SauropodException;
import org.openwebapps.sauropod.Session;
import org.openwebapps.storage.StorageBackend;
import org.openwebapps.storage.StorageException;
import org.openwebapps.storage.StorageUnavailableException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Marketplace's use cases (contract: spec/marketplace.md sections 1–4): sign-in and roles,
 * submission, review, catalog and installs, over the storage router in the Marketplace's own
 * bucket. {@link MarketplaceResource} is its HTTP face. Providers (storage, fetcher, AppSync,
 * purchases) may come and go: what needs a missing one answers 503 (or, for AppSync, records the
 * install and writes it later).
 */
@Component(service = {Marketplace.class, Catalog.class, Accounts.class}, configurationPid = Marketplace.PID)
@Designate(ocd = MarketplaceConfiguration.class)
public final class Marketplace implements Catalog, Accounts, MarketplaceStorage {

    static final String PID = "org.openwebapps.marketplace";
    private static final Logger LOG = LoggerFactory.getLogger(Marketplace.class);

    /** A signed-in user and their roles. */
    record User(String email, boolean developer, boolean reviewer) {
        Map<String, Object> permissions() {
            return Map.of("developer", developer, "reviewer", reviewer);
        }
    }

    /** What one configuration decides. */
    record Settings(String siteUrl, Set<String> audiences, String appId, Set<String> developers, Set<String> reviewers,
            Set<String> categories, Map<Integer, BigDecimal> priceTiers, String currency, int pageMax, String collection,
            int retryAfterSeconds) {
    }

    private final Authenticator authenticator;
    private final Sauropod sauropod;
    private final ManifestFetching fetching;
    private final Clock clock = Clock.systemUTC();
    private final CatalogStore store = new CatalogStore(this);
    private final CatalogIndex index = new CatalogIndex(this);
    private final Installs installs;
    private final ScheduledExecutorService rounds = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "marketplace-rounds");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean indexFailing = new AtomicBoolean();
    private volatile Settings settings;

    @Reference(name = "storage", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile StorageBackend storage;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AppSyncRecords appSync;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile PurchaseCheck purchases;

    @Activate
    public Marketplace(@Reference Authenticator authenticator, @Reference Sauropod sauropod,
            @Reference ManifestFetching fetching, MarketplaceConfiguration config) throws SauropodException {
        this.authenticator = authenticator;
        this.sauropod = sauropod;
        this.fetching = fetching;
        this.installs = new Installs(this, () -> appSync, () -> settings.collection(), clock::millis);
        modified(config);
        rounds.scheduleWithFixedDelay(this::refreshIndex, 0, config.index_refresh_millis(), TimeUnit.MILLISECONDS);
        rounds.scheduleWithFixedDelay(this::retryInstalls, config.outbox_retry_millis(), config.outbox_retry_millis(),
                TimeUnit.MILLISECONDS);
    }

    @Modified
    void modified(MarketplaceConfiguration config) throws SauropodException {
        if (config.page_max() < 1 || config.retry_after_seconds() < 0 || config.index_refresh_millis() < 1 || config.outbox_retry_millis() < 1) {
            throw new IllegalArgumentException("invalid " + PID + " configuration: limits must be positive");
        }
        String siteUrl = config.site_url().isBlank() ? null : sauropod.normaliseAudience(config.site_url().trim());
        Set<String> audiences = new LinkedHashSet<>();
        for (String audience : list(config.audiences())) {
            audiences.add(sauropod.normaliseAudience(audience));
        }
        String appId = config.app_id().isBlank() ? null : sauropod.normaliseAudience(config.app_id().trim());
        Map<Integer, BigDecimal> tiers = new LinkedHashMap<>();
        for (String tier : list(config.price_tiers())) {
            String[] parts = tier.split(":");
            if (parts.length != 2) {
                throw new IllegalArgumentException("price.tiers entries are tier:amount, got " + tier);
            }
            tiers.put(Integer.valueOf(parts[0].trim()), new BigDecimal(parts[1].trim()));
        }
        settings = new Settings(siteUrl, Set.copyOf(audiences), appId, lowerCase(config.developers()),
                lowerCase(config.reviewers()), Set.copyOf(list(config.categories())), Map.copyOf(tiers),
                config.price_currency(), config.page_max(), config.appsync_collection(), config.retry_after_seconds());
    }

    @Deactivate
    void deactivate() {
        rounds.shutdownNow();
    }

    static List<String> list(String[] values) {
        return Arrays.stream(values).flatMap(v -> Arrays.stream(v.split(","))).map(String::trim)
                .filter(v -> !v.isEmpty()).toList();
    }

    private static Set<String> lowerCase(String[] values) {
        Set<String> emails = new HashSet<>();
        list(values).forEach(email -> emails.add(email.toLowerCase(Locale.ROOT)));
        return Set.copyOf(emails);
    }

    Settings settings() {
        return settings;
    }

    /** @param requestOrigin the origin this request came to: {@code site.url} when none is configured */
    String siteUrl(String requestOrigin) {
        String configured = settings.siteUrl();
        return configured != null ? configured : requestOrigin;
    }

    // --- storage ------------------------------------------------------------------------------------

    @Override
    public StorageBackend backend() throws StorageException {
        StorageBackend backend = storage;
        if (backend == null) {
            throw new StorageUnavailableException("no storage backend is installed", null);
        }
        return backend;
    }

    boolean storageAvailable() {
        StorageBackend backend = storage;
        return backend != null && backend.health().healthy();
    }

    private void refreshIndex() {
        try {
            index.refresh();
            if (indexFailing.compareAndSet(true, false)) {
                LOG.info("Marketplace catalog index reads storage again");
            }
        } catch (StorageException | RuntimeException e) {
            if (indexFailing.compareAndSet(false, true)) {
                LOG.warn("Marketplace catalog index cannot read storage (retrying): {}", e.getMessage());
            }
        }
    }

    private void retryInstalls() {
        try {
            installs.retryPending();
        } catch (StorageException | RuntimeException e) {
            LOG.debug("Marketplace install retry round failed: {}", e.getMessage());
        }
    }

    /** The index after this node's own write, so the writer sees it at once. */
    private CatalogIndex.Snapshot fresh() throws MarketplaceException {
        try {
            index.refresh();
        } catch (StorageException e) {
            throw storageFailed(e);
        }
        return index.snapshot();
    }

    private CatalogIndex.Snapshot snapshot() throws MarketplaceException {
        if (!index.loaded()) {
            return fresh();
        }
        return index.snapshot();
    }

    MarketplaceException storageFailed(StorageException e) {
        if (e instanceof StorageUnavailableException) {
            return MarketplaceException.unavailable("storage is unavailable, retry later");
        }
        LOG.warn("Marketplace storage refused a write: {}", e.getMessage());
        return MarketplaceException.badRequest(e.getMessage());
    }

    // --- sign-in --------------------------------------------------------------------------------------

    /** @return the login answer of {@code POST API/account/login} */
    Map<String, Object> signIn(String type, String assertion, String audience, String siteUrl) throws MarketplaceException {
        if (assertion == null || assertion.isEmpty() || audience == null || audience.isEmpty()) {
            throw MarketplaceException.badRequest("assertion and audience are required");
        }
        Settings current = settings;
        Set<String> audiences = current.audiences().isEmpty() ? Set.of(siteUrl) : current.audiences();
        try {
            if (!audiences.contains(sauropod.normaliseAudience(audience))) {
                throw unauthorized("audience " + audience + " is not served here");
            }
        } catch (SauropodException e) {
            throw unauthorized("audience must be an origin");
        }
        Credential credential;
        try {
            credential = Credential.of(type, assertion, audience);
        } catch (IllegalArgumentException e) {
            throw MarketplaceException.badRequest(e.getMessage());
        }
        Identity identity;
        try {
            identity = authenticator.authenticate(credential);
        } catch (AuthenticationException e) {
            if (e.kind() == AuthenticationException.Kind.UNAVAILABLE) {
                throw MarketplaceException.unavailable(e.getMessage());
            }
            throw unauthorized(e.getMessage());
        }
        Session session;
        try {
            session = sauropod.openSession(identity, appId(siteUrl));
        } catch (SauropodException e) {
            throw unauthorized(e.getMessage());
        }
        User user = roles(session.user());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("token", session.token());
        answer.put("expires", session.expires().toEpochMilli());
        answer.put("email", user.email());
        answer.put("permissions", user.permissions());
        return answer;
    }

    /** @return the user whose {@code Authorization: Bearer} token this is, in the Marketplace's bucket */
    User user(String authorization, String siteUrl) throws MarketplaceException {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw unauthorized("sign in: Authorization: Bearer <token>");
        }
        try {
            Session session = sauropod.resume(authorization.substring(7).trim());
            if (!session.bucket().equals(appId(siteUrl))) {
                throw unauthorized("the token is not the Marketplace's");
            }
            return roles(session.user());
        } catch (SauropodException e) {
            throw unauthorized(e.getMessage());
        }
    }

    @Override
    public MarketplaceUser user(String authorization, URI requestBase) throws NotSignedInException {
        try {
            User user = user(authorization, siteUrl(requestBase));
            return new MarketplaceUser(user.email(), user.reviewer());
        } catch (MarketplaceException e) {
            throw new NotSignedInException(e.getMessage());
        }
    }

    @Override
    public String siteUrl(URI requestBase) {
        return siteUrl(Origins.of(requestBase).orElseThrow(() -> new IllegalArgumentException("not an origin: " + requestBase)));
    }

    /** @return the user, or null when the request carries no Authorization at all (anonymous) */
    User optionalUser(String authorization, String siteUrl) throws MarketplaceException {
        return authorization == null ? null : user(authorization, siteUrl);
    }

    private String appId(String siteUrl) {
        String configured = settings.appId();
        return configured != null ? configured : siteUrl;
    }

    private User roles(String email) {
        Settings current = settings;
        String lower = email.toLowerCase(Locale.ROOT);
        return new User(email, current.developers().isEmpty() || current.developers().contains(lower),
                current.reviewers().contains(lower));
    }

    private static MarketplaceException unauthorized(String message) {
        return new MarketplaceException(401, "unauthorized", message);
    }

    // --- submission and review ------------------------------------------------------------------------

    ValidationReport validate(User user, String manifestUrl, String siteUrl) throws MarketplaceException {
        requireDeveloper(user);
        if (manifestUrl == null) {
            throw MarketplaceException.badRequest("manifest (a URL) is required");
        }
        return fetchAndValidate(manifestUrl, siteUrl);
    }

    App submit(User user, String manifestUrl, String siteUrl) throws MarketplaceException {
        requireDeveloper(user);
        if (manifestUrl == null) {
            throw MarketplaceException.badRequest("manifest (a URL) is required");
        }
        ValidationReport report = fetchAndValidate(manifestUrl, siteUrl);
        if (!report.valid()) {
            throw invalidManifest(report);
        }
        try {
            App app = store.create(manifestUrl, report.origin(), report.manifest(), user.email(), clock.millis());
            fresh();
            return app;
        } catch (StorageException e) {
            throw storageFailed(e);
        }
    }

    private ValidationReport fetchAndValidate(String manifestUrl, String siteUrl) throws MarketplaceException {
        Optional<String> origin = Origins.ofUrl(manifestUrl);
        if (origin.isEmpty()) {
            return ValidationReport.fetchFailed(manifestUrl, null, ValidationMessage.error("FETCH_BAD_URL", "",
                    "the manifest must be an absolute http(s) URL of at most " + Origins.MAX_URL_CHARS
                            + " characters without user info"));
        }
        ManifestFetcher fetcher = fetching.fetcher().orElseThrow(
                () -> MarketplaceException.unavailable("manifests cannot be fetched now (no outbound fetcher)"));
        byte[] body;
        try {
            body = fetcher.fetch(manifestUrl, origin.get());
        } catch (ManifestFetcher.Failure failure) {
            return ValidationReport.fetchFailed(manifestUrl, origin.get(), failure.message());
        } catch (ManifestFetcher.Busy busy) {
            throw MarketplaceException.unavailable("too many manifest fetches in flight, retry later");
        }
        return new ManifestValidator(siteUrl).validate(manifestUrl, origin.get(), body);
    }

    private static MarketplaceException invalidManifest(ValidationReport report) {
        return new MarketplaceException(400, "invalid_manifest", "the manifest is not valid",
                Map.of("validation", report.toJson()));
    }

    App patch(User user, String idOrSlug, JsonNode body) throws MarketplaceException {
        App app = ownApp(user, idOrSlug);
        Settings current = settings;
        Set<String> fields = new HashSet<>();
        body.fieldNames().forEachRemaining(fields::add);
        fields.removeAll(Set.of("slug", "categories", "premium_type", "price_tier"));
        if (!fields.isEmpty()) {
            throw MarketplaceException.badRequest("only slug, categories, premium_type and price_tier can be changed");
        }
        JsonNode slug = body.get("slug");
        if (slug != null && (!slug.isTextual() || !Slugs.valid(slug.textValue()))) {
            throw MarketplaceException.badRequest("a slug is 1 to 30 of a-z, 0-9 and -, not all digits, not mine or validate");
        }
        List<String> categories = null;
        if (body.has("categories")) {
            JsonNode list = body.get("categories");
            if (!list.isArray() || list.size() > current.categories().size()) {
                throw MarketplaceException.badRequest("categories is a list of category slugs");
            }
            Set<String> chosen = new LinkedHashSet<>();
            for (JsonNode category : list) {
                if (!category.isTextual() || !current.categories().contains(category.textValue())) {
                    throw new MarketplaceException(400, "unknown_category", "categories are "
                            + String.join(", ", current.categories().stream().sorted().toList()));
                }
                chosen.add(category.textValue());
            }
            categories = List.copyOf(chosen);
        }
        JsonNode premiumType = body.get("premium_type");
        if (premiumType != null && (!premiumType.isTextual() || !App.PREMIUM_TYPES.contains(premiumType.textValue()))) {
            throw MarketplaceException.badRequest("premium_type is one of " + String.join(", ", App.PREMIUM_TYPES));
        }
        JsonNode tier = body.get("price_tier");
        if (tier != null && !tier.isNull() && (!tier.canConvertToExactIntegral() || !tier.isIntegralNumber()
                || !current.priceTiers().containsKey(tier.asInt()))) {
            throw new MarketplaceException(400, "bad_price_tier", "price tiers are " + current.priceTiers().keySet());
        }
        List<String> newCategories = categories;
        try {
            App updated = store.modify(app.id(), stored -> stored.withMetadata(
                    slug == null ? stored.slug() : slug.textValue(),
                    newCategories == null ? stored.categories() : newCategories,
                    premiumType == null ? stored.premiumType() : premiumType.textValue(),
                    tier == null ? stored.priceTier() : tier.isNull() ? null : Integer.valueOf(tier.asInt()),
                    clock.millis()));
            fresh();
            return updated;
        } catch (StorageException e) {
            throw storageFailed(e);
        }
    }

    App submitForReview(User user, String idOrSlug) throws MarketplaceException {
        App app = ownApp(user, idOrSlug);
        return change(app.id(), stored -> {
            if (!stored.status().equals(App.INCOMPLETE) && !stored.status().equals(App.REJECTED)) {
                throw MarketplaceException.badStatus(stored.status());
            }
            if (stored.categories().isEmpty()) {
                throw new MarketplaceException(400, "incomplete_metadata", "choose at least one category");
            }
            if (stored.premiumType().equals(App.PREMIUM) && stored.priceTier() == null) {
                throw new MarketplaceException(400, "incomplete_metadata", "a premium app needs a price tier");
            }
            return stored.withStatus(App.PENDING, clock.millis());
        });
    }

    App review(User user, String idOrSlug, String action) throws MarketplaceException {
        App app = visibleApp(user, idOrSlug);
        if (!user.reviewer()) {
            throw MarketplaceException.forbidden("only reviewers review apps");
        }
        if (action == null || !List.of("approve", "reject", "disable", "enable").contains(action)) {
            throw MarketplaceException.badRequest("action is approve, reject, disable or enable");
        }
        return change(app.id(), stored -> {
            String from = switch (action) {
                case "approve", "reject" -> App.PENDING;
                case "disable" -> App.PUBLIC;
                default -> App.DISABLED;
            };
            if (!stored.status().equals(from)) {
                throw MarketplaceException.badStatus(stored.status());
            }
            String to = switch (action) {
                case "approve", "enable" -> App.PUBLIC;
                case "reject" -> App.REJECTED;
                default -> App.DISABLED;
            };
            LOG.info("Marketplace review: app {} {} by {} ({} -> {})", stored.id(), action, user.email(), from, to);
            return stored.withStatus(to, clock.millis());
        });
    }

    App refresh(User user, String idOrSlug, String siteUrl) throws MarketplaceException {
        App app = visibleApp(user, idOrSlug);
        if (!app.owner().equals(user.email()) && !user.reviewer()) {
            throw MarketplaceException.forbidden("only the app's owner and reviewers refresh it");
        }
        ValidationReport report = fetchAndValidate(app.manifestUrl(), siteUrl);
        if (!report.valid()) {
            throw invalidManifest(report);
        }
        return change(app.id(), stored -> stored.withManifest(stored.manifestUrl(), report.manifest(), clock.millis()));
    }

    void delete(User user, String idOrSlug) throws MarketplaceException {
        App app = ownApp(user, idOrSlug);
        try {
            CatalogStore.Stored stored = store.get(app.id()).orElseThrow(MarketplaceException::notFound);
            if (stored.app().isPublic()) {
                throw MarketplaceException.badStatus(stored.app().status());
            }
            store.delete(stored);
            fresh();
        } catch (StorageException e) {
            throw storageFailed(e);
        }
    }

    private App change(long id, CatalogStore.Change change) throws MarketplaceException {
        try {
            App updated = store.modify(id, change);
            fresh();
            return updated;
        } catch (StorageException e) {
            throw storageFailed(e);
        }
    }

    private static void requireDeveloper(User user) throws MarketplaceException {
        if (!user.developer()) {
            throw new MarketplaceException(403, "not_a_developer", "only developers submit apps");
        }
    }

    // --- reading ----------------------------------------------------------------------------------------

    /** @return the app if {@code user} (null: anonymous) may see it: public, or theirs, or they review */
    App visibleApp(User user, String idOrSlug) throws MarketplaceException {
        App app = snapshot().find(idOrSlug).orElseThrow(MarketplaceException::notFound);
        if (app.isPublic() || (user != null && (user.reviewer() || app.owner().equals(user.email())))) {
            return app;
        }
        throw MarketplaceException.notFound();
    }

    private App ownApp(User user, String idOrSlug) throws MarketplaceException {
        App app = visibleApp(user, idOrSlug);
        if (!app.owner().equals(user.email())) {
            throw MarketplaceException.forbidden("only the app's owner may do this");
        }
        return app;
    }

    List<App> mine(User user) throws MarketplaceException {
        requireDeveloper(user);
        return snapshot().byId().values().stream().filter(app -> app.owner().equals(user.email()))
                .sorted(CatalogIndex.BY_CREATED).toList();
    }

    List<App> reviewQueue(User user) throws MarketplaceException {
        if (!user.reviewer()) {
            throw MarketplaceException.forbidden("only reviewers see the queue");
        }
        return snapshot().byId().values().stream().filter(app -> app.status().equals(App.PENDING))
                .sorted(Comparator.comparingLong(App::modified).thenComparingLong(App::id)).toList();
    }

    CatalogQuery.Page search(CatalogQuery query) throws MarketplaceException {
        return query.run(snapshot());
    }

    @Override
    public Optional<MarketplaceApp> app(long id) {
        return Optional.ofNullable(index.snapshot().byId().get(id)).map(App::toApi);
    }

    @Override
    public Optional<Price> price(int tier) {
        Settings current = settings;
        return Optional.ofNullable(current.priceTiers().get(tier)).map(amount -> new Price(amount, current.currency()));
    }

    /** An app's public JSON as rendered for one configuration. */
    private record Rendered(App app, Settings settings, byte[] json) {
    }

    /** Rendered JSON per app id, reused while the app and the configuration are the same objects. */
    private final Map<Long, Rendered> rendered = new ConcurrentHashMap<>();

    /** The app's public JSON, rendered once per change: catalog pages concatenate these. */
    byte[] jsonBytes(App app) {
        Settings current = settings;
        Rendered cached = rendered.get(app.id());
        if (cached != null && cached.app() == app && cached.settings() == current) {
            return cached.json();
        }
        byte[] json;
        try {
            json = App.JSON.writeValueAsBytes(json(app));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an app does not serialise", e);
        }
        rendered.put(app.id(), new Rendered(app, current, json));
        return json;
    }

    /** The app's public JSON. */
    Map<String, Object> json(App app) {
        Settings current = settings;
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", app.id());
        json.put("slug", app.slug());
        json.put("name", app.name());
        json.put("description", app.description());
        json.put("origin", app.origin());
        json.put("manifest_url", app.manifestUrl());
        json.put("manifest", app.manifest());
        json.put("icons", app.icons());
        json.put("developer", app.developer());
        json.put("status", app.status());
        json.put("premium_type", app.premiumType());
        Map<String, Object> price = null;
        if (app.premiumType().equals(App.PREMIUM) && app.priceTier() != null) {
            price = new LinkedHashMap<>();
            price.put("tier", app.priceTier());
            BigDecimal amount = current.priceTiers().get(app.priceTier());
            price.put("amount", amount == null ? null : amount.toPlainString());
            price.put("currency", current.currency());
        }
        json.put("price", price);
        json.put("categories", app.categories());
        json.put("created", app.created());
        json.put("modified", app.modified());
        json.put("resource_uri", MarketplaceResource.API + "/apps/" + app.id());
        return json;
    }

    // --- installs -----------------------------------------------------------------------------------------

    /** {@code POST API/installs}: the 201/202 body, with {@code created} telling which. */
    Map<String, Object> install(User user, String idOrSlug, String siteUrl) throws MarketplaceException {
        App app = visibleApp(user, idOrSlug);
        if (!app.isPublic()) {
            throw new MarketplaceException(403, "app_not_public", "the app is not public");
        }
        List<String> receipts = List.of();
        if (app.premiumType().equals(App.PREMIUM)) {
            PurchaseCheck check = purchases;
            Optional<PurchaseCheck.CompletedPurchase> purchase;
            try {
                purchase = check == null ? Optional.empty() : check.installablePurchase(user.email(), app.id(), siteUrl);
            } catch (PurchaseCheck.UnavailableException e) {
                LOG.debug("Premium install of app {} waits: {}", app.id(), e.getMessage());
                throw MarketplaceException.unavailable("purchases or receipts cannot be checked now");
            }
            if (purchase.isEmpty()) {
                throw new MarketplaceException(402, "payment_required", "buy the app first");
            }
            receipts = purchase.get().receipts();
        }
        Installs.Installed installed;
        try {
            installed = installs.install(user.email(), app, siteUrl, receipts);
        } catch (StorageException e) {
            throw storageFailed(e);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("app", app.id());
        body.put("origin", app.origin());
        body.put("install_time", installed.installTime());
        body.put("receipts", receipts);
        body.put("sync", installed.synced() ? "done" : "pending");
        body.put("created", installed.created());
        return body;
    }

    void uninstall(User user, String appId) throws MarketplaceException {
        Optional<App> app = snapshot().find(appId);
        try {
            if (app.isEmpty() || !installs.uninstall(user.email(), app.get())) {
                throw new MarketplaceException(404, "not_installed", "the app is not installed");
            }
        } catch (StorageException e) {
            throw storageFailed(e);
        }
    }

    List<Map<String, Object>> installed(User user) throws MarketplaceException {
        CatalogIndex.Snapshot current = snapshot();
        List<Map<String, Object>> answer = new ArrayList<>();
        try {
            for (Installs.Install install : installs.list(user.email())) {
                App app = current.byId().get(install.app());
                if (app == null) {
                    continue; // deleted from the catalog (never while public)
                }
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("app", json(app));
                entry.put("install_time", install.installTime());
                entry.put("receipts", receipts(user, app));
                answer.add(entry);
            }
        } catch (StorageException e) {
            throw storageFailed(e);
        }
        return answer;
    }

    private List<String> receipts(User user, App app) {
        PurchaseCheck check = purchases;
        if (check == null || !app.premiumType().equals(App.PREMIUM)) {
            return List.of();
        }
        try {
            return check.completedPurchase(user.email(), app.id()).map(PurchaseCheck.CompletedPurchase::receipts)
                    .orElse(List.of());
        } catch (PurchaseCheck.UnavailableException e) {
            return List.of();
        }
    }
}
