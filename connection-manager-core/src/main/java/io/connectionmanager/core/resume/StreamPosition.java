package io.connectionmanager.core.resume;

import java.util.Objects;

/**
 * Where a message sits in its stream: a numeric sequence (gaps and duplicates are
 * detected by comparison) or an opaque resume token (only offered back to the server;
 * duplicates are detected by equality with the last one).
 *
 * @param sequence the sequence number when {@code token} is {@code null}
 * @param token the opaque token, or {@code null} for a numeric position
 */
public record StreamPosition(long sequence, String token) {

	public static StreamPosition sequence(long sequence) {
		return new StreamPosition(sequence, null);
	}

	public static StreamPosition token(String token) {
		return new StreamPosition(0, Objects.requireNonNull(token, "token"));
	}

	/** Reads what {@link #asString()} wrote. */
	public static StreamPosition parse(String text) {
		if (text.startsWith("seq:")) {
			return sequence(Long.parseLong(text.substring(4)));
		}
		if (text.startsWith("token:")) {
			return token(text.substring(6));
		}
		throw new IllegalArgumentException("Not a stream position: " + text);
	}

	public boolean isNumeric() {
		return this.token == null;
	}

	/** The value to offer the server: the number, or the token. */
	public String value() {
		return isNumeric() ? Long.toString(this.sequence) : this.token;
	}

	/** A self-describing form for stores: {@code seq:42} or {@code token:abc}. */
	public String asString() {
		return isNumeric() ? "seq:" + this.sequence : "token:" + this.token;
	}

	@Override
	public String toString() {
		return value();
	}

}
