package io.connectionmanager.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

import io.connectionmanager.core.config.CircuitBreakerSettings;
import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.config.HeartbeatSettings;
import io.connectionmanager.core.config.InboundSettings;
import io.connectionmanager.core.config.InvalidConnectionSettingException;
import io.connectionmanager.core.config.InvalidConnectionSettingException.Reason;
import io.connectionmanager.core.config.OutboundSettings;
import io.connectionmanager.core.config.ProxySettings;
import io.connectionmanager.core.config.RateLimitSettings;
import io.connectionmanager.core.config.ReconnectSettings;
import io.connectionmanager.core.config.ResumeSettings;
import io.connectionmanager.core.config.RotationSettings;
import io.connectionmanager.core.config.SilenceSettings;
import io.connectionmanager.core.config.TlsSettings;
import io.connectionmanager.core.failure.FailurePolicy;

import org.springframework.util.unit.DataSize;

/**
 * Turns bound properties into validated core settings: the one place where the defaults
 * are merged. Merge rule, key by key: the connection's value, else the {@code defaults}
 * value, else the core's built-in default. The built-in defaults are never restated here:
 * they come from the core records' {@code defaults()} and from
 * {@link ConnectionSettings.Builder} (a setter is only called for a value that is set),
 * so the core stays their single source.
 */
final class ConnectionSettingsMapper {

	private final ConnectionProperties defaults;

	ConnectionSettingsMapper(ConnectionProperties defaults) {
		this.defaults = defaults;
	}

	/**
	 * Maps one connection.
	 * @throws InvalidConnectionSettingException naming the offending property relative to
	 * the connection
	 */
	ConnectionDefinition map(String name, ConnectionProperties connection) {
		Merged merged = new Merged(connection, this.defaults);
		ConnectionSettings.Builder builder = ConnectionSettings.builder(name);
		endpoints(connection, builder);
		ifSet(merged.get(ConnectionProperties::endpointSelection), builder::endpointSelection);
		ifSet(merged.get(ConnectionProperties::endpointFailbackAfter), builder::endpointFailbackAfter);
		ifSet(merged.get(ConnectionProperties::connectTimeout), builder::connectTimeout);
		ifSet(merged.get(ConnectionProperties::authenticationTimeout), builder::authenticationTimeout);
		ifSet(merged.get(ConnectionProperties::shutdownTimeout), builder::shutdownTimeout);
		ifSet(merged.get(ConnectionProperties::subprotocols), builder::subprotocols);
		ifSet(merged.get(ConnectionProperties::framing), builder::framing);
		builder.headers(headers(connection));
		builder.reconnect(reconnect(merged));
		builder.heartbeat(heartbeat(merged));
		builder.circuitBreaker(circuitBreaker(merged));
		builder.outbound(outbound(merged));
		builder.inbound(inbound(merged));
		builder.resume(resume(merged));
		builder.tls(tls(merged));
		builder.proxy(proxy(merged));
		ifSet(merged.get(ConnectionProperties::compression), builder::compression);
		builder.failurePolicy(failurePolicy(merged));
		ClusterSettings cluster = cluster(name, connection);
		builder.rotation(rotation(merged, cluster));
		ConnectionSettings settings = builder.build();
		checkSslBundle(connection.ssl().bundle(), sslBundle(connection, this.defaults), settings);
		return new ConnectionDefinition(settings,
				merged.get(ConnectionProperties::autoStartup, ConnectionDefinition.DEFAULT_AUTO_STARTUP),
				merged.get(ConnectionProperties::critical, ConnectionDefinition.DEFAULT_CRITICAL), cluster);
	}

	/**
	 * Mode and balance merge with the defaults; the role never does (one role shared by
	 * several connections would let one replica hold them all).
	 */
	private ClusterSettings cluster(String name, ConnectionProperties connection) {
		Merged merged = new Merged(connection, this.defaults);
		ClusterSettings builtIn = ClusterSettings.everywhere(name);
		String role = connection.cluster().role();
		if (role != null && role.isBlank()) {
			throw new InvalidConnectionSettingException("cluster.role", role, Reason.REQUIRED,
					"must not be blank (default connection-manager/<name>)");
		}
		return new ClusterSettings(merged.get((c) -> c.cluster().mode(), builtIn.mode()),
				(role != null) ? role : builtIn.role(), merged.get((c) -> c.cluster().balance(), builtIn.balance()),
				merged.get((c) -> c.resume().store(), builtIn.resumeStore()));
	}

