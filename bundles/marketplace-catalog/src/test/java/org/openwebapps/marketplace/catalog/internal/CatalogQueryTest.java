package org.openwebapps.marketplace.catalog.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Filters, orders and the paging arithmetic of {@code GET API/apps}. */
class CatalogQueryTest {

    private static final Set<String> CATEGORIES = Set.of("games", "news");

    private static App app(long id, String name, String status, String premiumType, List<String> categories, long created) {
        App app = App.submitted(id, Slugs.fromName(name, 1) + "-" + id, "https://a" + id + ".example/m.webapp",
                "https://a" + id + ".example", App.JSON.createObjectNode().put("name", name)
                        .put("description", "about " + name), "dev@example", created);
        return app.withMetadata(app.slug(), categories, premiumType, "premium".equals(premiumType) ? 1 : null, created)
                .withStatus(status, created);
    }

    private static CatalogIndex.Snapshot catalog(App... apps) {
        Map<Long, App> byId = new HashMap<>();
        for (App app : apps) {
            byId.put(app.id(), app);
        }
        return CatalogIndex.of(byId);
    }

    private static CatalogQuery query(String q, String category, String premiumType, String sort, String limit,
            String offset) throws MarketplaceException {
        return CatalogQuery.parse(q, category, premiumType, sort, limit, offset, CATEGORIES, 100);
    }

    private static List<Long> ids(CatalogQuery.Page page) {
        return page.apps().stream().map(App::id).toList();
    }

    @Test
    void onlyPublicAppsNewestFirstTiesByHigherId() throws Exception {
        CatalogIndex.Snapshot catalog = catalog(app(1, "One", "public", "free", List.of("games"), 100),
                app(2, "Two", "pending", "free", List.of("games"), 200), app(3, "Three", "public", "free", List.of(), 100),
                app(4, "Four", "disabled", "free", List.of(), 300), app(5, "Five", "public", "free", List.of(), 150));
        CatalogQuery.Page page = query(null, null, null, null, null, null).run(catalog);
        assertEquals(List.of(5L, 3L, 1L), ids(page));
        assertEquals(3, page.total());
    }

    @Test
    void byNameIgnoringCaseTiesById() throws Exception {
        CatalogIndex.Snapshot catalog = catalog(app(1, "banana", "public", "free", List.of(), 1),
                app(2, "Apple", "public", "free", List.of(), 2), app(3, "apple", "public", "free", List.of(), 3));
        assertEquals(List.of(2L, 3L, 1L), ids(query(null, null, null, "name", null, null).run(catalog)));
    }

    @Test
    void everyTermMustOccurInNameDescriptionOrSlug() throws Exception {
        CatalogIndex.Snapshot catalog = catalog(app(1, "Space Game", "public", "free", List.of(), 1),
                app(2, "Space News", "public", "free", List.of(), 2), app(3, "Chess", "public", "free", List.of(), 3));
        assertEquals(List.of(1L), ids(query("GAME space", null, null, null, null, null).run(catalog)));
        assertEquals(List.of(2L, 1L), ids(query("  space  ", null, null, null, null, null).run(catalog)));
        assertEquals(List.of(3L), ids(query("about chess", null, null, null, null, null).run(catalog)));
        assertEquals(List.of(1L), ids(query("space-game", null, null, null, null, null).run(catalog)), "slug");
    }

    @Test
    void aTermMatchesWithinOneAppNeverAcrossTwo() throws Exception {
        CatalogIndex.Snapshot catalog = catalog(app(1, "Alpha", "public", "free", List.of(), 1),
                app(2, "Beta", "public", "free", List.of(), 2), app(3, "Alphabet", "public", "free", List.of(), 3));
        assertEquals(List.of(3L, 1L), ids(query("alph", null, null, null, null, null).run(catalog)));
        assertEquals(List.of(3L, 2L), ids(query("bet", null, null, null, null, null).run(catalog)));
        String lastOfOneFirstOfNext = app(2, "Beta", "public", "free", List.of(), 2).slug().substring(3) + "\u0000";
        assertEquals(List.of(), ids(query(lastOfOneFirstOfNext + "alpha", null, null, null, null, null).run(catalog)));
        assertEquals(List.of(3L), ids(query("alpha bet", null, null, "name", null, null).run(catalog)));
    }

    @Test
    void termsWithPunctuationOrAccentsMatchAsWritten() throws Exception {
        CatalogIndex.Snapshot catalog = catalog(app(1, "C++ Editor", "public", "free", List.of(), 1),
                app(2, "C Editor", "public", "free", List.of(), 2), app(3, "Café Olé", "public", "free", List.of(), 3));
        assertEquals(List.of(1L), ids(query("c++", null, null, null, null, null).run(catalog)));
        assertEquals(List.of(3L, 2L, 1L), ids(query("c", null, null, null, null, null).run(catalog)), "within words too");
        assertEquals(List.of(1L), ids(query("editor c++", null, null, null, null, null).run(catalog)));
        assertEquals(List.of(1L), ids(query("++", null, null, null, null, null).run(catalog)));
        assertEquals(List.of(3L), ids(query("CAFÉ olé", null, null, null, null, null).run(catalog)));
        assertEquals(List.of(3L), ids(query("é", null, null, null, null, null).run(catalog)));
        assertEquals(List.of(), ids(query("editor.", null, null, null, null, null).run(catalog)));
    }

