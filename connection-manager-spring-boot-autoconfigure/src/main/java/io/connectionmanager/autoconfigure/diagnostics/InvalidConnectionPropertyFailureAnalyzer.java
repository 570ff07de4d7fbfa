package io.connectionmanager.autoconfigure.diagnostics;

import java.util.Map;

import io.connectionmanager.autoconfigure.InvalidConnectionPropertyException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns an invalid {@code connection-manager.*} value into one start-up message that
 * names the full property, the value and where it came from, and says how to fix it. The
 * advice is chosen from the failure's reason code and property, never from its wording.
 */
public class InvalidConnectionPropertyFailureAnalyzer
		extends AbstractFailureAnalyzer<InvalidConnectionPropertyException> {

	/**
	 * What to set a property to when its value is too small, out of range, malformed,
	 * unsupported or in conflict, by property relative to the connection.
	 */
	private static final Map<String, String> VALUES = Map.of("url",
			"a ws://, wss://, tcp:// or tls:// URL with a host (and an explicit port for tcp:// and tls://);"
					+ " credentials belong in headers",
			"framing", "lines or length-prefixed, or use a ws:// or wss:// URL", "reconnect.max-delay",
			"at least reconnect.initial-delay, or lower reconnect.initial-delay", "reconnect.multiplier",
			"1.0 or more (2.0 doubles the delay after each attempt)", "reconnect.max-attempts",
			"-1 to retry forever, or to 1 or more", "circuit-breaker.failure-rate-threshold",
			"a percentage greater than 0 and at most 100", "circuit-breaker.randomized-wait-factor",
			"at least 0 (every wait exactly wait-duration-in-open-state) and less than 1, for example 0.5");

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidConnectionPropertyException cause) {
		return new FailureAnalysis(description(cause), action(cause), cause);
	}

	private static String description(InvalidConnectionPropertyException cause) {
		StringBuilder description = new StringBuilder();
		description.append((cause.getConnectionName() != null)
				? "Invalid configuration of connection '" + cause.getConnectionName() + "':"
				: "Invalid connection-manager configuration:");
		description.append(String.format("%n%n    Property: %s", cause.getProperty()));
		description.append(String.format("%n    Value: %s",
				(cause.getValue() != null) ? "\"" + cause.getValue() + "\"" : "(not set)"));
		if (cause.getOrigin() != null) {
			description.append(String.format("%n    Origin: %s", cause.getOrigin()));
		}
		description.append(String.format("%n    Reason: %s", cause.getReason()));
		return description.toString();
	}

	private static String action(InvalidConnectionPropertyException cause) {
		String fix = fix(cause);
		if (cause.isInherited()) {
			fix += " The value is inherited from connection-manager.defaults: change it there, or override it for"
					+ " this connection.";
		}
		return "Update your application's configuration. " + fix;
	}

	private static String fix(InvalidConnectionPropertyException cause) {
		String property = cause.getProperty();
		String relative = cause.getRelativeProperty();
		return switch (cause.getCode()) {
			case REQUIRED -> switch (relative) {
				case "url" -> "Set " + property + " to the server's URL, for example wss://feed.example.com/v1/stream.";
				case "framing" -> "Set " + property + " to " + VALUES.get(relative) + ".";
				default -> "Set " + property + ".";
			};
			case NOT_POSITIVE -> "Set " + property + " to a positive duration, for example 500ms, 30s or PT1M.";
			case TOO_LARGE -> "Change " + property + ": it " + cause.getReason() + ".";
			default -> VALUES.containsKey(relative) ? "Set " + property + " to " + VALUES.get(relative) + "."
					: "Change " + property + ": it " + cause.getReason() + ".";
		};
	}

}