	/**
	 * An exclusive connection must never have two sessions, not even for a handover:
	 * rotation there is always break-before-make, and asking for overlap is an error.
	 */
	private RotationSettings rotation(Merged merged, ClusterSettings cluster) {
		RotationSettings builtIn = RotationSettings.disabled();
		Boolean overlap = merged.get((c) -> c.rotation().overlap());
		boolean exclusive = cluster.mode() == ClusterMode.EXCLUSIVE;
		if (exclusive && Boolean.TRUE.equals(overlap)) {
			throw new InvalidConnectionSettingException("rotation.overlap", true, Reason.CONFLICT,
					"cannot be true with cluster.mode exclusive (two sessions at once would break exclusivity)");
		}
		return new RotationSettings(merged.get(ConnectionProperties::maxConnectionAge),
				!exclusive && ((overlap != null) ? overlap : builtIn.overlap()),
				merged.get((c) -> c.rotation().drainMessage()));
	}

	/**
	 * {@code url} and {@code urls} merge as one: a connection that sets either replaces
	 * whatever the defaults say about both.
	 */
	private void endpoints(ConnectionProperties connection, ConnectionSettings.Builder builder) {
		ConnectionProperties source = (connection.url() != null || connection.urls() != null) ? connection
				: this.defaults;
		builder.url(source.url()).urls(source.urls());
	}

	/** Headers merge key by key, so a connection can add one header to a shared set. */
	private Map<String, String> headers(ConnectionProperties connection) {
		Map<String, String> headers = new LinkedHashMap<>(this.defaults.headers());
		headers.putAll(connection.headers());
		return headers;
	}

	private ReconnectSettings reconnect(Merged merged) {
		ReconnectSettings builtIn = ReconnectSettings.defaults();
		return new ReconnectSettings(merged.get((c) -> c.reconnect().initialDelay(), builtIn.initialDelay()),
				merged.get((c) -> c.reconnect().maxDelay(), builtIn.maxDelay()),
				merged.get((c) -> c.reconnect().multiplier(), builtIn.multiplier()),
				merged.get((c) -> c.reconnect().jitter(), builtIn.jitter()),
				merged.get((c) -> c.reconnect().maxAttempts(), builtIn.maxAttempts()),
				merged.get((c) -> c.reconnect().resetAfter(), builtIn.resetAfter()),
				merged.get((c) -> c.reconnect().maxServerDelay(), builtIn.maxServerDelay()));
	}

	private HeartbeatSettings heartbeat(Merged merged) {
		HeartbeatSettings builtIn = HeartbeatSettings.defaults();
		return new HeartbeatSettings(merged.get((c) -> c.heartbeat().enabled(), builtIn.enabled()),
				merged.get((c) -> c.heartbeat().interval(), builtIn.interval()),
				merged.get((c) -> c.heartbeat().timeout(), builtIn.timeout()));
	}

	private CircuitBreakerSettings circuitBreaker(Merged merged) {
		CircuitBreakerSettings builtIn = CircuitBreakerSettings.defaults();
		return new CircuitBreakerSettings(merged.get((c) -> c.circuitBreaker().enabled(), builtIn.enabled()),
				merged.get((c) -> c.circuitBreaker().failureRateThreshold(), builtIn.failureRateThreshold()),
				merged.get((c) -> c.circuitBreaker().minimumNumberOfCalls(), builtIn.minimumNumberOfCalls()),
				merged.get((c) -> c.circuitBreaker().slidingWindowSize(), builtIn.slidingWindowSize()),
				merged.get((c) -> c.circuitBreaker().waitDurationInOpenState(), builtIn.waitDurationInOpenState()),
				merged.get((c) -> c.circuitBreaker().permittedNumberOfCallsInHalfOpenState(),
						builtIn.permittedNumberOfCallsInHalfOpenState()),
				merged.get((c) -> c.circuitBreaker().randomizedWaitFactor(), builtIn.randomizedWaitFactor()));
	}

	private OutboundSettings outbound(Merged merged) {
		OutboundSettings builtIn = OutboundSettings.defaults();
		return new OutboundSettings(merged.get((c) -> c.outbound().whenDisconnected(), builtIn.whenDisconnected()),
				merged.get((c) -> c.outbound().bufferSize(), builtIn.bufferSize()),
				bytes(merged.get((c) -> c.outbound().bufferBytes()), builtIn.bufferBytes()),
				merged.get((c) -> c.outbound().overflow(), builtIn.overflow()), rateLimit(merged));
	}

	private RateLimitSettings rateLimit(Merged merged) {
		RateLimitSettings builtIn = RateLimitSettings.disabled();
		return new RateLimitSettings(
				merged.get((c) -> c.outbound().rateLimit().limitForPeriod(), builtIn.limitForPeriod()),
				merged.get((c) -> c.outbound().rateLimit().limitRefreshPeriod(), builtIn.limitRefreshPeriod()),
				merged.get((c) -> c.outbound().rateLimit().timeout(), builtIn.timeout()));
	}

	private InboundSettings inbound(Merged merged) {
		InboundSettings builtIn = InboundSettings.defaults();
		DataSize maxMessageSize = merged.get((c) -> c.inbound().maxMessageSize());
		return new InboundSettings(
				(maxMessageSize != null) ? intBytes("inbound.max-message-size", maxMessageSize)
						: builtIn.maxMessageSize(),
				merged.get((c) -> c.inbound().maxQueuedMessages(), builtIn.maxQueuedMessages()),
				bytes(merged.get((c) -> c.inbound().maxQueuedBytes()), builtIn.maxQueuedBytes()), silence(merged));
	}

