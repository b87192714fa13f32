package org.openwebapps.http.rest.internal;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Holds the current generation of a resource (here: a Jersey container) and swaps in a new one
 * without disturbing callers that still use the old one. A retired generation is destroyed
 * exactly once, as soon as its last caller has released it (or when {@link Generation#forceDestroy()}
 * is called after a drain timeout).
 *
 * <p>Why not {@code ServletContainer.reload()}: it shuts down the injection locator under requests
 * that are still running, and they fail with 500.
 *
 * @param <T> the generation's payload
 */
final class GenerationSwitch<T> {

    private final AtomicReference<Generation<T>> current = new AtomicReference<>();
    private final Consumer<? super T> destroyer;

    GenerationSwitch(Consumer<? super T> destroyer) {
        this.destroyer = Objects.requireNonNull(destroyer, "destroyer");
    }

    /**
     * Enters the current generation.
     *
     * @return the entered generation, to be {@linkplain Generation#release() released} by the
     *         caller, or {@code null} when there is none
     */
    Generation<T> acquire() {
        for (;;) {
            Generation<T> generation = current.get();
            if (generation == null || generation.tryEnter()) {
                return generation;
            }
            // retired between get() and tryEnter(): its successor is already installed
        }
    }

    /**
     * Installs {@code next} as the current generation and retires the previous one.
     *
     * @param next the new payload, or {@code null} to leave no current generation
     * @return the retired generation (possibly still draining), or {@code null}
     */
    Generation<T> swap(T next) {
        Generation<T> previous = current.getAndSet(next == null ? null : new Generation<>(next, destroyer));
        if (previous != null) {
            previous.retire();
        }
        return previous;
    }

    /** One payload and the count of callers inside it. */
    static final class Generation<T> {
        private static final int RETIRED = 1;
        private static final int USER = 2;

        private final T value;
        private final Consumer<? super T> destroyer;
        /** Users times {@link #USER}, plus {@link #RETIRED} once retired: both change atomically together. */
        private final AtomicInteger state = new AtomicInteger();
        private final AtomicBoolean destroyed = new AtomicBoolean();

        private Generation(T value, Consumer<? super T> destroyer) {
            this.value = value;
            this.destroyer = destroyer;
        }

        T value() {
            return value;
        }

        /** Leaves this generation; the last caller out of a retired generation destroys it. */
        void release() {
            if (state.addAndGet(-USER) == RETIRED) {
                destroyOnce();
            }
        }

        /** @return callers currently inside this generation */
        int users() {
            return state.get() / USER;
        }

        boolean isDestroyed() {
            return destroyed.get();
        }

        /** Destroys a retired generation even though callers are still inside (drain timeout). */
        void forceDestroy() {
            if ((state.get() & RETIRED) != 0) {
                destroyOnce();
            }
        }

        private boolean tryEnter() {
            for (;;) {
                int s = state.get();
                if ((s & RETIRED) != 0) {
                    return false;
                }
                if (state.compareAndSet(s, s + USER)) {
                    return true;
                }
            }
        }

        private void retire() {
            if (state.updateAndGet(s -> s | RETIRED) == RETIRED) {
                destroyOnce();
            }
        }

        private void destroyOnce() {
            if (destroyed.compareAndSet(false, true)) {
                destroyer.accept(value);
            }
        }
    }
}
