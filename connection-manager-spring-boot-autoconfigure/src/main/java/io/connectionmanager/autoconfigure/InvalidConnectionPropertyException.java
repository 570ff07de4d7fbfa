package io.connectionmanager.autoconfigure;

import io.connectionmanager.core.config.InvalidConnectionSettingException;
import io.connectionmanager.core.config.InvalidConnectionSettingException.Reason;

/**
 * A {@code connection-manager.*} property has a value the engine cannot work with: the
 * Spring-facing form of the core's {@link InvalidConnectionSettingException} (its cause).
 * Carries everything a failure analyzer needs to print one clear message: the full
 * property name, the value as configured (never a secret), where it came from, what kind
 * of problem it is ({@link Reason}) and what is wrong.
 */
public class InvalidConnectionPropertyException extends RuntimeException {

	private final String connectionName;

	private final String property;

	private final String value;

	private final String origin;

	private final boolean inherited;

	private final InvalidConnectionSettingException setting;

	/**
	 * @param connectionName the connection concerned, or {@code null} for a process-wide
	 * property
	 * @param property the full property name, e.g.
	 * {@code connection-manager.connections.feed.reconnect.max-delay}
	 * @param value the offending value as written, or {@code null} when it is missing
	 * @param origin where the value came from (a file and line, the defaults key, the
	 * built-in default), or {@code null}
	 * @param inherited whether the value came from {@code connection-manager.defaults}
	 * @param cause the core's finding: the relative property, the reason code and text
	 */
	public InvalidConnectionPropertyException(String connectionName, String property, String value, String origin,
			boolean inherited, InvalidConnectionSettingException cause) {
		super(property + ((value != null) ? " (" + value + ")" : "") + " " + cause.reason(), cause);
		this.connectionName = connectionName;
		this.property = property;
		this.value = value;
		this.origin = origin;
		this.inherited = inherited;
		this.setting = cause;
	}

	/** The connection concerned, or {@code null} for a process-wide property. */
	public String getConnectionName() {
		return this.connectionName;
	}

	/** The full property name. */
	public String getProperty() {
		return this.property;
	}

	/**
	 * The property relative to the connection (e.g. {@code reconnect.max-delay}), or to
	 * {@code connection-manager} for a process-wide one (e.g. {@code runtime.threads}).
	 */
	public String getRelativeProperty() {
		return this.setting.property();
	}

	/** The offending value as written, or {@code null} when it is missing. */
	public String getValue() {
		return this.value;
	}

	/** Where the value came from, or {@code null}. */
	public String getOrigin() {
		return this.origin;
	}

	/** Whether the value came from {@code connection-manager.defaults}. */
	public boolean isInherited() {
		return this.inherited;
	}

	/** What kind of problem it is. */
	public Reason getCode() {
		return this.setting.code();
	}

	/** What is wrong, as a sentence fragment, e.g. {@code must be positive}. */
	public String getReason() {
		return this.setting.reason();
	}

}
