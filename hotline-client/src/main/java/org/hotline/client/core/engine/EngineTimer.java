package org.hotline.client.core.engine;

import java.time.Duration;

/** Runs a task later on the engine thread; unit tests pass one that only records it. */
interface EngineTimer {
    void after(Duration delay, Runnable task);
}
