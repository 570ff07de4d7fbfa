package io.connectionmanager.actuate.endpoint;

import java.util.Locale;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;

/**
 * Masks connection secrets in the {@code configprops} and {@code env} endpoints even when
 * they are configured to show values ({@code show-values=always}): every header value
 * ({@code connection-manager.**.headers.*}) and every key containing {@code password}
 * under {@code connection-manager}. Keys are compared in a normalized form so the same
 * rule covers {@code headers.Authorization}, {@code headers[Authorization]} and
 * {@code CONNECTION_MANAGER_CONNECTIONS_FEED_HEADERS_AUTHORIZATION}.
 */
public class ConnectionManagerSanitizingFunction implements SanitizingFunction {

	private static final String PREFIX = "connection.manager.";

	@Override
	public SanitizableData apply(SanitizableData data) {
		return isSecret(data.getKey()) ? data.withSanitizedValue() : data;
	}

	static boolean isSecret(String key) {
		if (key == null) {
			return false;
		}
		String normalized = key.toLowerCase(Locale.ROOT)
			.replace('_', '.')
			.replace('-', '.')
			.replace('[', '.')
			.replace("]", "");
		if (!normalized.startsWith(PREFIX)) {
			return false;
		}
		return normalized.contains(".headers.") || normalized.endsWith(".headers") || normalized.contains("password");
	}

}
