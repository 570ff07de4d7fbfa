package io.connectionmanager.core.config;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.connectionmanager.core.config.InvalidConnectionSettingException.Reason;
import io.connectionmanager.core.failure.FailurePolicy;

/**
 * Everything that describes one connection. Immutable and validated at construction: a
 * bad value fails here, with an {@link InvalidConnectionSettingException} naming the
 * property, not later at the first reconnect.
 * <p>
 * Long on purpose: one field, one accessor and one builder setter per key, and no logic
 * beyond the checks that involve several keys ({@link Urls} validates the URLs).
 */
// Over 300 lines on purpose: one immutable value, its accessors, validation and builder
// belong together (public API); the parts are already records (ReconnectSettings, ...).
public final class ConnectionSettings {

	private final String name;

	private final URI url;

	private final List<URI> urls;

	private final EndpointSelection endpointSelection;

	private final Duration endpointFailbackAfter;

	private final Duration connectTimeout;

	private final Duration authenticationTimeout;

	private final Duration shutdownTimeout;

	private final Map<String, String> headers;

	private final List<String> subprotocols;

	private final InboundSettings inbound;

	private final OutboundSettings outbound;

	private final ResumeSettings resume;

	private final Framing framing;

	private final TlsSettings tls;

	private final ProxySettings proxy;

	private final boolean compression;

	private final RotationSettings rotation;

	private final ReconnectSettings reconnect;

	private final HeartbeatSettings heartbeat;

	private final CircuitBreakerSettings circuitBreaker;

	private final FailurePolicy failurePolicy;

	private ConnectionSettings(Builder builder) {
		this.name = requireName(builder.name);
		this.urls = Urls.parse(builder.url, builder.urls);
		this.url = this.urls.get(0);
		this.endpointSelection = Objects.requireNonNull(builder.endpointSelection, "endpointSelection");
		this.endpointFailbackAfter = Settings.positive("endpoint-failback-after", builder.endpointFailbackAfter);
		this.connectTimeout = Settings.positive("connect-timeout", builder.connectTimeout);
		this.authenticationTimeout = Settings.positive("authentication-timeout", builder.authenticationTimeout);
		this.shutdownTimeout = Settings.positive("shutdown-timeout", builder.shutdownTimeout);
		this.headers = Map.copyOf(builder.headers);
		this.subprotocols = List.copyOf(builder.subprotocols);
		this.inbound = Objects.requireNonNull(builder.inbound, "inbound");
		this.outbound = Objects.requireNonNull(builder.outbound, "outbound");
		this.resume = Objects.requireNonNull(builder.resume, "resume");
		this.framing = builder.framing;
		this.tls = Objects.requireNonNull(builder.tls, "tls");
		this.proxy = builder.proxy;
		this.compression = builder.compression;
		this.rotation = builder.rotation;
		this.reconnect = Objects.requireNonNull(builder.reconnect, "reconnect");
		this.heartbeat = Objects.requireNonNull(builder.heartbeat, "heartbeat");
		this.circuitBreaker = Objects.requireNonNull(builder.circuitBreaker, "circuitBreaker");
		this.failurePolicy = Objects.requireNonNull(builder.failurePolicy, "failurePolicy");
		if (isRawTcp() && this.framing == null) {
			throw Settings.required("framing",
					"is required for " + this.url.getScheme() + ":// URLs (lines or length-prefixed)");
		}
		if (this.compression && isRawTcp()) {
			throw new InvalidConnectionSettingException("compression", true, Reason.CONFLICT,
					"applies to ws:// and wss:// only (permessage-deflate)");
		}
	}

	public static Builder builder(String name) {
		return new Builder(name);
	}

	private static String requireName(String name) {
		if (name == null || name.isBlank()) {
			throw new InvalidConnectionSettingException("name", name, Reason.REQUIRED, "must not be blank");
		}
		return name;
	}

	public String name() {
		return this.name;
	}

	/** The URL, or with {@code urls} the first (the primary). */
	public URI url() {
		return this.url;
	}

	/** Every endpoint, in configured order: {@code urls}, or the one {@code url}. */
	public List<URI> urls() {
		return this.urls;
	}

	public EndpointSelection endpointSelection() {
		return this.endpointSelection;
	}

	/**
	 * With {@link EndpointSelection#ORDERED}: time on another endpoint before the primary
	 * is tried again.
	 */
	public Duration endpointFailbackAfter() {
		return this.endpointFailbackAfter;
	}

	public boolean isSecure() {
		String scheme = this.url.getScheme().toLowerCase(java.util.Locale.ROOT);
		return scheme.equals("wss") || scheme.equals("tls");
	}

	public boolean isRawTcp() {
		String scheme = this.url.getScheme().toLowerCase(java.util.Locale.ROOT);
		return scheme.equals("tcp") || scheme.equals("tls");
	}

	public Duration connectTimeout() {
		return this.connectTimeout;
	}

	public Duration authenticationTimeout() {
		return this.authenticationTimeout;
	}

	/** How long a graceful close may take before the transport is dropped. */
	public Duration shutdownTimeout() {
		return this.shutdownTimeout;
	}

	/** Handshake headers. May hold credentials: never log or expose them. */
	public Map<String, String> headers() {
		return this.headers;
	}

	public List<String> subprotocols() {
		return this.subprotocols;
	}

	public InboundSettings inbound() {
		return this.inbound;
	}

	public OutboundSettings outbound() {
		return this.outbound;
	}

	public ResumeSettings resume() {
		return this.resume;
	}

	public Framing framing() {
		return this.framing;
	}

	public TlsSettings tls() {
		return this.tls;
	}

