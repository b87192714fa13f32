package org.openwebapps.marketplace.catalog.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One catalog search ({@code GET API/apps}): filters, order and page, checked when parsed, run on
 * an index snapshot. {@code next} and {@code previous} repeat the filters, so following
 * {@code next} over an unchanging catalog yields every match exactly once.
 */
record CatalogQuery(String q, List<String> terms, String category, Set<String> premiumTypes, String sort, int limit,
        int offset) {

    static final int DEFAULT_LIMIT = 25;
    private static final int MAX_QUERY_CHARS = 256;
    private static final int MAX_OFFSET = 1_000_000;

    /** A page of matches. */
    record Page(int total, List<App> apps) {
    }

    /**
     * @param categories the configured categories
     * @param pageMax    the largest page ({@code page.max})
     * @throws MarketplaceException 400 {@code bad_query}
     */
    static CatalogQuery parse(String q, String category, String premiumType, String sort, String limit, String offset,
            Set<String> categories, int pageMax) throws MarketplaceException {
        String query = q == null ? "" : q.trim();
        if (query.length() > MAX_QUERY_CHARS) {
            throw badQuery("q is longer than " + MAX_QUERY_CHARS + " characters");
        }
        List<String> terms = Arrays.stream(query.toLowerCase(Locale.ROOT).split("\\s+")).filter(t -> !t.isEmpty())
                .distinct().toList();
        String chosenCategory = category == null || category.isEmpty() ? null : category;
        if (chosenCategory != null && !categories.contains(chosenCategory)) {
            throw badQuery("unknown category");
        }
        Set<String> types = Set.of();
        if (premiumType != null && !premiumType.isEmpty()) {
            List<String> named = Arrays.stream(premiumType.split(",")).map(String::trim).toList();
            if (named.stream().anyMatch(type -> !App.PREMIUM_TYPES.contains(type))) {
                throw badQuery("premium_type is a comma list of " + String.join(", ", App.PREMIUM_TYPES));
            }
            types = Set.copyOf(named);
        }
        String order = sort == null || sort.isEmpty() ? "created" : sort;
        if (!order.equals("created") && !order.equals("name")) {
            throw badQuery("sort is created or name");
        }
        int pageLimit = number(limit, "limit", DEFAULT_LIMIT, 1, Integer.MAX_VALUE);
        int pageOffset = number(offset, "offset", 0, 0, MAX_OFFSET);
        return new CatalogQuery(query, terms, chosenCategory, types, order, Math.min(pageLimit, pageMax), pageOffset);
    }

    private static int number(String value, String name, int otherwise, int min, int max) throws MarketplaceException {
        if (value == null || value.isEmpty()) {
            return otherwise;
        }
        if (value.length() > 10 || !value.chars().allMatch(Character::isDigit)) {
            throw badQuery(name + " must be a whole number");
        }
        long number = Long.parseLong(value);
        if (number < min || number > max) {
            throw badQuery(name + " must be between " + min + " and " + max);
        }
        return (int) number;
    }

    private static MarketplaceException badQuery(String message) {
        return new MarketplaceException(400, "bad_query", message);
    }

    /** The matches in order, this page of them, and how many there are in all. */
    Page run(CatalogIndex.Snapshot snapshot) {
        CatalogIndex.Ordered ordered = sort.equals("name") ? snapshot.publicByName() : snapshot.publicByCreated();
        BitSet matches = null;
        for (String term : terms) {
            matches = and(matches, ordered.holding(term));
        }
        if (category != null) {
            matches = and(matches, ordered.where("category " + category, app -> app.categories().contains(category)));
        }
        if (!premiumTypes.isEmpty()) {
            matches = and(matches, ordered.where("premium_type " + premiumTypes.stream().sorted().toList(),
                    app -> premiumTypes.contains(app.premiumType())));
        }
        List<App> page = new ArrayList<>(Math.min(limit, 64));
        if (matches == null) { // no term, no filter: every public app
            List<CatalogIndex.Listed> all = ordered.apps();
            all.subList(Math.min(offset, all.size()), (int) Math.min((long) offset + limit, all.size()))
                    .forEach(listed -> page.add(listed.app()));
            return new Page(all.size(), page);
        }
        int position = matches.nextSetBit(0);
        for (int skipped = 0; skipped < offset && position >= 0; skipped++) {
            position = matches.nextSetBit(position + 1);
        }
        for (; position >= 0 && page.size() < limit; position = matches.nextSetBit(position + 1)) {
            page.add(ordered.apps().get(position).app());
        }
        return new Page(matches.cardinality(), page);
    }

    private static BitSet and(BitSet matches, BitSet more) {
        if (matches == null) {
            return more;
        }
        matches.and(more);
        return matches;
    }

    /** {@code meta}: the page's place, with root-relative links to its neighbours (null at the ends). */
    Map<String, Object> meta(String path, int total) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("limit", limit);
        meta.put("offset", offset);
        meta.put("total_count", total);
        meta.put("next", offset + limit < total ? link(path, offset + limit) : null);
        meta.put("previous", offset > 0 ? link(path, Math.max(0, offset - limit)) : null);
        return meta;
    }

    private String link(String path, int pageOffset) {
        StringBuilder link = new StringBuilder(path).append('?');
        if (!q.isEmpty()) {
            link.append("q=").append(encode(q)).append('&');
        }
        if (category != null) {
            link.append("category=").append(encode(category)).append('&');
        }
        if (!premiumTypes.isEmpty()) {
            link.append("premium_type=").append(encode(String.join(",", premiumTypes.stream().sorted().toList())))
                    .append('&');
        }
        if (!sort.equals("created")) {
            link.append("sort=").append(sort).append('&');
        }
        return link.append("limit=").append(limit).append("&offset=").append(pageOffset).toString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
