package io.connectionmanager.autoconfigure;

/**
 * A {@code connection-manager.*} property has a value the engine cannot work with.
 * Carries everything a failure analyzer needs to print one clear message: the full
 * property name, the value as configured (never a secret), where it came from and what is
 * wrong.
 */
public class InvalidConnectionPropertyException extends RuntimeException {

	private final String connectionName;

	private final String property;

	private final String relativeProperty;

	private final String value;

	private final String origin;

	private final String reason;

	/**
	 * @param connectionName the connection concerned, or {@code null} for a global
	 * property
	 * @param property the full property name, e.g.
	 * {@code connection-manager.connections.feed.reconnect.max-delay}
	 * @param relativeProperty the property relative to the connection (e.g.
	 * {@code reconnect.max-delay}), or the full name for a global property
	 * @param value the offending value as text, or {@code null} when it is missing
	 * @param origin where the value came from (a file and line, the defaults key, the
	 * built-in default), or {@code null}
	 * @param reason what is wrong, e.g. {@code must be positive}
	 * @param cause the exception that detected it, or {@code null}
	 */
	public InvalidConnectionPropertyException(String connectionName, String property, String relativeProperty,
			String value, String origin, String reason, Throwable cause) {
		super(property + ((value != null) ? " (" + value + ")" : "") + " " + reason, cause);
		this.connectionName = connectionName;
		this.property = property;
		this.relativeProperty = relativeProperty;
		this.value = value;
		this.origin = origin;
		this.reason = reason;
	}

	public String getConnectionName() {
		return this.connectionName;
	}

	public String getProperty() {
		return this.property;
	}

	public String getRelativeProperty() {
		return this.relativeProperty;
	}

	public String getValue() {
		return this.value;
	}

	public String getOrigin() {
		return this.origin;
	}

	public String getReason() {
		return this.reason;
	}

}
