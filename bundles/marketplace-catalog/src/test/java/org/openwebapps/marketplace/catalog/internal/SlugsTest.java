package org.openwebapps.marketplace.catalog.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SlugsTest {

    @Test
    void namesBecomeLowerCaseWordsJoinedByDashes() {
        assertEquals("my-game", Slugs.fromName("My Game!", 1));
        assertEquals("cafe-creme", Slugs.fromName("Café  Crème", 1));
        assertEquals("a-b", Slugs.fromName("--a__b--", 1));
    }

    @Test
    void clashesCountFromTwoAndStayWithinThirtyCharacters() {
        assertEquals("my-game-2", Slugs.fromName("My Game", 2));
        assertEquals("my-game-17", Slugs.fromName("My Game", 17));
        String longName = "An extraordinarily long application name";
        assertEquals(30, Slugs.fromName(longName, 1).length());
        String clash = Slugs.fromName(longName, 12);
        assertTrue(clash.endsWith("-12") && clash.length() <= 30, clash);
        assertTrue(Slugs.valid(clash));
    }

    @Test
    void namesWithoutLettersOrOnlyDigitsStillMakeValidSlugs() {
        assertEquals("app", Slugs.fromName("日本語", 1));
        assertEquals("app-2048", Slugs.fromName("2048", 1));
        assertTrue(Slugs.valid(Slugs.fromName("!!!", 3)));
    }

    @Test
    void reservedWordsAreNeverSlugs() {
        assertEquals("mine-2", Slugs.fromName("Mine", 1));
        assertEquals("mine-3", Slugs.fromName("Mine", 2));
        assertEquals("validate-2", Slugs.fromName("Validate", 1));
        assertFalse(Slugs.valid("mine"));
        assertFalse(Slugs.valid("validate"));
    }

    @Test
    void developersChooseOnlyWellFormedSlugs() {
        assertTrue(Slugs.valid("my-game-2"));
        assertFalse(Slugs.valid("My-Game"));
        assertFalse(Slugs.valid(""));
        assertFalse(Slugs.valid("a".repeat(31)));
        assertFalse(Slugs.valid("123"));
        assertFalse(Slugs.valid("a b"));
        assertFalse(Slugs.valid(null));
    }
}
