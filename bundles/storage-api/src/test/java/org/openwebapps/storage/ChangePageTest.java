package org.openwebapps.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class ChangePageTest {

    private static StoredRecord at(String key, long ts) {
        return StoredRecord.live(key, new byte[0], ts);
    }

    @Test
    void shortInputIsTheLastPage() {
        ChangePage page = ChangePage.cut(List.of(at("a", 10), at("b", 20)), 5);
        assertEquals(2, page.records().size());
        assertFalse(page.more());
    }

    @Test
    void pageEndsBeforeASplitGroup() {
        ChangePage page = ChangePage.cut(List.of(at("a", 10), at("b", 20), at("c", 20), at("d", 30)), 2);
        assertEquals(List.of(at("a", 10)), page.records());
        assertTrue(page.more());
    }

    @Test
    void groupLargerThanAPageComesWhole() {
        ChangePage page = ChangePage.cut(List.of(at("a", 10), at("b", 10), at("c", 10), at("d", 30)), 2);
        assertEquals(3, page.records().size());
        assertTrue(page.more());
        ChangePage last = ChangePage.cut(List.of(at("a", 10), at("b", 10), at("c", 10)), 2);
        assertEquals(3, last.records().size());
        assertFalse(last.more());
    }

    @Test
    void timestampsStepOverAStoppedOrBackwardClock() {
        assertEquals(1000, Timestamps.next(0, 1003));
        assertEquals(1010, Timestamps.next(1000, 1003));
        assertEquals(1010, Timestamps.next(1000, 500));
        assertEquals(2000, Timestamps.next(1000, 2000));
    }
}
