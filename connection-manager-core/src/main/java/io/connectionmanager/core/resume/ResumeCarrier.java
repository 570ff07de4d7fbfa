package io.connectionmanager.core.resume;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.config.ResumeSettings;
import io.connectionmanager.core.transport.ConnectRequest;

/**
 * Puts the resume position where the server expects it: the URL's query, a header, or
 * nowhere (the handler).
 */
public final class ResumeCarrier {

	private ResumeCarrier() {
	}

	/** The request to the configured {@code url} (with {@code urls}, the primary). */
	public static ConnectRequest request(ConnectionSettings settings, StreamPosition from) {
		return request(settings, settings.url(), from);
	}

	/** The request to {@code endpoint}, one of the configured URLs. */
	public static ConnectRequest request(ConnectionSettings settings, URI endpoint, StreamPosition from) {
		URI uri = endpoint;
		Map<String, String> headers = settings.headers();
		ResumeSettings resume = settings.resume();
		if (from != null && resume.enabled()) {
			switch (resume.carrier()) {
				case QUERY_PARAMETER -> uri = withQueryParameter(uri, resume.name(), from.value());
				case HEADER -> {
					headers = new LinkedHashMap<>(headers);
					headers.put(resume.name(), from.value());
				}
				case HANDLER -> {
				}
			}
		}
		return new ConnectRequest(uri, headers, settings.connectTimeout());
	}

	static URI withQueryParameter(URI uri, String name, String value) {
		String parameter = URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
				+ URLEncoder.encode(value, StandardCharsets.UTF_8);
		String query = uri.getRawQuery();
		String text = uri.toString();
		int fragment = text.indexOf('#');
		String base = (fragment >= 0) ? text.substring(0, fragment) : text;
		String suffix = (fragment >= 0) ? text.substring(fragment) : "";
		return URI.create(base + ((query == null || query.isEmpty()) ? "?" : "&") + parameter + suffix);
	}

}
