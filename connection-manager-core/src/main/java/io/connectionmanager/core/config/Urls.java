package io.connectionmanager.core.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.connectionmanager.core.config.InvalidConnectionSettingException.Reason;

/** Validation of a connection's {@code url} or {@code urls}. */
final class Urls {

	private static final Set<String> SCHEMES = Set.of("ws", "wss", "tcp", "tls");

	private Urls() {
	}

	/**
	 * Exactly one of {@code url} and {@code urls}; every URL valid, all of one scheme.
	 */
	static List<URI> parse(String url, List<String> urls) {
		if (url != null && urls != null) {
			throw new InvalidConnectionSettingException("urls", urls, Reason.CONFLICT,
					"and url are alternatives: set one of them");
		}
		if (urls == null) {
			return List.of(parseOne("url", url));
		}
		if (urls.isEmpty()) {
			throw new InvalidConnectionSettingException("urls", urls, Reason.REQUIRED, "must list at least one URL");
		}
		List<URI> parsed = new ArrayList<>();
		for (int i = 0; i < urls.size(); i++) {
			URI uri = parseOne("urls[" + i + "]", urls.get(i));
			if (!uri.getScheme().equalsIgnoreCase(parsed.isEmpty() ? uri.getScheme() : parsed.get(0).getScheme())) {
				throw new InvalidConnectionSettingException("urls[" + i + "]", urls.get(i), Reason.CONFLICT,
						"must use the scheme of urls[0] (" + parsed.get(0).getScheme() + "://)");
			}
			if (parsed.contains(uri)) {
				throw new InvalidConnectionSettingException("urls[" + i + "]", urls.get(i), Reason.CONFLICT,
						"is listed twice");
			}
			parsed.add(uri);
		}
		return List.copyOf(parsed);
	}

	private static URI parseOne(String property, String url) {
		if (url == null || url.isBlank()) {
			throw new InvalidConnectionSettingException(property, url, Reason.REQUIRED, "is required");
		}
		URI uri;
		try {
			uri = new URI(url.trim());
		}
		catch (URISyntaxException ex) {
			throw new InvalidConnectionSettingException(property, url, Reason.MALFORMED,
					"is not a valid URI: " + ex.getReason());
		}
		String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : null;
		if (scheme == null || !SCHEMES.contains(scheme)) {
			throw new InvalidConnectionSettingException(property, url, Reason.UNSUPPORTED_VALUE,
					"must use one of the schemes ws, wss, tcp, tls");
		}
		if (uri.getHost() == null) {
			throw new InvalidConnectionSettingException(property, url, Reason.MALFORMED, "has no host");
		}
		if (uri.getUserInfo() != null) {
			throw new InvalidConnectionSettingException(property, "(redacted)", Reason.FORBIDDEN,
					"must not carry credentials; use headers or the handler's authentication step");
		}
		if ((scheme.equals("tcp") || scheme.equals("tls")) && uri.getPort() == -1) {
			throw new InvalidConnectionSettingException(property, url, Reason.MALFORMED,
					"needs an explicit port for " + scheme + "://");
		}
		return uri;
	}

}