	/**
	 * The proxy to connect through, or {@code null} to connect directly. Its password is
	 * a secret: never log or expose it.
	 */
	public ProxySettings proxy() {
		return this.proxy;
	}

	/**
	 * Whether WebSocket permessage-deflate (RFC 7692) is offered on the handshake; a
	 * server that declines it is used uncompressed.
	 */
	public boolean compression() {
		return this.compression;
	}

	/** Gapless rotation before a server's age limit. */
	public RotationSettings rotation() {
		return this.rotation;
	}

	public ReconnectSettings reconnect() {
		return this.reconnect;
	}

	public HeartbeatSettings heartbeat() {
		return this.heartbeat;
	}

	public CircuitBreakerSettings circuitBreaker() {
		return this.circuitBreaker;
	}

	public FailurePolicy failurePolicy() {
		return this.failurePolicy;
	}

	@Override
	public String toString() {
		return "ConnectionSettings[name=" + this.name + ", url"
				+ ((this.urls.size() > 1) ? "s=" + this.urls : "=" + this.url) + ", headers=" + this.headers.keySet()
				+ " (values hidden)]";
	}

	/** Builder with the documented defaults. */
	public static final class Builder {

		// Shared defaults: a fleet built with the defaults carries no copy each.
		private static final Duration DEFAULT_ENDPOINT_FAILBACK_AFTER = Duration.ofMinutes(5);

		private static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

		private static final Duration DEFAULT_AUTHENTICATION_TIMEOUT = Duration.ofSeconds(10);

		private static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);

		private final String name;

		private String url;

		private List<String> urls;

		private EndpointSelection endpointSelection = EndpointSelection.ORDERED;

		private Duration endpointFailbackAfter = DEFAULT_ENDPOINT_FAILBACK_AFTER;

		private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;

		private Duration authenticationTimeout = DEFAULT_AUTHENTICATION_TIMEOUT;

		private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;

		private final Map<String, String> headers = new LinkedHashMap<>();

		private List<String> subprotocols = List.of();

		private InboundSettings inbound = InboundSettings.defaults();

		private OutboundSettings outbound = OutboundSettings.defaults();

		private ResumeSettings resume = ResumeSettings.disabled();

		private Framing framing;

		private TlsSettings tls = TlsSettings.defaults();

		private ProxySettings proxy;

		private boolean compression;

		private RotationSettings rotation = RotationSettings.disabled();

		private ReconnectSettings reconnect = ReconnectSettings.defaults();

		private HeartbeatSettings heartbeat = HeartbeatSettings.defaults();

		private CircuitBreakerSettings circuitBreaker = CircuitBreakerSettings.defaults();

		private FailurePolicy failurePolicy = FailurePolicy.defaults();

		private Builder(String name) {
			this.name = name;
		}

		public Builder url(String url) {
			this.url = url;
			return this;
		}

		/**
		 * Several endpoints, the first being the primary; the alternative to
		 * {@link #url}.
		 */
		public Builder urls(List<String> urls) {
			this.urls = (urls != null) ? List.copyOf(urls) : null;
			return this;
		}

		public Builder endpointSelection(EndpointSelection endpointSelection) {
			this.endpointSelection = endpointSelection;
			return this;
		}

		public Builder endpointFailbackAfter(Duration endpointFailbackAfter) {
			this.endpointFailbackAfter = endpointFailbackAfter;
			return this;
		}

		public Builder connectTimeout(Duration connectTimeout) {
			this.connectTimeout = connectTimeout;
			return this;
		}

		public Builder authenticationTimeout(Duration authenticationTimeout) {
			this.authenticationTimeout = authenticationTimeout;
			return this;
		}

		public Builder shutdownTimeout(Duration shutdownTimeout) {
			this.shutdownTimeout = shutdownTimeout;
			return this;
		}

		public Builder header(String name, String value) {
			this.headers.put(name, value);
			return this;
		}

		public Builder headers(Map<String, String> headers) {
			this.headers.putAll(headers);
			return this;
		}

		public Builder subprotocols(List<String> subprotocols) {
			this.subprotocols = subprotocols;
			return this;
		}

		public Builder inbound(InboundSettings inbound) {
			this.inbound = inbound;
			return this;
		}

		public Builder outbound(OutboundSettings outbound) {
			this.outbound = outbound;
			return this;
		}

		public Builder resume(ResumeSettings resume) {
			this.resume = resume;
			return this;
		}

		public Builder framing(Framing framing) {
			this.framing = framing;
			return this;
		}

		public Builder tls(TlsSettings tls) {
			this.tls = tls;
			return this;
		}

		/** A proxy to connect through; {@code null} (the default) connects directly. */
		public Builder proxy(ProxySettings proxy) {
			this.proxy = proxy;
			return this;
		}

		/** Offer permessage-deflate on WebSocket handshakes (off by default). */
		public Builder rotation(RotationSettings rotation) {
			this.rotation = Objects.requireNonNull(rotation, "rotation");
			return this;
		}

		public Builder compression(boolean compression) {
			this.compression = compression;
			return this;
		}

		public Builder reconnect(ReconnectSettings reconnect) {
			this.reconnect = reconnect;
			return this;
		}

		public Builder heartbeat(HeartbeatSettings heartbeat) {
			this.heartbeat = heartbeat;
			return this;
		}

		public Builder circuitBreaker(CircuitBreakerSettings circuitBreaker) {
			this.circuitBreaker = circuitBreaker;
			return this;
		}

		public Builder failurePolicy(FailurePolicy failurePolicy) {
			this.failurePolicy = failurePolicy;
			return this;
		}

		public ConnectionSettings build() {
			return new ConnectionSettings(this);
		}

	}

}
