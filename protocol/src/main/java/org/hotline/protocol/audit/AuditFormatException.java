package org.hotline.protocol.audit;

/**
 * A line that is not a well-formed audit entry (PROTOCOL.md §11): unparsable, a duplicate key, an
 * unknown type, a missing or mistyped field, a displayed field that differs from the signed bytes
 * embedded in the same line, or a line not in its one canonical encoding. The input is at fault.
 */
public final class AuditFormatException extends Exception {

    private final String field;

    /** @param field the offending field's name, or empty when the line as a whole is at fault */
    public AuditFormatException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The offending field, or empty when the line as a whole is at fault. */
    public String field() {
        return field;
    }
}