    @Test
    void aRepeatedSearchFindsWhatTheFirstFound() throws Exception {
        CatalogIndex.Snapshot catalog = catalog(app(1, "Space Game", "public", "free", List.of("games"), 1),
                app(2, "Space News", "public", "free", List.of("news"), 2));
        for (int round = 0; round < 2; round++) {
            assertEquals(List.of(1L), ids(query("space game", null, null, null, null, null).run(catalog)));
            assertEquals(List.of(2L, 1L), ids(query("space", null, null, null, null, null).run(catalog)));
            assertEquals(List.of(2L), ids(query("space", "news", null, null, null, null).run(catalog)));
            assertEquals(List.of(1L), ids(query(null, "games", null, null, null, null).run(catalog)));
        }
    }

    @Test
    void tokensAreTheRunsOfLettersAndDigits() {
        assertEquals(List.of("app", "12", "space", "caf\u00e9", "x2"),
                CatalogIndex.Ordered.tokens("app-12 space\ncaf\u00e9.. x2"));
        assertEquals(List.of(), CatalogIndex.Ordered.tokens("-- . +"));
    }

    @Test
    void categoryAndPremiumTypesFilter() throws Exception {
        CatalogIndex.Snapshot catalog = catalog(app(1, "A", "public", "free", List.of("games"), 1),
                app(2, "B", "public", "premium", List.of("games", "news"), 2),
                app(3, "C", "public", "free-inapp", List.of("news"), 3));
        assertEquals(List.of(2L, 1L), ids(query(null, "games", null, null, null, null).run(catalog)));
        assertEquals(List.of(3L, 2L), ids(query(null, null, "premium,free-inapp", null, null, null).run(catalog)));
        assertEquals(List.of(2L), ids(query(null, "news", "premium", null, null, null).run(catalog)));
    }

    @Test
    void followingNextYieldsEveryMatchExactlyOnce() throws Exception {
        List<App> apps = new ArrayList<>();
        for (int i = 1; i <= 103; i++) {
            apps.add(app(i, "Game " + i, i % 10 == 0 ? "pending" : "public", "free", List.of("games"), i % 7));
        }
        CatalogIndex.Snapshot catalog = catalog(apps.toArray(App[]::new));
        List<Long> all = ids(query("game", "games", null, null, "1000", null).run(catalog));
        assertEquals(93, all.size());
        List<Long> followed = new ArrayList<>();
        CatalogQuery query = query("game", "games", null, null, "10", null);
        int pages = 0;
        while (query != null) {
            CatalogQuery.Page page = query.run(catalog);
            followed.addAll(ids(page));
            Map<String, Object> meta = query.meta("/marketplace/api/v1/apps", page.total());
            assertEquals(93, meta.get("total_count"));
            query = meta.get("next") == null ? null : fromLink((String) meta.get("next"));
            pages++;
        }
        assertEquals(all, followed);
        assertEquals(10, pages);
    }

    @Test
    void linksRepeatTheFiltersAndStopAtTheEnds() throws Exception {
        CatalogQuery first = query("space game", "games", "premium,free", "name", "25", null);
        Map<String, Object> meta = first.meta("/marketplace/api/v1/apps", 60);
        assertEquals("/marketplace/api/v1/apps?q=space%20game&category=games&premium_type=free%2Cpremium&sort=name"
                + "&limit=25&offset=25", meta.get("next"));
        assertNull(meta.get("previous"));
        CatalogQuery last = query(null, null, null, null, "25", "50");
        Map<String, Object> lastMeta = last.meta("/p", 60);
        assertNull(lastMeta.get("next"));
        assertEquals("/p?limit=25&offset=25", lastMeta.get("previous"));
        assertEquals("/p?limit=25&offset=0", query(null, null, null, null, "25", "10").meta("/p", 60).get("previous"));
    }

    @Test
    void theLimitIsLoweredToThePageMaximum() throws Exception {
        assertEquals(100, query(null, null, null, null, "5000", null).limit());
        assertEquals(25, query(null, null, null, null, null, null).limit());
        assertEquals(100, query(null, null, null, null, "5000", null).meta("/p", 0).get("limit"));
    }

    @ParameterizedTest
    @CsvSource(nullValues = "-", value = {
        "-,sports,-,-,-,-", "-,-,cheap,-,-,-", "-,-,-,price,-,-", "-,-,-,-,0,-", "-,-,-,-,-1,-", "-,-,-,-,abc,-",
        "-,-,-,-,-,-5", "-,-,-,-,99999999999,-", "-,-,-,-,-,2000000",
    })
    void badValuesAreBadQueries(String q, String category, String premiumType, String sort, String limit, String offset) {
        MarketplaceException e = assertThrows(MarketplaceException.class,
                () -> query(q, category, premiumType, sort, limit, offset));
        assertEquals(400, e.status());
        assertEquals("bad_query", e.body().get("error"));
    }

    private static CatalogQuery fromLink(String link) throws MarketplaceException {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : URI.create(link).getRawQuery().split("&")) {
            String[] parts = pair.split("=", 2);
            params.put(parts[0], URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
        }
        return query(params.get("q"), params.get("category"), params.get("premium_type"), params.get("sort"),
                params.get("limit"), params.get("offset"));
    }
}
