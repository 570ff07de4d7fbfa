package io.connectionmanager.core.config;

/**
 * A setting has a value the engine cannot work with. Names the property (relative to the
 * connection, e.g. {@code reconnect.max-delay}) and says what is wrong twice: as a
 * {@link Reason} code for programs (a Spring failure analyzer picks its advice from it)
 * and as a sentence for people.
 */
public class InvalidConnectionSettingException extends IllegalArgumentException {

	/** What kind of problem a value has, for programs that react to it. */
	public enum Reason {

		/** No value where one is needed. */
		REQUIRED,

		/** Zero or negative where a positive duration is needed. */
		NOT_POSITIVE,

		/** Below the smallest accepted value. */
		TOO_SMALL,

		/** Above the largest accepted value. */
		TOO_LARGE,

		/** Outside an accepted interval bounded on both sides. */
		OUT_OF_RANGE,

		/** Not of the expected form, e.g. a URL that does not parse or has no host. */
		MALFORMED,

		/** Well formed but not supported, e.g. an unknown URL scheme. */
		UNSUPPORTED_VALUE,

		/** Contradicts another setting, e.g. a max-delay below the initial-delay. */
		CONFLICT,

		/** Refused for safety, e.g. credentials in a URL. */
		FORBIDDEN,

		/** Any other problem: the description says what. */
		INVALID

	}

	private final String property;

	private final transient Object value;

	private final Reason code;

	private final String reason;

	/**
	 * @param property the property path relative to the connection, in kebab case
	 * @param value the offending value (never a secret), or {@code null} when missing
	 * @param code what kind of problem it is
	 * @param reason what is wrong, as a sentence fragment, e.g. {@code must be positive}
	 */
	public InvalidConnectionSettingException(String property, Object value, Reason code, String reason) {
		super(property + " (" + value + ") " + reason);
		this.property = property;
		this.value = value;
		this.code = code;
		this.reason = reason;
	}

	/**
	 * A problem of no more specific kind ({@link Reason#INVALID}).
	 * @param property the property path relative to the connection, in kebab case
	 * @param value the offending value (never a secret), or {@code null} when missing
	 * @param reason what is wrong, as a sentence fragment
	 */
	public InvalidConnectionSettingException(String property, Object value, String reason) {
		this(property, value, Reason.INVALID, reason);
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

	/** What kind of problem it is. */
	public Reason code() {
		return this.code;
	}

	/** What is wrong, e.g. {@code must be positive}. */
	public String reason() {
		return this.reason;
	}

}
