package io.connectionmanager.core.config;

/**
 * A setting has a value the engine cannot work with. Names the property (relative to the
 * connection, e.g. {@code reconnect.max-delay}) so that a Spring failure analyzer can
 * point at the exact key.
 */
public class InvalidConnectionSettingException extends IllegalArgumentException {

	private final String property;

	private final transient Object value;

	private final String reason;

	public InvalidConnectionSettingException(String property, Object value, String reason) {
		super(property + " (" + value + ") " + reason);
		this.property = property;
		this.value = value;
		this.reason = reason;
	}

	/**
	 * The property path relative to the connection, in kebab case, e.g.
	 * {@code heartbeat.timeout}.
	 */
	public String property() {
		return this.property;
	}

	public Object value() {
		return this.value;
	}

	/** What is wrong, e.g. {@code must be positive}. */
	public String reason() {
		return this.reason;
	}

}
