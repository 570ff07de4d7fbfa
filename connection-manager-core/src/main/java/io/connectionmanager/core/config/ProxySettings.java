package io.connectionmanager.core.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.connectionmanager.core.config.InvalidConnectionSettingException.Reason;

/**
 * A proxy between the client and the server: HTTP CONNECT ({@code http://host:port}) or
 * SOCKS5 ({@code socks5://host:port}), with optional credentials (HTTP Basic, SOCKS5
 * username/password). The target host name is resolved by the proxy, not locally.
 * Validated at construction.
 *
 * @param url {@code http://host:port} or {@code socks5://host:port}; no credentials in it
 * @param username the user name, or {@code null} for no authentication
 * @param password the password (a secret: never logged), or {@code null}; set together
 * with the user name
 * @param nonProxyHosts hosts reached directly, in the syntax of Java's
 * {@code http.nonProxyHosts}: patterns separated by {@code |}, where {@code *} matches
 * any characters (e.g. {@code localhost|127.*|*.internal.example.com}); compared with the
 * URL's host, ignoring case. {@code null} or empty: every host goes through the proxy
 */
public record ProxySettings(URI url, String username, String password, String nonProxyHosts) {

	/** How the tunnel is opened. */
	public enum Type {

		/** HTTP {@code CONNECT host:port} (RFC 9110 section 9.3.6). */
		HTTP,

		/** SOCKS version 5 (RFC 1928), username/password per RFC 1929. */
		SOCKS5

	}

	public ProxySettings {
		if (url == null) {
			throw Settings.required("proxy.url", "is required");
		}
		validate(url);
		if ((username == null) != (password == null)) {
			throw new InvalidConnectionSettingException((username == null) ? "proxy.username" : "proxy.password", null,
					Reason.REQUIRED, "is required when proxy." + ((username == null) ? "password" : "username")
							+ " is set (set both or neither)");
		}
		nonProxyHosts = (nonProxyHosts != null && !nonProxyHosts.isBlank()) ? nonProxyHosts.trim() : null;
	}

	/**
	 * A proxy from its URL.
	 * @throws InvalidConnectionSettingException naming {@code proxy.url} when it does not
	 * parse
	 */
	public static ProxySettings of(String url, String username, String password, String nonProxyHosts) {
		return new ProxySettings(parse(url), username, password, nonProxyHosts);
	}

	private static URI parse(String url) {
		if (url == null || url.isBlank()) {
			throw Settings.required("proxy.url", "is required");
		}
		try {
			return new URI(url.trim());
		}
		catch (URISyntaxException ex) {
			throw new InvalidConnectionSettingException("proxy.url", "(redacted)", Reason.MALFORMED,
					"is not a valid URI: " + ex.getReason());
		}
	}

	private static void validate(URI url) {
		if (url.getUserInfo() != null) {
			throw new InvalidConnectionSettingException("proxy.url", "(redacted)", Reason.FORBIDDEN,
					"must not carry credentials; use proxy.username and proxy.password");
		}
		String scheme = (url.getScheme() != null) ? url.getScheme().toLowerCase(Locale.ROOT) : null;
		if (!"http".equals(scheme) && !"socks5".equals(scheme)) {
			throw new InvalidConnectionSettingException("proxy.url", url, Reason.UNSUPPORTED_VALUE,
					"must use the scheme http (HTTP CONNECT) or socks5");
		}
		if (url.getHost() == null) {
			throw new InvalidConnectionSettingException("proxy.url", url, Reason.MALFORMED, "has no host");
		}
		if (url.getPort() == -1) {
			throw new InvalidConnectionSettingException("proxy.url", url, Reason.MALFORMED,
					"needs an explicit port, e.g. http://proxy.example.com:3128 or socks5://proxy.example.com:1080");
		}
	}

	public Type type() {
		return "http".equalsIgnoreCase(this.url.getScheme()) ? Type.HTTP : Type.SOCKS5;
	}

	/** Whether the proxy asks for credentials. */
	public boolean hasCredentials() {
		return this.username != null;
	}

	/** Whether {@code host} is reached directly ({@link #nonProxyHosts}). */
	public boolean bypasses(String host) {
		if (this.nonProxyHosts == null || host == null) {
			return false;
		}
		String candidate = host.toLowerCase(Locale.ROOT);
		if (candidate.startsWith("[") && candidate.endsWith("]")) {
			candidate = candidate.substring(1, candidate.length() - 1);
		}
		for (Pattern pattern : patterns(this.nonProxyHosts)) {
			if (pattern.matcher(candidate).matches()) {
				return true;
			}
		}
		return false;
	}

	/** Java's rule: {@code *} matches any characters, everything else literally. */
	private static List<Pattern> patterns(String nonProxyHosts) {
		List<Pattern> patterns = new ArrayList<>();
		for (String part : nonProxyHosts.split("\\|")) {
			String trimmed = part.trim().toLowerCase(Locale.ROOT);
			if (!trimmed.isEmpty()) {
				patterns.add(Pattern.compile(
						Arrays.stream(trimmed.split("\\*", -1)).map(Pattern::quote).collect(Collectors.joining(".*"))));
			}
		}
		return patterns;
	}

	/** The password is masked. */
	@Override
	public String toString() {
		return "ProxySettings[url=" + this.url + ", username=" + this.username + ", password="
				+ ((this.password != null) ? "******" : null) + ", nonProxyHosts=" + this.nonProxyHosts + "]";
	}

}
