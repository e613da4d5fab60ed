package org.hotline.client.core.engine;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.hotline.client.core.ClientListener;

/** The observers of one client; events are fired on the engine thread. */
final class Listeners {

    private final List<ClientListener> listeners = new CopyOnWriteArrayList<>();

    void add(ClientListener l) {
        listeners.add(l);
    }

    void remove(ClientListener l) {
        listeners.remove(l);
    }

    void fire(Consumer<ClientListener> event) {
        for (ClientListener l : listeners) {
            try {
                event.accept(l);
            } catch (RuntimeException ignored) {
                // A broken observer must not stop the engine.
            }
        }
    }
}
