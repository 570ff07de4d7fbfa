package io.connectionmanager.autoconfigure.diagnostics;

import io.connectionmanager.autoconfigure.InvalidConnectionPropertyException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns an invalid {@code connection-manager.*} value into one start-up message that
 * names the full property, the value and where it came from, and says how to fix it.
 */
public class InvalidConnectionPropertyFailureAnalyzer
		extends AbstractFailureAnalyzer<InvalidConnectionPropertyException> {

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
		String property = cause.getProperty();
		String relative = cause.getRelativeProperty();
		String reason = cause.getReason();
		String fix;
		if (relative.equals("url")) {
			fix = (reason.startsWith("is required"))
					? "Set " + property + " to the server's URL, for example wss://feed.example.com/v1/stream."
					: "Set " + property + " to a ws://, wss://, tcp:// or tls:// URL with a host"
							+ " (and an explicit port for tcp:// and tls://); credentials belong in headers.";
		}
		else if (relative.equals("framing")) {
			fix = "Set " + property + " to lines or length-prefixed, or use a ws:// or wss:// URL.";
		}
		else if (relative.equals("reconnect.max-delay") && reason.contains("initial-delay")) {
			fix = "Set " + property + " to at least reconnect.initial-delay, or lower reconnect.initial-delay.";
		}
		else if (relative.equals("reconnect.multiplier")) {
			fix = "Set " + property + " to 1.0 or more (2.0 doubles the delay after each attempt).";
		}
		else if (relative.equals("reconnect.max-attempts")) {
			fix = "Set " + property + " to -1 to retry forever, or to 1 or more.";
		}
		else if (relative.equals("circuit-breaker.failure-rate-threshold")) {
			fix = "Set " + property + " to a percentage greater than 0 and at most 100.";
		}
		else if (reason.equals("must be positive")) {
			fix = "Set " + property + " to a positive duration, for example 500ms, 30s or PT1M.";
		}
		else if (reason.startsWith("is required")) {
			fix = "Set " + property + ".";
		}
		else {
			fix = "Change " + property + " so that it " + reason + ".";
		}
		if (cause.getOrigin() != null && cause.getOrigin().startsWith("inherited from ")) {
			fix += " The value is inherited from connection-manager.defaults: change it there, or override it for"
					+ " this connection.";
		}
		return "Update your application's configuration. " + fix;
	}

}