	private SilenceSettings silence(Merged merged) {
		SilenceSettings builtIn = SilenceSettings.disabled();
		return new SilenceSettings(merged.get((c) -> c.inbound().maxSilence()),
				merged.get((c) -> c.inbound().onSilence(), builtIn.onSilence()),
				SilenceSettings.schedule(merged.get((c) -> c.inbound().silenceSchedule())),
				merged.get((c) -> c.inbound().silenceZone(), builtIn.zone()));
	}

	private ResumeSettings resume(Merged merged) {
		ResumeSettings builtIn = ResumeSettings.disabled();
		return new ResumeSettings(merged.get((c) -> c.resume().enabled(), builtIn.enabled()),
				merged.get((c) -> c.resume().store(), ResumeStoreType.of(builtIn.store())).core(),
				merged.get((c) -> c.resume().directory(), builtIn.directory()),
				merged.get((c) -> c.resume().carrier(), builtIn.carrier()),
				merged.get((c) -> c.resume().name(), builtIn.name()),
				merged.get((c) -> c.resume().flushInterval(), builtIn.flushInterval()),
				merged.get((c) -> c.resume().fsync(), builtIn.fsync()));
	}

	/**
	 * The proxy keys merge as one: a connection's proxy.url replaces the defaults' proxy.
	 */
	private ProxySettings proxy(Merged merged) {
		ConnectionProperties.Proxy proxy = (merged.connection().proxy().url() != null) ? merged.connection().proxy()
				: merged.defaults().proxy();
		if (proxy.url() == null) {
			return null;
		}
		return ProxySettings.of(proxy.url(), proxy.username(), proxy.password(), proxy.nonProxyHosts());
	}

	/** A connection's {@code ssl.bundle}, else the defaults' one, else {@code null}. */
	static String sslBundle(ConnectionProperties connection, ConnectionProperties defaults) {
		String bundle = connection.ssl().bundle();
		return (bundle != null && !bundle.isBlank()) ? bundle : defaults.ssl().bundle();
	}

	/**
	 * What can be checked before the bundles exist (their names are checked later). A
	 * bundle from the defaults applies to secure connections only.
	 */
	private static void checkSslBundle(String own, String bundle, ConnectionSettings settings) {
		if (own != null && !settings.isSecure()) {
			throw new InvalidConnectionSettingException("ssl.bundle", own, Reason.CONFLICT,
					"applies to wss:// and tls:// URLs only");
		}
		if (bundle != null && settings.isSecure() && settings.tls().trustStore() != null) {
			throw new InvalidConnectionSettingException("ssl.bundle", bundle, Reason.CONFLICT,
					"cannot be combined with tls.trust-store: put the trust store in the bundle");
		}
	}

	private TlsSettings tls(Merged merged) {
		TlsSettings builtIn = TlsSettings.defaults();
		return new TlsSettings(merged.get((c) -> c.tls().trustStore(), builtIn.trustStore()),
				merged.get((c) -> c.tls().trustStorePassword(), builtIn.trustStorePassword()),
				merged.get((c) -> c.tls().trustStoreType(), builtIn.trustStoreType()),
				merged.get((c) -> c.tls().verifyHostname(), builtIn.verifyHostname()),
				merged.get((c) -> c.tls().serverName(), builtIn.serverName()));
	}

	private FailurePolicy failurePolicy(Merged merged) {
		FailurePolicy builtIn = FailurePolicy.defaults();
		return new FailurePolicy(builtIn.fatalKinds(),
				merged.get((c) -> c.failure().fatalHttpStatuses(), builtIn.fatalHttpStatuses()),
				merged.get((c) -> c.failure().fatalCloseCodes(), builtIn.fatalCloseCodes()));
	}

	private static long bytes(DataSize size, long builtIn) {
		return (size != null) ? size.toBytes() : builtIn;
	}

	private static int intBytes(String property, DataSize size) {
		long bytes = size.toBytes();
		if (bytes > Integer.MAX_VALUE) {
			throw new InvalidConnectionSettingException(property, size, Reason.TOO_LARGE, "must be less than 2GB");
		}
		return (int) bytes;
	}

	private static <T> void ifSet(T value, Consumer<T> setter) {
		if (value != null) {
			setter.accept(value);
		}
	}

	/** One connection's values over the shared defaults. */
	private record Merged(ConnectionProperties connection, ConnectionProperties defaults) {

		<T> T get(Function<ConnectionProperties, T> getter) {
			T value = getter.apply(this.connection);
			return (value != null) ? value : getter.apply(this.defaults);
		}

		<T> T get(Function<ConnectionProperties, T> getter, T builtIn) {
			T value = get(getter);
			return (value != null) ? value : builtIn;
		}

	}

}
