package org.hotline.protocol.tlog;

/** A relay log checkpoint that is not in the format of PROTOCOL.md §12.2, or whose signature does not verify. */
public final class CheckpointException extends Exception {

    public CheckpointException(String message) {
        super(message);
    }
}
